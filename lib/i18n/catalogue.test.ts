/**
 * The two catalogues say the same things: the same keys, each with the same ICU arguments (names and
 * kinds) and rich-text tags, every message parses, and every key is used somewhere in the source.
 * Keys are always written whole in the code ('tokens.list.title', never built from parts), so a
 * plain scan of the source finds every use.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import ja from '@/messages/ja.json';

type Catalogue = { [key: string]: string | Catalogue };

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') entries.set(full, value);
    else for (const [nested, text] of flatten(value, full)) entries.set(nested, text);
  }
  return entries;
}

/** "count:plural", "label:argument", "<code>": what a message needs from the code that formats it. */
function signature(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
        into.add(`${element.value}:argument`);
        break;
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(`${element.value}:${TYPE[element.type]}`);
        break;
      case TYPE.plural:
      case TYPE.select:
        into.add(`${element.value}:${TYPE[element.type]}`);
        for (const option of Object.values(element.options)) signature(option.value, into);
        break;
      case TYPE.tag:
        into.add(`<${element.value}>`);
        signature(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

const english = flatten(en);
const japanese = flatten(ja);

describe('the catalogues', () => {
  it('have the same keys', () => {
    expect([...japanese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('give every message the same ICU arguments and tags in both languages', () => {
    const mismatches = [...english].flatMap(([key, text]) => {
      const other = japanese.get(key);
      if (other === undefined) return [];
      const a = [...signature(parse(text))].sort();
      const b = [...signature(parse(other))].sort();
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${key}: en ${a.join(',')} / ja ${b.join(',')}`];
    });
    expect(mismatches).toEqual([]);
  });

  it('have no empty message', () => {
    const empty = [...english, ...japanese].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('use every key somewhere in the source', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) sources.push(readFileSync(full, 'utf8'));
      }
    };
    for (const dir of ['app', 'components', 'lib', 'server']) walk(path.join(root, dir));
    const used = new Set<string>();
    for (const source of sources) {
      for (const match of source.matchAll(/['"`]([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)['"`]/g)) used.add(match[1]!);
    }
    const unused = [...english.keys()].filter((key) => !used.has(key));
    expect(unused).toEqual([]);
  });
});
