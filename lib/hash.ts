/**
 * The token identity Token Desk uses everywhere: base64url (no padding) of SHA-256 of the token
 * value, the same 43-character form Authlete lists. Computed in the browser with Web Crypto so a
 * pasted raw token never leaves the page; the caller must not send, store or log the input.
 */
export async function sha256Base64Url(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token hash as Token Desk uses it in URLs: exactly 43 base64url characters. */
export function isTokenHash(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
