import { timeZoneUpdateSchema } from '@/lib/schemas/session';
import { savePreferences } from '@/server/auth/preferences';
import { json, route } from '@/server/http/route';

/** Saves the time zone dates and times are shown in on the person's account; null: the browser's zone. */
export const PUT = route({
  path: '/api/session/time-zone',
  permission: 'account:self',
  // One's own preferences touch no client: a client-scoped person sets them too.
  clientScoped: true,
  audit: 'account.time_zone',
  body: timeZoneUpdateSchema,
  handler: async ({ actor, body, audit }) => {
    audit.target = {};
    const before = await savePreferences(actor.id, { timeZone: body.timeZone });
    audit.before = { timeZone: before?.timeZone ?? null };
    audit.after = { timeZone: body.timeZone };
    return json({ timeZone: body.timeZone });
  },
});
