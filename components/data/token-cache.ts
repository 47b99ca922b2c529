/**
 * Puts a token as the server answered it (after an edit) into cached views that list it, so the page
 * navigated to next renders the new values at once instead of the old ones until its refetch lands.
 */
import type { Token } from '@/lib/schemas';

/** Any cached list shape that holds tokens: a token page, the subject view. */
type TokenListData = { tokens: readonly Token[] };

function holdsTokens(data: unknown): data is TokenListData {
  return typeof data === 'object' && data !== null && Array.isArray((data as Partial<TokenListData>).tokens);
}

/** The same data with `token` in place of the entry with its hash; unchanged (same object) when absent. */
export function withUpdatedToken<T>(data: T, token: Token): T {
  if (!holdsTokens(data)) return data;
  if (!data.tokens.some((entry) => entry.accessTokenHash === token.accessTokenHash)) return data;
  return {
    ...data,
    tokens: data.tokens.map((entry) => (entry.accessTokenHash === token.accessTokenHash ? token : entry)),
  };
}
