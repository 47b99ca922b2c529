import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@/lib/roles';
import { auditChainStatusSchema } from '@/lib/schemas/audit';
import { recordAudit } from '@/server/audit';
import { closeDb, getDb } from '@/server/db';
import { auditLog } from '@/server/db/schema';
import { defaultService } from '@/server/services';
import { useTestConfig } from '@/server/testing/config';
import { signedInAs } from '@/server/testing/sign-in';
import { GET } from './route';

const cookies = {} as Record<Role, string>;
beforeAll(async () => {
  for (const role of ['viewer', 'admin'] as const) cookies[role] = (await signedInAs(role)).cookie;
  for (const subject of ['alice', 'bob', 'carol']) {
    await recordAudit({ action: 'token.revoke_all', outcome: 'success', target: { subject }, count: 1 });
  }
});
afterAll(closeDb);

const get = (cookie: string | undefined, service = defaultService().slug) =>
  GET(new Request(`http://127.0.0.1:3000/api/s/${service}/audit/chain`, { headers: cookie ? { cookie } : {} }), {
    params: Promise.resolve({ service }),
  });

describe('GET /api/s/[service]/audit/chain', () => {
  it('needs a session and the audit permission', async () => {
    expect((await get(undefined)).status).toBe(401);
    expect((await get(cookies.viewer)).status).toBe(403);
  });

  it('answers 404 for a service that does not exist', async () => {
    expect((await get(cookies.admin, 'nope')).status).toBe(404);
  });

  it('verifies the chain: sound, then broken where a record was changed', async () => {
    const sound = auditChainStatusSchema.parse(await (await get(cookies.admin)).json());
    expect(sound.ok).toBe(true);
    expect(sound.records).toBeGreaterThanOrEqual(3);
    expect(sound.sinks).toEqual([]);

    const db = await getDb();
    const [bob] = await db.select().from(auditLog).where(eq(auditLog.subject, 'bob'));
    await db.update(auditLog).set({ count: 0 }).where(eq(auditLog.id, bob!.id));
    const broken = auditChainStatusSchema.parse(await (await get(cookies.admin)).json());
    expect(broken.ok).toBe(false);
    expect(broken.problems).toEqual([{ kind: 'altered', seq: bob!.seq, id: String(bob!.id) }]);
  });

  it('says where each audit sink stands, never its address or headers', async () => {
    const restore = useTestConfig({
      AUDIT_SINKS: JSON.stringify([
        {
          name: 'soc',
          type: 'http',
          url: 'https://soc.example.com/ingest',
          headers: { authorization: 'Bearer s3cret' },
        },
        { name: 'siem', type: 'syslog', host: 'siem.example.com', tls: true },
      ]),
    });
    try {
      const response = await get(cookies.admin);
      const text = await response.text();
      expect(text).not.toContain('s3cret');
      expect(text).not.toContain('example.com');
      const { sinks } = auditChainStatusSchema.parse(JSON.parse(text));
      expect(sinks.map(({ name, type, position, lastError }) => ({ name, type, position, lastError }))).toEqual([
        { name: 'soc', type: 'http', position: 0, lastError: null },
        { name: 'siem', type: 'syslog-tls', position: 0, lastError: null },
      ]);
      expect(sinks[0]!.behind).toBeGreaterThanOrEqual(3);
    } finally {
      restore();
    }
  });
});
