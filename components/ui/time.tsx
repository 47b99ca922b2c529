'use client';

import { useLocale, useTranslations } from 'next-intl';
import { createContext, useContext, useSyncExternalStore } from 'react';
import { formatAbsolute, formatRelative, formatUtc } from '@/lib/format';

const noop = () => () => {};

/** False while rendering on the server, true in the browser (where the viewer's zone is known). */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

const SavedTimeZone = createContext<string | null>(null);

/** The time zone the person saved on their account (set once by the signed-in layout); null: the browser's. */
export function SavedTimeZoneProvider({ timeZone, children }: { timeZone: string | null; children: React.ReactNode }) {
  return <SavedTimeZone.Provider value={timeZone}>{children}</SavedTimeZone.Provider>;
}

/** The person's saved zone, or null when times follow the browser's own zone. */
export function useSavedTimeZone(): string | null {
  return useContext(SavedTimeZone);
}

/**
 * A moment shown relative ("in 3 days") over absolute in the viewer's zone (saved, else the browser's), with UTC on hover.
 * `layout="inline"` puts both on one line for prose.
 */
export function Time({ ms, layout = 'stacked' }: { ms: number; layout?: 'stacked' | 'inline' }) {
  const t = useTranslations();
  const locale = useLocale();
  const isClient = useIsClient();
  const timeZone = useSavedTimeZone() ?? undefined;
  const utc = formatUtc(ms);
  const iso = new Date(ms).toISOString();
  if (!isClient) {
    return (
      <time dateTime={iso} title={utc}>
        {utc}
      </time>
    );
  }
  const relative = formatRelative(ms, undefined, { locale });
  const absolute = (compact: boolean) => formatAbsolute(ms, { locale, timeZone, compact });
  if (layout === 'inline') {
    return (
      <time dateTime={iso} title={utc}>
        {t('common.time.inline', { absolute: absolute(false), relative })}
      </time>
    );
  }
  // Stacked (tables): the zone is named once above the table, so each cell stays short.
  return (
    <time dateTime={iso} title={utc} className="flex flex-col leading-tight whitespace-nowrap">
      <span>{relative}</span>
      <span className="text-xs text-zinc-500 dark:text-zinc-400">{absolute(true)}</span>
    </time>
  );
}
