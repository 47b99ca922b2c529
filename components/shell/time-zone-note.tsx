'use client';

import { useLocale, useTranslations } from 'next-intl';
import { describeTimeZone } from '@/lib/format';
import { useSaveTimeZone } from '@/components/data/session';
import { useIsClient, useSavedTimeZone } from '@/components/ui/time';

/** Every zone this browser knows, UTC first (it is not always among Intl's canonical names). */
function knownTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];
}

/**
 * "Times in Asia/Tokyo (GMT+9); hover a time for UTC." once per table, and the zone chooser beside
 * it: the browser's own zone (the default) or one saved on the person's account.
 */
export function TimeZoneNote() {
  const t = useTranslations();
  const locale = useLocale();
  const isClient = useIsClient();
  const saved = useSavedTimeZone();
  const save = useSaveTimeZone();
  if (!isClient) {
    return <p className="text-xs text-zinc-500 dark:text-zinc-400">{t('common.time.zoneNoteServer')}</p>;
  }
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const pending = save.isPending ? save.variables : undefined;
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
      <p>
        {t('common.time.zoneNote', { zone: describeTimeZone(undefined, { locale, timeZone: saved ?? undefined }) })}
      </p>
      <select
        aria-label={t('common.time.zoneLabel')}
        title={t('common.time.zoneLabel')}
        value={(pending === undefined ? saved : pending) ?? ''}
        disabled={save.isPending}
        onChange={(event) => save.mutate(event.target.value === '' ? null : event.target.value)}
        className="h-6 max-w-44 min-w-0 rounded border border-zinc-300 bg-white px-1 text-xs text-zinc-700 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
      >
        <option value="">{t('common.time.browserZone', { zone: browserZone })}</option>
        {knownTimeZones().map((zone) => (
          <option key={zone} value={zone}>
            {zone}
          </option>
        ))}
      </select>
    </div>
  );
}
