'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useSyncExternalStore } from 'react';
import { describeTimeZone, formatAbsolute, formatRelative, formatUtc } from '@/lib/format';

const noop = () => () => {};

/** False while rendering on the server, true in the browser (where the viewer's zone is known). */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

/**
 * A moment shown relative ("in 3 days") over absolute in the viewer's zone, with UTC on hover.
 * `layout="inline"` puts both on one line for prose.
 */
export function Time({ ms, layout = 'stacked' }: { ms: number; layout?: 'stacked' | 'inline' }) {
  const t = useTranslations();
  const locale = useLocale();
  const isClient = useIsClient();
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
  if (layout === 'inline') {
    return (
      <time dateTime={iso} title={utc}>
        {t('common.time.inline', { absolute: formatAbsolute(ms, { locale }), relative })}
      </time>
    );
  }
  // Stacked (tables): the zone is named once above the table, so each cell stays short.
  return (
    <time dateTime={iso} title={utc} className="flex flex-col leading-tight whitespace-nowrap">
      <span>{relative}</span>
      <span className="text-xs text-zinc-500 dark:text-zinc-400">{formatAbsolute(ms, { locale, compact: true })}</span>
    </time>
  );
}

/** "Times in Europe/Berlin (GMT+1); hover a time for UTC." — once per table. */
export function TimeZoneNote() {
  const t = useTranslations();
  const locale = useLocale();
  const isClient = useIsClient();
  return (
    <p className="text-xs text-zinc-500 dark:text-zinc-400">
      {isClient
        ? t('common.time.zoneNote', { zone: describeTimeZone(undefined, { locale }) })
        : t('common.time.zoneNoteServer')}
    </p>
  );
}
