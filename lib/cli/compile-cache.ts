/**
 * Node's own on-disk cache of compiled code (`module.enableCompileCache`,
 * Node 22.8 and later): each CLI process compiles about 2 MB of SDK and
 * breakfix code before it can send a request, and the cache lets later
 * processes skip that. Measured here with Node 22.23 on `status` and `check`
 * of the S3 lab: 250 -> 210 ms and 335 -> 290 ms. Node 20 has no such
 * cache, so there this does nothing. Called with no directory, as Node's
 * docs advise for tools, so NODE_COMPILE_CACHE and
 * NODE_DISABLE_COMPILE_CACHE=1 keep working; Node never throws from it.
 */
import Module from 'node:module';

/** The part of `node:module` this uses; absent before Node 22.8. */
export interface CompileCacheHost {
  readonly enableCompileCache?: () => unknown;
}

/** Turns the cache on when this Node has one; says whether it did. */
export function enableCompileCache(host: CompileCacheHost = Module as CompileCacheHost): boolean {
  if (typeof host.enableCompileCache !== 'function') return false;
  host.enableCompileCache();
  return true;
}
