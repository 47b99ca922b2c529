import { localeCookieName } from '@/lib/i18n/locales';
import { localeUpdateSchema } from '@/lib/schemas/session';
import { usesSecureCookies } from '@/server/auth/auth';
import { savePreferences } from '@/server/auth/preferences';
import { json, route } from '@/server/http/route';

/** One year, like the switcher's cookie: it still speaks the language on the sign-in page after sign-out. */
const cookieMaxAge = 365 * 24 * 60 * 60;

/**
 * Saves the person's language on their account (every device they sign in on follows it) and in the
 * switcher's cookie for this browser; null forgets both (Accept-Language decides again).
 */
export const PUT = route({
  path: '/api/session/locale',
  permission: 'account:self',
  // One's own preferences touch no client: a client-scoped person sets them too.
  clientScoped: true,
  audit: 'account.locale',
  body: localeUpdateSchema,
  handler: async ({ actor, body, audit }) => {
    audit.target = {};
    const before = await savePreferences(actor.id, { locale: body.locale });
    audit.before = { locale: before?.locale ?? null };
    audit.after = { locale: body.locale };
    const secure = usesSecureCookies() ? '; Secure' : '';
    const cookie =
      body.locale === null
        ? `${localeCookieName}=; Path=/; Max-Age=0; SameSite=Lax${secure}`
        : `${localeCookieName}=${body.locale}; Path=/; Max-Age=${cookieMaxAge}; SameSite=Lax${secure}`;
    return json({ locale: body.locale }, 200, { 'Set-Cookie': cookie });
  },
});
