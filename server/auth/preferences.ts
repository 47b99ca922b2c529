import { eq } from 'drizzle-orm';
import { headers } from 'next/headers';
import { cache } from 'react';
import { isLocale, type Locale } from '@/lib/i18n/locales';
import { getDb } from '@/server/db';
import { authUser } from '@/server/db/schema';
import { getActor } from './index';

/** What a person saved on their account: followed on every device they sign in on. */
export interface Preferences {
  /** null: the browser's Accept-Language (or the switcher's cookie) decides. */
  locale: Locale | null;
  /** null: the browser's own zone. */
  timeZone: string | null;
}

/** The saved preferences of one account (null for an account that does not exist). */
export async function readPreferences(userId: string): Promise<Preferences | null> {
  const db = await getDb();
  const [row] = await db
    .select({ locale: authUser.locale, timeZone: authUser.timeZone })
    .from(authUser)
    .where(eq(authUser.id, userId))
    .limit(1);
  if (!row) return null;
  return { locale: isLocale(row.locale) ? row.locale : null, timeZone: row.timeZone };
}

/**
 * The signed-in person's preferences for this page request, or null when signed out. Read once per
 * render (React's cache), whoever asks: the language negotiation and the desk layout.
 */
export const preferencesOfRequest = cache(async (): Promise<Preferences | null> => {
  const actor = await getActor(await headers());
  return actor ? readPreferences(actor.id) : null;
});

/** Saves a change to the person's preferences; returns what was there before (for the audit log). */
export async function savePreferences(userId: string, change: Partial<Preferences>): Promise<Preferences | null> {
  const before = await readPreferences(userId);
  if (!before) return null;
  const db = await getDb();
  await db
    .update(authUser)
    .set({ ...change, updatedAt: new Date() })
    .where(eq(authUser.id, userId));
  return before;
}
