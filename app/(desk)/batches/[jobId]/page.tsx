import { redirectToDefaultService, type Search } from '../../legacy-redirect';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ jobId: string }>;
  searchParams: Promise<Search>;
}) {
  return redirectToDefaultService(`/batches/${encodeURIComponent((await params).jobId)}`, searchParams);
}
