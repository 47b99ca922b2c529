import { describe, expect, it } from 'vitest';
import { auditActions, auditListQuerySchema, AUDIT_PAGE_SIZES } from '@/lib/schemas/audit';
import { auditPageSizes, auditQuery, defaultAuditParams, parseAuditParams, serializeAuditParams } from './audit-params';

const parse = (query: string) => parseAuditParams(new URLSearchParams(query), auditActions);

describe('audit URL params', () => {
  it('use the page sizes the API accepts', () => {
    expect(auditPageSizes).toEqual(AUDIT_PAGE_SIZES);
  });
  it('round-trip every filter, leaving defaults out', () => {
    expect(serializeAuditParams(defaultAuditParams)).toBe('');
    const params = {
      actor: 'ann@x',
      action: 'token.revoke',
      outcome: 'failure',
      subject: 'john',
      service: 'staging',
      from: 1000,
      to: 2000,
      page: 3,
      pageSize: 100,
    } as const;
    expect(parse(serializeAuditParams(params).slice(1))).toEqual(params);
  });
  it('drop what the API would refuse', () => {
    expect(parse('action=token.explode&outcome=maybe&from=-5&to=x&page=0&pageSize=10')).toEqual(defaultAuditParams);
  });
  it('produce a query the shared schema accepts', () => {
    const query = auditQuery(parse('action=token.update&from=1000&to=2000&subject=john&service=production'));
    expect(auditListQuerySchema.parse(query)).toEqual({
      action: 'token.update',
      service: 'production',
      from: 1000,
      to: 2000,
      subject: 'john',
      page: 1,
      pageSize: 50,
    });
  });
});
