'use client';

import { RenderError } from '@/components/ui/render-error';

/** Replaces Next's default error screen for a page that failed to render (inside the root layout, so themed). */
export default function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RenderError error={error} retry={retry} />;
}
