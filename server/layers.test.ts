/**
 * No cycle between the folders of `server/`: a folder that imports another, directly or through
 * others, is never imported back by it. The lint rule (eslint.config.mjs) holds the floor order;
 * this holds what a rule per import cannot see, a loop through several folders. Test files are
 * leaves (nothing imports them), so only the code they test counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SERVER = path.resolve(import.meta.dirname);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The folder of `server/` a path inside it belongs to; a file directly in `server/` is its own. */
function folderOf(serverRelative: string): string {
  return serverRelative.split(/[\\/]/)[0]!;
}

/** Every import (static, dynamic, `import type`, re-export) from one server folder into another. */
function folderGraph(files: string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = folderOf(path.relative(SERVER, file));
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const { fileName: specifier } of importedFiles) {
      let target: string;
      if (specifier.startsWith('@/server/')) target = specifier.slice('@/server/'.length);
      else if (specifier.startsWith('.')) target = path.relative(SERVER, path.resolve(path.dirname(file), specifier));
      else continue;
      if (target.startsWith('..')) continue;
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      edges.set(to, edges.get(to) ?? `${path.relative(SERVER, file)} imports ${specifier}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Each cycle found by a depth-first walk, as the import that closes it and the ones before. */
function cyclesOf(graph: Map<string, Map<string, string>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (folder: string) => {
    if (done.has(folder)) return;
    const at = stack.indexOf(folder);
    if (at >= 0) {
      const loop = [...stack.slice(at), folder];
      cycles.push(loop.slice(1).map((to, i) => graph.get(loop[i]!)!.get(to)!));
      return;
    }
    stack.push(folder);
    for (const to of graph.get(folder)?.keys() ?? []) visit(to);
    stack.pop();
    done.add(folder);
  };
  for (const folder of graph.keys()) visit(folder);
  return cycles;
}

describe('server/ folders', () => {
  it('import each other without a cycle', () => {
    const graph = folderGraph(sourceFiles(SERVER));
    // The walk sees the folders that matter: a broken scan would pass with nothing to check.
    expect(graph.get('http')?.has('auth')).toBe(true);
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('finds a cycle through several folders', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a/x.ts imports @/server/b']])],
      ['b', new Map([['c', 'b/y.ts imports @/server/c']])],
      ['c', new Map([['a', 'c/z.ts imports ../a/x']])],
    ]);
    expect(cyclesOf(graph)).toEqual([
      ['a/x.ts imports @/server/b', 'b/y.ts imports @/server/c', 'c/z.ts imports ../a/x'],
    ]);
  });
});
