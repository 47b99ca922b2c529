// @vitest-environment happy-dom
import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditQuery, defaultAuditParams } from '@/components/audit/audit-params';
import { fetchAuditPage, useAuditList } from './audit';
import { renderDataHook, stubFetch } from './testing';

afterEach(() => vi.unstubAllGlobals());

const page = { entries: [], totalCount: 0, page: 1, pageSize: 50 };

describe('audit data', () => {
  it('asks for one page with the filters set, empty ones left out', async () => {
    const requests = stubFetch(() => ({ body: page }));
    const query = auditQuery({ ...defaultAuditParams, subject: 'alice', from: 5 });
    const { result } = renderDataHook(() => useAuditList(query));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(requests.map((request) => request.url)).toEqual([
      `/api/s/default/audit?subject=alice&from=5&page=1&pageSize=${defaultAuditParams.pageSize}`,
    ]);
  });

  it('keeps the envelope’s code and request id on a failure (the page quotes them)', async () => {
    stubFetch(() => ({
      status: 403,
      body: { error: { code: 'forbidden', message: 'Admins only.', requestId: 'r-9' } },
    }));
    await expect(fetchAuditPage('default', auditQuery(defaultAuditParams))).rejects.toMatchObject({
      status: 403,
      code: 'forbidden',
      requestId: 'r-9',
    });
  });
});
