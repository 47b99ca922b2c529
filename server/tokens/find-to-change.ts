import 'server-only';
import type { Token, TokenHint } from '@/lib/schemas';
import type { AuthleteClient } from '@/server/authlete';
import type { AuditDraft } from '@/server/audit';

/**
 * The token a change to one hash is about, found with a narrowed scan before anything changes, so
 * its audit entry names the token's subject and client whatever happens next (not found: 404).
 */
export async function findTokenToChange(
  authlete: AuthleteClient,
  hash: string,
  hint: TokenHint,
  audit: AuditDraft,
  signal: AbortSignal,
): Promise<Token> {
  audit.target = { tokenHash: hash, subject: hint.subject ?? null, clientId: hint.clientId ?? null };
  const { token } = await authlete.findToken(hash, hint, signal);
  audit.target = { tokenHash: hash, subject: token.subject ?? null, clientId: token.clientId };
  return token;
}
