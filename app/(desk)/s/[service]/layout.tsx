import { notFound } from 'next/navigation';
import { findService, refreshServices } from '@/server/services';

/** Every page of a service: an address naming no configured service is not found (app/(desk)/s/not-found.tsx). */
export default async function ServiceLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ service: string }>;
}) {
  await refreshServices();
  if (!findService((await params).service)) notFound();
  return children;
}
