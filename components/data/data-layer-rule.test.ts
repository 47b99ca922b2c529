import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../..') });

/** The rule ids that fire for `code` as if it were the file at `path`. */
async function violations(code: string, path: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const component = 'components/tokens/example.tsx';

describe('components reach the API only through components/data', () => {
  it.each([
    ["import { api } from '@/lib/api-client';\nexport const load = () => api.listScopes();", 'the API client'],
    ["import { useQuery } from '@tanstack/react-query';\nexport const use = useQuery;", 'TanStack Query'],
    ["import { useQueryClient } from '@tanstack/react-query';\nexport const use = useQueryClient;", 'the cache'],
    ["import { tokenKeys } from '@/components/data/tokens';\nexport const keys = tokenKeys;", 'query keys'],
    ["export const load = () => fetch('/api/scopes');", 'fetch'],
  ])('a component may not use %s (%s)', async (code) => {
    expect(await violations(code, component)).toEqual([expect.stringMatching(/no-restricted-/)]);
  });

  it('a component may use the hooks, the error class and the types', async () => {
    const code = [
      "import type { UseQueryResult } from '@tanstack/react-query';",
      "import { ApiError, type TokenLookupHint } from '@/lib/api-client';",
      "import { useScopes } from '@/components/data/scopes';",
      'export const parts: [unknown, TokenLookupHint, UseQueryResult | null] = [ApiError, {}, null];',
      'export const use = useScopes;',
    ].join('\n');
    expect(await violations(code, component)).toEqual([]);
  });

  it('components/data itself may', async () => {
    const code = "import { api } from '@/lib/api-client';\nexport const load = () => api.listScopes();";
    expect(await violations(code, 'components/data/example.ts')).toEqual([]);
  });
});
