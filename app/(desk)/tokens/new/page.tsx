import { redirectToDefaultService, type Search } from '../../legacy-redirect';

export default function Page({ searchParams }: { searchParams: Promise<Search> }) {
  return redirectToDefaultService('/tokens/new', searchParams);
}
