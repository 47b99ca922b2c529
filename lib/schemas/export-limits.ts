/**
 * Small lists are exported in the browser, page by page: an export job (`/api/exports`) is for lists
 * longer than this. Apart from lib/schemas/export.ts so the token page can read it without shipping
 * zod to the browser (about 35 KB gzip of its first-load JavaScript).
 */
export const EXPORT_IN_BROWSER_MAX_ROWS = 10_000;
