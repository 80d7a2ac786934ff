/**
 * Defers loading an AWS SDK client package until the process first uses it.
 *
 * A CLI process pays for every module it loads, and SDK clients are the
 * largest: profiled under load, `status s3-delete-access-denied` spent 3.2 of
 * its 3.7 s loading modules, 1.5 s of it @aws-sdk/client-ec2 alone, because
 * shared modules (the read view, the network engine, the policy readers)
 * import every client a scenario might need at the top. Compiled TypeScript
 * reads an import's members only when the code runs (`client_ec2_1.paginate...`),
 * so handing breakfix's own modules a stand-in that loads the package on the
 * first member read keeps behaviour identical and skips the packages a
 * command never touches. Hand-written: Node 20 has no lazy-require option
 * and `module.enableCompileCache` (Node 22) would not skip evaluating them.
 *
 * Only requests made from outside node_modules get the stand-in: the SDK's
 * own modules, and any library, load each other as usual.
 */
import Module from 'node:module';
import { sep } from 'node:path';

/** The packages deferred: every AWS SDK v3 service client. */
export const DEFERRED_PACKAGE = /^@aws-sdk\/client-[a-z0-9-]+$/;

type Loader = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean) => unknown;

/** A stand-in for a module: the real one is loaded on the first read, key listing or `in` test, then every access forwards to it. */
function deferred(load: () => object): object {
  let real: object | undefined;
  const target = () => (real ??= load());
  return new Proxy(
    {},
    {
      get: (_t, key) => Reflect.get(target(), key),
      has: (_t, key) => Reflect.has(target(), key),
      ownKeys: () => Reflect.ownKeys(target()),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(target(), key);
        // A proxy may only report a property as non-configurable when its own target has it; the stand-in's target is empty.
        return d ? { ...d, configurable: true } : undefined;
      },
      set: (_t, key, value) => Reflect.set(target(), key, value),
      getPrototypeOf: () => Reflect.getPrototypeOf(target()),
    },
  );
}

let installed = false;

/** Installs the deferral for this process (idempotent). `loaded` is told each package as it really loads. */
export function deferSdkLoading(loaded: (request: string) => void = () => undefined): void {
  if (installed) return;
  installed = true;
  const moduleApi = Module as unknown as { _load: Loader };
  const load = moduleApi._load;
  const stand = new Map<string, object>();
  moduleApi._load = function (request, parent, isMain) {
    const fromBreakfix = !parent?.filename?.includes(`${sep}node_modules${sep}`);
    if (!DEFERRED_PACKAGE.test(request) || !fromBreakfix) return load.call(this, request, parent, isMain);
    let s = stand.get(request);
    if (!s) {
      s = deferred(() => {
        loaded(request);
        return load.call(this, request, parent, isMain) as object;
      });
      stand.set(request, s);
    }
    return s;
  };
}
