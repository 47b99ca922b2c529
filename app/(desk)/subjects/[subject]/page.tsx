import { redirectToDefaultService, type Search } from '../../legacy-redirect';

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ subject: string }>;
  searchParams: Promise<Search>;
}) {
  return redirectToDefaultService(`/subjects/${encodeURIComponent((await params).subject)}`, searchParams);
}
