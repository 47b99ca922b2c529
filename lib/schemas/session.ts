import { z } from 'zod';
import { roleSchema } from '@/lib/roles';
import { signInMethodSchema } from './audit';
import { locales } from '@/lib/i18n/locales';

/** The signed-in staff member, as the server resolves it on every request. */
export const actorSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  method: signInMethodSchema,
});
export type Actor = z.infer<typeof actorSchema>;

/** `GET /api/session`. */
export const sessionResponseSchema = z.object({ actor: actorSchema, demo: z.boolean() });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** A language Token Desk speaks, as a person saves it on their account. */
export const localeSchema = z.enum(locales, { error: 'Language must be en or ja.' });

/** An IANA time zone this runtime knows ("Asia/Tokyo", "UTC"). */
export const timeZoneSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, { error: 'Time zone must be an IANA time zone, e.g. Asia/Tokyo.' })
  .refine(isKnownTimeZone, { error: 'Time zone must be an IANA time zone, e.g. Asia/Tokyo.' });

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `PUT /api/session/locale`: the language saved on the person's account (used at sign-in on any
 * device); null forgets it, so the browser's Accept-Language decides again.
 */
export const localeUpdateSchema = z.strictObject({ locale: localeSchema.nullable() });
export type LocaleUpdate = z.infer<typeof localeUpdateSchema>;

/** `PUT /api/session/time-zone`: the zone dates and times are shown in; null goes back to the browser's zone. */
export const timeZoneUpdateSchema = z.strictObject({ timeZone: timeZoneSchema.nullable() });
export type TimeZoneUpdate = z.infer<typeof timeZoneUpdateSchema>;
