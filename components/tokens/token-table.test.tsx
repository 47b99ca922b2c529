// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { NextIntlClientProvider } from 'next-intl';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Token } from '@/lib/schemas';
import { ServiceProvider } from '@/components/data/service';
import { TEST_SERVICE } from '@/components/data/testing';
import englishMessages from '@/messages/en.json';
import { TokenTable, type TokenSelection } from './token-table';

const day = 86_400_000;
const tokens: Token[] = ['aaa', 'bbb', 'ccc'].map((name, i) => ({
  accessTokenHash: `${name}${'0'.repeat(40)}`,
  clientId: '1',
  subject: name,
  grantType: 'AUTHORIZATION_CODE',
  scopes: ['openid'],
  createdAt: Date.UTC(2026, 0, 1) + i * day,
  accessTokenExpiresAt: 0,
  refreshTokenExpiresAt: 0,
  lastRefreshedAt: 0,
  properties: [],
}));

/** The table as the token page holds it: the selection in the caller's state. */
function Harness({ onSelection }: { onSelection: (rows: TokenSelection) => void }) {
  const [rows, setRows] = useState<TokenSelection>({});
  return (
    <NextIntlClientProvider locale="en" messages={englishMessages} timeZone="UTC">
      <ServiceProvider services={[TEST_SERVICE]} slug={TEST_SERVICE.slug}>
        <TokenTable
          tokens={tokens}
          clients={new Map()}
          loading={false}
          skeletonRows={0}
          canRevoke
          canWrite={false}
          selection={{
            rows,
            onChange: (next) => {
              setRows(next);
              onSelection(next);
            },
          }}
          onRevoke={() => {}}
          onDelete={() => {}}
          caption="Tokens"
          sortScope="page"
        />
      </ServiceProvider>
    </NextIntlClientProvider>
  );
}

const subjectsInOrder = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell')[1]?.textContent);

afterEach(cleanup);

describe('TokenTable', () => {
  it('sorts newest first, flips on a click and starts a text column A to Z, saying so in aria-sort', () => {
    render(<Harness onSelection={() => {}} />);
    const created = screen.getByRole('columnheader', { name: /Created/ });
    expect(created.getAttribute('aria-sort')).toBe('descending');
    expect(subjectsInOrder()).toEqual(['ccc', 'bbb', 'aaa']);

    fireEvent.click(within(created).getByRole('button'));
    expect(created.getAttribute('aria-sort')).toBe('ascending');
    expect(subjectsInOrder()).toEqual(['aaa', 'bbb', 'ccc']);

    const subject = screen.getByRole('columnheader', { name: /Subject/ });
    fireEvent.click(within(subject).getByRole('button'));
    expect(subject.getAttribute('aria-sort')).toBe('ascending');
    expect(created.getAttribute('aria-sort')).toBe('none');
    expect(screen.getByRole('columnheader', { name: 'Scopes' }).hasAttribute('aria-sort')).toBe(false);
  });

  it('selects one row, shows the header box as mixed, then all and none', () => {
    const onSelection = vi.fn();
    render(<Harness onSelection={onSelection} />);
    const all = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select all tokens on this page' });

    fireEvent.click(screen.getByRole('checkbox', { name: /bbb/ }));
    expect(onSelection).toHaveBeenLastCalledWith({ [tokens[1]!.accessTokenHash]: true });
    expect(all.checked).toBe(false);
    expect(all.indeterminate).toBe(true);

    fireEvent.click(all);
    expect(Object.keys(onSelection.mock.lastCall![0] as TokenSelection)).toHaveLength(3);
    expect(all.checked).toBe(true);
    expect(all.indeterminate).toBe(false);

    fireEvent.click(screen.getByRole('checkbox', { name: /aaa/ }));
    expect(Object.keys(onSelection.mock.lastCall![0] as TokenSelection)).toHaveLength(2);
    fireEvent.click(all);
    fireEvent.click(all);
    expect(onSelection).toHaveBeenLastCalledWith({});
    expect(screen.getAllByRole<HTMLInputElement>('checkbox').every((box) => !box.checked)).toBe(true);
  });
});
