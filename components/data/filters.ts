/** Drops empty filters so `{ subject: '' }` and `{}` share one cache entry. */
export function withoutEmptyFilters<T extends object>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}
