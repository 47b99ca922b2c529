/**
 * Each page hands the browser every catalogue namespace its client components use
 * (`<RouteMessages namespaces={[…]}>`, components/shell/route-messages.tsx): a namespace left out
 * renders as a raw key in the browser, which only a person looking would notice. From every
 * `page.tsx`, the files it imports are followed; those marked 'use client', and all they import,
 * are the browser's, and every catalogue key written in them (keys are always written whole) must
 * belong to a shared namespace or one the page lists. Server components read the whole catalogue.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import { sharedNamespaces } from './route-messages';

const root = path.resolve(import.meta.dirname, '../..');

type Catalogue = { [key: string]: string | Catalogue };
function keysOf(catalogue: Catalogue, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  );
}
const catalogueKeys = new Set(keysOf(en));

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'api' ? [] : pages(full);
    return name === 'page.tsx' ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/')
    ? path.join(root, specifier.slice(2))
    : specifier.startsWith('.')
      ? path.resolve(path.dirname(from), specifier)
      : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Namespaces of the catalogue keys written in the browser's part of the tree under `page`, each with where. */
function clientNamespaces(page: string): Map<string, string> {
  const used = new Map<string, string>();
  const seen = new Map<string, boolean>();
  const visit = (file: string, client: boolean) => {
    if (seen.get(file) === true || (seen.has(file) && !client)) return;
    const source = readFileSync(file, 'utf8');
    const isClient = client || /^\s*['"]use client['"]/.test(source);
    seen.set(file, isClient);
    if (isClient) {
      const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      for (const [, key] of code.matchAll(/['"`]([a-zA-Z][\w.]*)['"`]/g)) {
        if (catalogueKeys.has(key!) && !used.has(key!.split('.')[0]!))
          used.set(key!.split('.')[0]!, `${key} in ${path.relative(root, file)}`);
      }
    }
    for (const [, specifier] of source.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      const target = resolveImport(file, specifier!);
      if (target) visit(target, isClient);
    }
  };
  visit(page, false);
  return used;
}

describe('route messages', () => {
  const allPages = pages(path.join(root, 'app'));

  it('finds the pages', () => {
    expect(allPages.length).toBeGreaterThan(5);
  });

  it.each(allPages.map((page) => [path.relative(root, page), page]))(
    '%s lists every namespace its client components use',
    (_name, page) => {
      const listed = [...readFileSync(page, 'utf8').matchAll(/namespaces=\{\[([^\]]*)\]\}/g)].flatMap(([, list]) =>
        [...list!.matchAll(/'(\w+)'/g)].map(([, namespace]) => namespace!),
      );
      const given = new Set<string>([...sharedNamespaces, ...listed]);
      const missing = [...clientNamespaces(page)].filter(([namespace]) => !given.has(namespace));
      expect(missing.map(([namespace, where]) => `${namespace} (${where})`)).toEqual([]);
    },
  );
});
