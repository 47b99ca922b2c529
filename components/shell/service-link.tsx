'use client';

import Link from 'next/link';
import { useCurrentService } from '@/components/data/service';
import { servicePath } from '@/lib/service-paths';

/** A link to a page of the current service (`/tokens` → `/s/{service}/tokens`); server components use it too. */
export function ServiceLink({
  href,
  ...props
}: Omit<React.ComponentProps<typeof Link>, 'href'> & { href: `/${string}` }) {
  const service = useCurrentService();
  return <Link href={service ? servicePath(service.slug, href) : '/'} {...props} />;
}
