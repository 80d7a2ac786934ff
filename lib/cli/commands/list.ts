import type { CommandDeps } from '../common';
import { EXIT } from '../exit-codes';
import { paint } from '../io';
import { readSpoilers } from '../../scenario/spoilers';

export interface ListOptions {
  readonly json?: boolean;
  /** Instructors: also each variant's cause (spoilers). */
  readonly explain?: boolean;
}

export async function runList(opts: ListOptions, deps: CommandDeps): Promise<number> {
  const rows = deps.scenarios.map((s) => ({
    id: s.id,
    title: s.meta.title,
    services: s.meta.services,
    difficulty: s.meta.difficulty,
    targets: s.meta.targets,
    // Titles name what the learner sees; the cause behind each variant stays in spoilers.json unless asked for.
    variants: s.meta.variants.map((v) => ({
      id: v.id,
      title: v.title,
      ...(v.targets ? { targets: v.targets } : {}),
      ...(opts.explain ? { cause: readSpoilers(s.dir).variants[v.id]?.cause } : {}),
    })),
  }));
  if (opts.json) {
    deps.io.out(JSON.stringify(rows));
    return EXIT.OK;
  }
  const width = Math.max(...rows.map((r) => r.id.length), 2);
  const svcWidth = Math.max(...rows.map((r) => r.services.join(',').length), 'SERVICES'.length);
  deps.io.out(
    paint(deps.io, 'bold', `${'ID'.padEnd(width)}  ${'DIFFICULTY'.padEnd(12)}  ${'SERVICES'.padEnd(svcWidth)}  MOTO/FLOCI/LOCALSTACK/AWS`),
  );
  for (const r of rows) {
    const t = r.targets;
    deps.io.out(
      `${r.id.padEnd(width)}  ${r.difficulty.padEnd(12)}  ${r.services.join(',').padEnd(svcWidth)}  ${[t.moto, t.floci, t.localstack, t.aws].join('/')}`,
    );
    deps.io.out(`${''.padEnd(width)}  ${paint(deps.io, 'dim', r.title)}`);
    if (r.variants.length > 1)
      deps.io.out(
        `${''.padEnd(width)}  ${paint(deps.io, 'dim', `variants: ${r.variants.map((v) => v.id + (v.targets ? ` (${v.targets.join('/')} only)` : '')).join(', ')}`)}`,
      );
    if (opts.explain) for (const v of r.variants) deps.io.out(`${''.padEnd(width)}  ${v.id}: ${v.cause ?? '(no cause recorded)'}`);
  }
  return EXIT.OK;
}
