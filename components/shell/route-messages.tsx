import { NextIntlClientProvider, type Messages } from 'next-intl';
import { getMessages } from 'next-intl/server';

/** What every page's browser code may say: shared words, the header, error displays, form messages. */
export const sharedNamespaces = ['common', 'shell', 'errors', 'validation'] as const satisfies ReadonlyArray<
  keyof Messages
>;

/**
 * Hands the browser the catalogue namespaces a route's client components use, in the request's
 * language, and no others: a page's messages travel in its server answer, not in any JavaScript
 * bundle, and only what the page needs.
 */
export async function RouteMessages({
  namespaces = [],
  children,
}: {
  namespaces?: ReadonlyArray<keyof Messages>;
  children: React.ReactNode;
}) {
  const messages = await getMessages();
  const picked = Object.fromEntries(
    [...sharedNamespaces, ...namespaces].map((namespace) => [namespace, messages[namespace]]),
  );
  return <NextIntlClientProvider messages={picked}>{children}</NextIntlClientProvider>;
}
