/**
 * A class roster: who is in the workshop and where each learner's labs live.
 * Either a shared place (one account, or one emulator endpoint, for everyone:
 * learner names keep stacks apart) or the learner's own account, reached
 * through a role breakfix assumes with STS.
 *
 * YAML:
 *   defaults: { target: moto, endpoint: http://127.0.0.1:5000, region: us-east-1 }
 *   learners:
 *     - name: ana
 *     - name: ben
 *       target: aws
 *       roleArn: arn:aws:iam::111122223333:role/breakfix-grader
 *       variants: { s3-delete-access-denied: scp }
 *
 * CSV (header row; empty cells fall back to nothing):
 *   name,target,endpoint,region,role_arn,external_id,variants
 *   ana,moto,http://127.0.0.1:5000,,,,s3-delete-access-denied=permissions-boundary
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../core/errors';
import { learnerNameProblem } from '../scenario/naming';
import { TARGET_KINDS } from '../targets/target';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** `scenario=variant` pairs, separated by spaces, commas or semicolons (the CSV form of `variants`). */
function variantPairs(text: string): Record<string, string> | string {
  const pairs = text.split(/[\s,;]+/).filter(Boolean);
  const bad = pairs.find((p) => !/^[^=]+=[^=]+$/.test(p));
  return bad ? text : Object.fromEntries(pairs.map((p) => p.split('=') as [string, string]));
}

const variantsSchema = z.preprocess(
  (v) => (typeof v === 'string' ? variantPairs(v) : v),
  z.record(
    z.string().regex(ID, 'variants must map scenario IDs (lowercase, digits, dashes) to variant IDs'),
    z.string().regex(ID, 'variants must map scenario IDs to variant IDs (lowercase, digits, dashes)'),
    {
      invalid_type_error:
        'variants must map scenario IDs to variant IDs, e.g. { s3-delete-access-denied: scp } or s3-delete-access-denied=scp',
    },
  ),
);

const placeSchema = z
  .object({
    target: z
      .enum(TARGET_KINDS as unknown as [string, ...string[]], {
        errorMap: () => ({ message: `target must be one of ${TARGET_KINDS.join(', ')}` }),
      })
      .optional(),
    endpoint: z.string().url('endpoint must be a URL such as http://127.0.0.1:5000').optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'region must look like us-east-1')
      .optional(),
    roleArn: z
      .string()
      .regex(ROLE_ARN, 'roleArn must be an IAM role ARN such as arn:aws:iam::111122223333:role/breakfix-grader')
      .optional(),
    externalId: z.string().min(2).max(1224).optional(),
    /** The variant the instructor assigned per scenario: evidence the learner cannot change, for labs this machine did not deploy. */
    variants: variantsSchema.optional(),
  })
  .strict();

const learnerSchema = placeSchema.extend({
  name: z.string({ required_error: 'every learner needs a name' }).superRefine((name, ctx) => {
    const problem = learnerNameProblem(name);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }),
});

const rosterSchema = z
  .object({
    defaults: placeSchema.optional(),
    learners: z.array(learnerSchema).min(1, 'the roster lists no learners'),
  })
  .strict();

export type TargetKindName = (typeof TARGET_KINDS)[number];

/** One learner and where their labs are. */
export interface RosterLearner {
  readonly name: string;
  readonly target?: TargetKindName;
  readonly endpoint?: string;
  readonly region?: string;
  /** A role in the learner's own account that breakfix assumes to grade. */
  readonly roleArn?: string;
  readonly externalId?: string;
  /**
   * The variant the instructor assigned for each scenario (scenario ID to
   * variant ID). Class grading uses it for a lab this machine has no record
   * of arming; it is checked against the scenario's variants when graded.
   */
  readonly variants?: Readonly<Record<string, string>>;
}

export interface Roster {
  readonly file: string;
  readonly learners: readonly RosterLearner[];
}

/** Reads a roster file; the format follows the extension (.csv, .yaml, .yml, .json). */
export function loadRoster(file: string): Roster {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      'bad-roster',
      `Cannot read the roster ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`,
    );
  }
  const ext = extname(file).toLowerCase();
  if (ext === '.csv') return parseRoster(file, csvToRoster(file, text));
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    let data: unknown;
    try {
      data = parseYaml(text, { prettyErrors: true });
    } catch (err) {
      throw new UsageError(
        'bad-roster',
        `The roster ${file} is not valid YAML: ${(err as Error).message.split('\n')[0].replace(/[:.\s]*$/, '')}.`,
      );
    }
    // A bare list of learners is a roster too.
    return parseRoster(file, Array.isArray(data) ? { learners: data } : data);
  }
  throw new UsageError('bad-roster', `The roster ${file} must end in .csv, .yaml, .yml or .json.`);
}

/** Validates parsed roster data and applies defaults; every problem becomes one sentence. */
export function parseRoster(file: string, data: unknown): Roster {
  const parsed = rosterSchema.safeParse(withoutEmptyFields(data ?? {}));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = describePath(data, issue.path);
    const more =
      parsed.error.issues.length > 1
        ? ` (and ${parsed.error.issues.length - 1} more problem${parsed.error.issues.length > 2 ? 's' : ''})`
        : '';
    throw new UsageError('bad-roster', `The roster ${file} is invalid: ${where}${issue.message.replace(/\.$/, '')}${more}.`);
  }
  const defaults = parsed.data.defaults ?? {};
  const seen = new Set<string>();
  const learners = parsed.data.learners.map((raw) => {
    // A learner on real AWS does not inherit the class's emulator endpoint.
    const inherited = raw.target === 'aws' && raw.endpoint === undefined ? { ...defaults, endpoint: undefined } : defaults;
    const variants = { ...inherited.variants, ...raw.variants };
    const l = stripUndefined({
      ...inherited,
      ...stripUndefined(raw),
      variants: Object.keys(variants).length ? variants : undefined,
    }) as RosterLearner;
    if (seen.has(l.name))
      throw new UsageError(
        'bad-roster',
        `The roster ${file} lists learner ${l.name} twice; names must be unique because they prefix stack names.`,
      );
    seen.add(l.name);
    if (l.target === 'aws' && l.endpoint)
      throw new UsageError(
        'bad-roster',
        `The roster ${file} gives learner ${l.name} both target aws and an endpoint; real AWS has no custom endpoint.`,
      );
    if (l.externalId && !l.roleArn)
      throw new UsageError('bad-roster', `The roster ${file} gives learner ${l.name} an externalId without a roleArn.`);
    return l;
  });
  return { file, learners };
}

/** Empty values (`endpoint: ""`, an empty CSV cell) mean "not given". */
function withoutEmptyFields(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const o = data as { defaults?: unknown; learners?: unknown };
  const clean = (v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '' && x !== null))
      : v;
  const learners = Array.isArray(o.learners)
    ? o.learners.map((l) => {
        const c = clean(l);
        const line = (l as { __line?: number })?.__line;
        if (line && typeof c === 'object' && c) Object.defineProperty(c, '__line', { value: line, enumerable: false });
        return c;
      })
    : o.learners;
  return { ...o, ...(o.defaults !== undefined ? { defaults: clean(o.defaults) } : {}), ...(o.learners !== undefined ? { learners } : {}) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

function describePath(data: unknown, path: (string | number)[]): string {
  if (path[0] === 'learners' && typeof path[1] === 'number') {
    const entry = (data as { learners?: unknown[] })?.learners?.[path[1]] as { name?: unknown; __line?: number } | undefined;
    const line = entry?.__line;
    const who = typeof entry?.name === 'string' ? `learner ${entry.name}` : `learner #${path[1] + 1}`;
    const field = path.length > 2 ? ` ${path.slice(2).join('.')}` : '';
    return `${line ? `line ${line}, ` : ''}${who}${field}: `;
  }
  return path.length ? `${path.join('.')}: ` : '';
}

const CSV_COLUMNS: Record<string, keyof RosterLearner> = {
  name: 'name',
  learner: 'name',
  target: 'target',
  endpoint: 'endpoint',
  region: 'region',
  role_arn: 'roleArn',
  rolearn: 'roleArn',
  external_id: 'externalId',
  externalid: 'externalId',
  variants: 'variants',
};

/** CSV with a header row. Fields may be double-quoted; `#` lines are comments. */
function csvToRoster(file: string, text: string): { learners: unknown[] } {
  const lines = text
    .split(/\r?\n/)
    .map((line, i) => ({ line, no: i + 1 }))
    .filter(({ line }) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  if (lines.length === 0) return { learners: [] };
  const header = splitCsvLine(file, lines[0].line, lines[0].no).map((h) => h.trim().toLowerCase().replace(/[\s-]/g, '_'));
  header.forEach((h) => {
    if (!CSV_COLUMNS[h])
      throw new UsageError(
        'bad-roster',
        `The roster ${file} has an unknown column "${h}"; use ${Object.keys(CSV_COLUMNS)
          .filter((k) => k.includes('_') || k === 'name' || ['target', 'endpoint', 'region', 'variants'].includes(k))
          .join(', ')}.`,
      );
  });
  if (!header.some((h) => CSV_COLUMNS[h] === 'name')) throw new UsageError('bad-roster', `The roster ${file} needs a "name" column.`);
  const learners = lines.slice(1).map(({ line, no }) => {
    const cells = splitCsvLine(file, line, no);
    if (cells.length > header.length)
      throw new UsageError('bad-roster', `The roster ${file}, line ${no}, has ${cells.length} fields but the header has ${header.length}.`);
    const entry: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const v = (cells[i] ?? '').trim();
      if (v !== '') entry[CSV_COLUMNS[h]] = v;
    });
    Object.defineProperty(entry, '__line', { value: no, enumerable: false });
    return entry;
  });
  return { learners };
}

function splitCsvLine(file: string, line: string, no: number): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) throw new UsageError('bad-roster', `The roster ${file}, line ${no}, has an unclosed quote.`);
  cells.push(cur);
  return cells;
}
