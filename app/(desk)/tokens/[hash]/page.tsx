import { redirectToDefaultService, type Search } from '../../legacy-redirect';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ hash: string }>;
  searchParams: Promise<Search>;
}) {
  return redirectToDefaultService(`/tokens/${encodeURIComponent((await params).hash)}`, searchParams);
}
