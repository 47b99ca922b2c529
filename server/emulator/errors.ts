/**
 * Authlete-style results. Every error body is `{ resultCode, resultMessage }` (plus `action` on the
 * APIs whose responses carry one), and the message repeats the code in brackets and names the API
 * path, e.g. `[A001202] /auth/token/get/list, Authorization header is missing.`.
 *
 * Code layout follows Authlete's: `A` + 3-digit API number + 3-digit detail, where detail 001 is
 * success, 1xx a server-side error and 2xx an error in the caller's request.
 * API numbers: 001 common/auth, 109 token create, 135 token update, 136 token delete, 163 token list,
 * 137 client authorization delete, 138 client authorization update (both Authlete's), 139 client
 * authorization list, 140 granted scopes get, 141 granted scopes delete, 142 client lock flag,
 * 171 client list, 172 client get, 181 service get, 182 service list (organization), 361 batch create,
 * 362 batch status, 382 token revoke.
 */
export class AuthleteError extends Error {
  constructor(
    readonly status: number,
    readonly resultCode: string,
    readonly detail: string,
    /** For APIs whose response has an `action` (create, update). */
    readonly action?: string,
  ) {
    super(`[${resultCode}] ${detail}`);
  }
}

export function resultMessage(code: string, apiPath: string, detail: string): string {
  return `[${code}] ${apiPath}, ${detail}`;
}

export const badRequest = (code: string, detail: string, action?: string) =>
  new AuthleteError(400, code, detail, action);
