/**
 * Registry of the moto compatibility module (lib/targets/moto/fidelity):
 * every patch module is registered, named for its defect, documented (the
 * defect, the AWS behaviour with its sources, when to drop it), tested
 * against stock and patched moto by the test its docstring names, described
 * in the README, and idempotent: applying every patch a second time changes
 * nothing in moto.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const MODULE_DIR = join(ROOT, 'lib', 'targets', 'moto', 'fidelity');
const README = readFileSync(join(MODULE_DIR, 'README.md'), 'utf8');
const SERVICES = ['cfn', 'dynamodb', 'ec2', 'ecr', 'ecs', 'elbv2', 'iam', 'lambda', 'logs', 's3', 'secretsmanager', 'ssm'];

/**
 * Applies every patch, fingerprints moto's functions and class members,
 * applies every patch again and reports what changed; also returns the
 * registry and each module's docstring.
 */
const INSPECT = `
import ast, importlib, json, sys
sys.path.insert(0, sys.argv[1])
import patches

def fingerprint():
    seen = {}
    for name, mod in list(sys.modules.items()):
        if mod is None or not (name == "moto" or name.startswith("moto.")):
            continue
        for attr, value in list(vars(mod).items()):
            if callable(value):
                seen[name + "." + attr] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                for key, member in list(vars(value).items()):
                    seen[name + "." + attr + "." + key] = id(member)
    return seen

patches.apply_all()
before = fingerprint()
for module in patches.PATCH_MODULES:
    importlib.import_module(module).apply()
after = fingerprint()
docs = {}
for module in patches.PATCH_MODULES:
    with open(importlib.import_module(module).__file__) as f:
        docs[module] = ast.get_docstring(ast.parse(f.read())) or ""
changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
print(json.dumps({"modules": patches.PATCH_MODULES, "docs": docs, "changed": changed}))
`;

interface Inspection {
  modules: string[];
  docs: Record<string, string>;
  changed: string[];
}

let inspection: Inspection;

beforeAll(() => {
  const out = execFileSync(process.env.BREAKFIX_PYTHON ?? 'python3', ['-c', INSPECT, MODULE_DIR], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  inspection = JSON.parse(out.trim().split('\n').at(-1)!) as Inspection;
});

const moduleFiles = readdirSync(MODULE_DIR)
  .filter((f) => /^patch_.*\.py$/.test(f))
  .map((f) => f.replace(/\.py$/, ''))
  .sort();

/** The test files a module's "When to drop" names. */
function namedTests(doc: string): string[] {
  const drop = doc.split('When to drop')[1] ?? '';
  return [...drop.matchAll(/test\/fidelity(?:-rollback)?\/[a-z0-9.-]+\.test\.ts/g)].map((m) => m[0]);
}

/** A README section: from its "## name" heading to the next heading. */
function readmeSection(name: string): string | undefined {
  const parts = README.split(/^## /m);
  const found = parts.find((p) => p.split('\n')[0].trim() === name);
  return found?.split(/^---$/m)[0];
}

test('every patch module in the folder is registered in PATCH_MODULES, once, and nothing else is', () => {
  expect([...inspection.modules].sort()).toEqual(moduleFiles);
  expect(new Set(inspection.modules).size).toBe(inspection.modules.length);
});

test('applying every patch a second time changes nothing in moto (each apply() is guarded)', () => {
  expect(inspection.changed).toEqual([]);
});

describe.each(moduleFiles)('%s', (name) => {
  test('is named patch_<service>_<what>', () => {
    expect(name).toMatch(new RegExp(`^patch_(${SERVICES.join('|')})_[a-z0-9]+(_[a-z0-9]+)*$`));
  });

  test('has a docstring stating the defect, the AWS behaviour restored and when to drop it', () => {
    const doc = inspection.docs[name];
    for (const heading of ['Defect in stock moto 5.2.1', 'AWS behaviour restored', 'When to drop']) {
      expect({ name, heading, present: doc.includes(heading) }).toEqual({ name, heading, present: true });
    }
    // AWS sources are cited by page title, in double quotes.
    expect(doc.split('AWS behaviour restored')[1]).toMatch(/"[A-Z][^"]+"/);
  });

  test('names its test, which exists, is named after it, and runs stock and patched moto', () => {
    const tests = namedTests(inspection.docs[name]);
    expect(tests.length).toBeGreaterThan(0);
    const own = `test/fidelity/${name.replace(/^patch_/, '').replace(/_/g, '-')}.test.ts`;
    // The module's own test carries its name; the update-rollback family shares test/fidelity-rollback/.
    expect(tests.includes(own) || tests.every((t) => t.startsWith('test/fidelity-rollback/'))).toBe(true);
    for (const t of tests) {
      expect({ test: t, exists: existsSync(join(ROOT, t)) }).toEqual({ test: t, exists: true });
    }
    const sources = tests.map((t) => readFileSync(join(ROOT, t), 'utf8')).join('\n');
    expect(sources).toMatch(/startMotoPair|stackOnBothFlavours|deletionOnBothFlavours|stock: true/);
    if (tests.includes(own)) expect(readFileSync(join(ROOT, own), 'utf8')).toContain(name);
  });

  test('has a README section citing its AWS sources and naming the same test', () => {
    const section = readmeSection(name);
    expect({ name, section: section !== undefined }).toEqual({ name, section: true });
    expect(section).toContain('**AWS behaviour:**');
    expect(section).toMatch(/\*[A-Z][^*]+\*/);
    for (const t of namedTests(inspection.docs[name])) expect(section).toContain(t);
  });
});

test('every test file in test/fidelity belongs to a module or names the modules it covers', () => {
  const owned = new Set(moduleFiles.map((n) => `${n.replace(/^patch_/, '').replace(/_/g, '-')}.test.ts`));
  for (const file of readdirSync(join(ROOT, 'test', 'fidelity')).filter((f) => f.endsWith('.test.ts'))) {
    if (owned.has(file) || file === basename(__filename)) continue;
    const text = readFileSync(join(ROOT, 'test', 'fidelity', file), 'utf8');
    const covered = moduleFiles.filter((n) => text.includes(n));
    expect({ file, coversAModule: covered.length > 0 }).toEqual({ file, coversAModule: true });
  }
});
