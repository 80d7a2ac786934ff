/**
 * A cache of synthesized cloud assemblies under BREAKFIX_HOME, so `deploy`
 * and `reset` skip loading aws-cdk-lib and synthesizing when nothing that
 * shapes the template changed. Synthesis is most of a CLI deploy's time on
 * an emulator (measured: 30+ s of a 60 s deploy on a loaded machine, against
 * milliseconds for moto's CreateStack).
 *
 * Never stale: the key hashes everything the template is made from. That is
 * the stack request (scenario, variant, learner, target kind, region,
 * account), the scenario's metadata, the bytes of every file in the folder
 * its code runs from, in its source folder (assets) and in breakfix's own
 * lib/ (shared constructs, naming, tags), and the versions of aws-cdk-lib, constructs and the CDK toolkit.
 * Any change gives a new key and a fresh synthesis. Hand-written because the
 * toolkit's own assembly caching (`cdk.out` reuse) has no notion of
 * inputs: it serves whatever directory it is pointed at.
 */
import { createHash, type Hash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ScenarioDefinition } from '../scenario/types';
import { breakfixHome } from '../targets/moto/server';

/** What a stack is built for; with the code below, everything a template depends on. */
export interface TemplateRequest {
  readonly scenario: Pick<ScenarioDefinition, 'id' | 'meta' | 'dir' | 'codeDir'>;
  readonly variant: string;
  readonly learner?: string;
  readonly targetKind: string;
  readonly region?: string;
  readonly account?: string;
}

/** The code a template is made from: folders whose every file is hashed, and library versions. */
export interface TemplateCode {
  readonly folders: readonly string[];
  readonly versions: Readonly<Record<string, string>>;
}

/** Libraries whose version shapes the template or the assembly's format. */
const SYNTH_LIBRARIES = ['aws-cdk-lib', 'constructs', '@aws-cdk/toolkit-lib'] as const;

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * The folder the scenario's code runs from (dist/scenarios/<id> when
 * compiled), its source folder (stacks read assets from it, e.g. a Lambda's
 * inline code), and breakfix's lib/ beside this file.
 */
export function templateCodeOf(scenario: TemplateRequest['scenario']): TemplateCode {
  return {
    folders: [...new Set([scenario.codeDir ?? scenario.dir, scenario.dir]), resolve(__dirname, '..')],
    versions: Object.fromEntries(SYNTH_LIBRARIES.map((name) => [name, packageVersion(name)])),
  };
}

/** Feeds every file under `dir` into the hash, by path relative to `dir` and content, in a fixed order. */
function hashFolder(hash: Hash, dir: string, rel = ''): void {
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    // Source maps are derived from the .js beside them, which is hashed; skipping them halves the files read.
    if (['node_modules', '__pycache__'].includes(entry.name) || /\.(lock|map)$/.test(entry.name)) continue;
    const path = join(rel, entry.name);
    if (entry.isDirectory()) hashFolder(hash, dir, path);
    else if (entry.isFile())
      hash
        .update(`file ${path}\0`)
        .update(readFileSync(join(dir, path)))
        .update('\0');
  }
}

/** The cache key: a SHA-256 over the request, the scenario's metadata, the code folders' files and the library versions. */
export function templateCacheKey(req: TemplateRequest, code: TemplateCode = templateCodeOf(req.scenario)): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify({
      scenario: req.scenario.id,
      variant: req.variant,
      learner: req.learner ?? null,
      targetKind: req.targetKind,
      region: req.region ?? null,
      account: req.account ?? null,
      meta: req.scenario.meta,
      versions: code.versions,
    }),
  );
  code.folders.forEach((folder, i) => {
    hash.update(`\0folder ${i}\0`);
    hashFolder(hash, folder);
  });
  return hash.digest('hex');
}

/** Where the assembly of a key lives (a cloud assembly directory: manifest.json, the template, tree.json). */
export function templateCacheDir(req: TemplateRequest, key: string): string {
  return join(breakfixHome(), 'templates', req.scenario.id, key);
}

/** The cached assembly directory for `req`, whether it is there yet (a hit) or must be synthesized and stored. */
export function lookUpTemplate(req: TemplateRequest, code?: TemplateCode): { readonly dir: string; readonly hit: boolean } {
  const dir = templateCacheDir(req, templateCacheKey(req, code));
  // Entries appear by an atomic rename, so a directory with a manifest is complete.
  return { dir, hit: existsSync(join(dir, 'manifest.json')) };
}

/**
 * Copies a freshly synthesized assembly into the cache under `dir`: into a
 * private staging folder first, then renamed into place, so a concurrent
 * deploy never reads half an entry. Lock files of the toolkit stay behind.
 */
export function storeTemplate(assemblyDir: string, dir: string, inputs: object): void {
  const staging = `${dir}.${process.pid}.${Date.now()}.staging`;
  mkdirSync(resolve(dir, '..'), { recursive: true });
  try {
    cpSync(assemblyDir, staging, { recursive: true, filter: (src) => !basename(src).endsWith('.lock') });
    writeFileSync(join(staging, 'breakfix-key.json'), JSON.stringify(inputs, null, 2));
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another deploy stored the same key first: its entry is the same template.
    if (existsSync(join(dir, 'manifest.json'))) return;
    throw err;
  }
}
