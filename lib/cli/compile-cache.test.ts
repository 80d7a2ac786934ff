import Module from 'node:module';
import { enableCompileCache, type CompileCacheHost } from './compile-cache';

test('asks a Node that has the compile cache to turn it on, once and with no directory (NODE_COMPILE_CACHE then decides)', () => {
  const calls: unknown[][] = [];
  const host: CompileCacheHost = { enableCompileCache: (...args: unknown[]) => calls.push(args) };
  expect(enableCompileCache(host)).toBe(true);
  expect(calls).toEqual([[]]);
});

test('does nothing on a Node without it', () => {
  expect(enableCompileCache({})).toBe(false);
});

test('by default asks this process’s node:module, which has the cache exactly when its Node is 22.8 or later', () => {
  const [major, minor] = process.versions.node.split('.').map(Number);
  const hasCache = major > 22 || (major === 22 && minor >= 8);
  expect(typeof (Module as CompileCacheHost).enableCompileCache === 'function').toBe(hasCache);
  expect(enableCompileCache()).toBe(hasCache);
});
