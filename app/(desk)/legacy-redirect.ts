import { redirect } from 'next/navigation';
import { servicePath } from '@/lib/service-paths';
import { defaultService } from '@/server/services';

export type Search = Record<string, string | string[] | undefined>;

/**
 * The addresses from before several services (`/tokens`, `/audit`, …) still work, bookmarks and
 * links in old tickets alike: they lead to the same page of the default service, query kept.
 */
export async function redirectToDefaultService(path: `/${string}`, searchParams: Promise<Search>): Promise<never> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(await searchParams))
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, one);
  const search = query.toString();
  redirect(`${servicePath(defaultService().slug, path)}${search ? `?${search}` : ''}`);
}
