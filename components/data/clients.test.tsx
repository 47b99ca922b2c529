// @vitest-environment happy-dom
import { waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientLabel, useClients } from './clients';
import { renderDataHook, stubFetch } from './testing';

afterEach(() => vi.unstubAllGlobals());

describe('useClients', () => {
  it('loads the clients once and indexes them by id', async () => {
    const requests = stubFetch(() => ({
      body: { clients: [{ clientId: '111', clientName: 'Support App' }, { clientId: '222' }] },
    }));
    const { result } = renderDataHook(() => useClients());
    expect(result.current.byId.size).toBe(0);
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.byId.get('111')).toEqual({ clientId: '111', clientName: 'Support App' });
    expect(requests.map((request) => request.url)).toEqual(['/api/s/default/clients']);
  });
});

describe('clientLabel', () => {
  it('shows the name (or alias) with the id, or the id alone', () => {
    expect(clientLabel('111', { clientId: '111', clientName: 'Support App' })).toBe('Support App (111)');
    expect(clientLabel('111', { clientId: '111', clientIdAlias: 'support' })).toBe('support (111)');
    expect(clientLabel('111')).toBe('111');
  });
});
