import 'server-only';

/**
 * For the few API handlers outside `route()` (Better Auth's endpoints, health, session): gives the
 * request a fresh id, visible to the handler as the `x-request-id` request header (the audit
 * records of sign-ins read it there) and returned as the response's `x-request-id`.
 */
export function withRequestId(handler: (request: Request) => Promise<Response>) {
  return async function handle(request: Request): Promise<Response> {
    const requestId = crypto.randomUUID();
    const headers = new Headers(request.headers);
    headers.set('x-request-id', requestId);
    const response = await handler(new Request(request, { headers }));
    try {
      response.headers.set('x-request-id', requestId);
      return response;
    } catch {
      // Response.redirect() and fetched responses have immutable headers: copy it.
      const copy = new Response(response.body, response);
      copy.headers.set('x-request-id', requestId);
      return copy;
    }
  };
}
