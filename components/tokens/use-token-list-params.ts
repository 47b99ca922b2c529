'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { parseTokenListParams, serializeTokenListParams, type TokenListParams } from './list-params';

/** Filters and page from the URL, and a way to change them that adds a history entry (back works). */
export function useTokenListParams(): [TokenListParams, (next: TokenListParams) => void] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => parseTokenListParams(searchParams), [searchParams]);
  const navigate = useCallback(
    (next: TokenListParams) => router.push(`${pathname}${serializeTokenListParams(next)}`, { scroll: false }),
    [router, pathname],
  );
  return [params, navigate];
}
