import type * as Fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonStore } from './json-store';

/** Reads of the store's file, counted through node:fs (the store reads it whole each time it parses). */
function countReads(file: string): { count: () => number; restore: () => void } {
  // The module object itself (an `import *` namespace is a frozen copy the spy cannot replace).
  const fs = require('node:fs') as typeof Fs;
  const real = fs.readFileSync;
  let n = 0;
  const spy = jest.spyOn(fs, 'readFileSync').mockImplementation(((path: Fs.PathOrFileDescriptor, options?: unknown) => {
    if (path === file) n++;
    return (real as (p: Fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(path, options);
  }) as typeof Fs.readFileSync);
  return { count: () => n, restore: () => spy.mockRestore() };
}

describe('JsonStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'json-store-'));
    file = join(dir, 'labs.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses an unchanged file once for any number of lookups (a class round looks up one lab per cell)', () => {
    const store = new JsonStore<{ n: number }>(() => file);
    for (let i = 0; i < 50; i++) store.update(`lab${i}`, () => ({ n: i }));
    const reads = countReads(file);
    try {
      for (let i = 0; i < 50; i++) expect(store.get(`lab${i}`)).toEqual({ n: i });
      expect(reads.count()).toBe(1);
    } finally {
      reads.restore();
    }
  });

  it('reads the file again when another writer replaced it, and when it was rewritten in place', () => {
    const store = new JsonStore<{ n: number }>(() => file);
    store.update('a', () => ({ n: 1 }));
    expect(store.get('a')).toEqual({ n: 1 });
    // Another process's store replaces the file (write a temporary file, rename it into place).
    new JsonStore<{ n: number }>(() => file).update('a', () => ({ n: 2 }));
    expect(store.get('a')).toEqual({ n: 2 });
    // Someone edits it in place, same size.
    writeFileSync(file, JSON.stringify({ version: 1, labs: { a: { n: 3 } } }));
    expect(store.get('a')).toEqual({ n: 3 });
    rmSync(file);
    expect(store.get('a')).toBeUndefined();
  });

  it('hands out copies: changing an entry read or updated does not change what the store holds', () => {
    const store = new JsonStore<{ seen: number[] }>(() => file);
    store.update('a', () => ({ seen: [1] }));
    store.get('a')!.seen.push(99);
    expect(() =>
      store.update('a', (cur) => {
        cur!.seen.push(2);
        throw new Error('a write that fails half way');
      }),
    ).toThrow('half way');
    expect(store.get('a')).toEqual({ seen: [1] });
  });
});
