/**
 * All tokens of one subject, fetched page by page (100 at a time, one request after another) and
 * grouped by client for the support-desk view.
 */
import type { Token, TokenListQueryInput, TokenListResponse } from '@/lib/schemas';

/** Beyond this the view shows what it has and says so; a person with more needs the export. */
export const SUBJECT_TOKEN_LIMIT = 1000;

export interface SubjectTokens {
  tokens: Token[];
  /** What the server counts (may exceed tokens.length when the limit was hit). */
  totalCount: number;
}

type ListPage = (query: TokenListQueryInput, signal?: AbortSignal) => Promise<TokenListResponse>;

export async function fetchSubjectTokens(
  subject: string,
  listPage: ListPage,
  signal?: AbortSignal,
): Promise<SubjectTokens> {
  const tokens: Token[] = [];
  let totalCount = 0;
  for (let page = 1; ; page++) {
    const response = await listPage({ subject, status: 'all', page, pageSize: 100 }, signal);
    totalCount = response.totalCount;
    tokens.push(...response.tokens);
    if (response.tokens.length === 0 || tokens.length >= Math.min(totalCount, SUBJECT_TOKEN_LIMIT)) break;
  }
  return { tokens: tokens.slice(0, SUBJECT_TOKEN_LIMIT), totalCount };
}

export interface ClientGroup {
  clientId: string;
  tokens: Token[];
  valid: number;
  expired: number;
}

/** Groups by client, biggest group first (ties by client id), tokens newest first. */
export function groupByClient(tokens: readonly Token[], now: number = Date.now()): ClientGroup[] {
  const groups = new Map<string, ClientGroup>();
  for (const token of tokens) {
    let group = groups.get(token.clientId);
    if (!group) {
      group = { clientId: token.clientId, tokens: [], valid: 0, expired: 0 };
      groups.set(token.clientId, group);
    }
    group.tokens.push(token);
    if (token.accessTokenExpiresAt !== 0 && token.accessTokenExpiresAt <= now) group.expired++;
    else group.valid++;
  }
  for (const group of groups.values()) group.tokens.sort((a, b) => b.createdAt - a.createdAt);
  return [...groups.values()].sort((a, b) => b.tokens.length - a.tokens.length || a.clientId.localeCompare(b.clientId));
}
