/**
 * `class serve`: a small node:http server for the instructor. It grades the
 * class in the background (the roster is re-read every round, so learners can
 * be added during the workshop) and serves the last result as JSON next to a
 * static page that polls it. It binds to loopback unless told otherwise:
 * the grid names learners and what they got wrong.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { classifyError } from '../core/classify';
import { EnvironmentError } from '../core/errors';
import type { ScenarioDefinition } from '../scenario/types';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './dashboard-page';
import { ClassReport, GradeCell, gradeClass, GradeOptions } from './grade';
import { loadRoster, Roster } from './roster';

/** The pause between two grading rounds, and so how stale the dashboard may be, unless told otherwise. */
export const DEFAULT_INTERVAL_MS = 15_000;

export interface ClassServerOptions {
  readonly rosterFile: string;
  /** Applied to the roster each round after it is read (the CLI's target options as learner defaults). */
  readonly mapRoster?: (roster: Roster) => Roster;
  readonly scenarios: readonly ScenarioDefinition[];
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Pause between the end of one grading round and the start of the next. @default 15000 */
  readonly intervalMs?: number;
  readonly gradeOptions?: GradeOptions;
  /** Told about each round (stderr in the CLI). */
  readonly log?: (message: string) => void;
  /** Host names the dashboard answers to besides loopback and the bound host. @default none */
  readonly allowedHosts?: readonly string[];
}

export interface ClassServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The latest result, once a round has finished. */
  latest(): ClassReport | undefined;
  /** Resolves after the next full grading round. */
  nextRound(): Promise<ClassReport | undefined>;
  close(): Promise<void>;
}

/** The state the page polls. */
interface GradesState {
  /** The last finished round. */
  report: ClassReport | null;
  grading: boolean;
  error?: string;
  intervalMs: number;
  /**
   * The newest grade of every learner x scenario: cells of the round under way replace the last round's
   * as each is graded, so the grid fills in while a round runs; each cell carries `gradedAt`.
   */
  cells: GradeCell[];
  /** The grid's rows and columns: the roster and scenarios of the round under way (else of the last one). */
  learners: string[];
  scenarios: string[];
  /** The round under way: cells graded of cells to grade, and when it started. */
  round?: { readonly startedAt: string; done: number; readonly total: number };
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** The host name of a Host header or URL host, lowercase, without port or IPv6 brackets. */
function hostNameOf(hostPort: string): string {
  const h = hostPort.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * The names the dashboard answers to: loopback, the bound address, and on a
 * wildcard bind this machine's own addresses and name. Anything else in Host
 * (a DNS-rebinding page whose name now resolves here) or Origin (a page of
 * another site reading /api/grades) is refused: the grid names learners.
 */
function allowedHostNames(bound: string, extra: readonly string[]): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '::1', bound.toLowerCase(), ...extra.map(hostNameOf)]);
  if (bound === '0.0.0.0' || bound === '::') {
    names.add(hostname().toLowerCase());
    for (const addrs of Object.values(networkInterfaces())) for (const a of addrs ?? []) names.add(a.address.toLowerCase());
  }
  return names;
}

export async function startClassServer(opts: ClassServerOptions): Promise<ClassServer> {
  const host = opts.host ?? '127.0.0.1';
  const intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const log = opts.log ?? (() => undefined);
  const state: GradesState = { report: null, grading: false, intervalMs, cells: [], learners: [], scenarios: [] };
  /** Newest cell per learner x scenario, across rounds. */
  const newest = new Map<string, GradeCell>();
  const keyOf = (c: { learner: string; scenario: string }) => `${c.learner}\u0000${c.scenario}`;
  const publish = () => {
    const rows = new Set(state.learners);
    const cols = new Set(state.scenarios);
    state.cells = [...newest.values()].filter((c) => rows.has(c.learner) && cols.has(c.scenario));
  };
  let waiters: ((r: ClassReport | undefined) => void)[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // One round at a time: the next is scheduled only when this one has finished (see finally), never on a clock.
  const round = async () => {
    state.grading = true;
    try {
      const read = loadRoster(opts.rosterFile);
      const roster = opts.mapRoster ? opts.mapRoster(read) : read;
      state.learners = roster.learners.map((l) => l.name);
      state.scenarios = opts.scenarios.map((s) => s.id);
      state.round = { startedAt: new Date().toISOString(), done: 0, total: state.learners.length * state.scenarios.length };
      publish();
      log(`grading ${state.round.total} cells (${state.learners.length} learners x ${state.scenarios.length} scenarios)…`);
      const onCell = (cell: GradeCell) => {
        newest.set(keyOf(cell), cell);
        state.round!.done++;
        publish();
        opts.gradeOptions?.onCell?.(cell);
      };
      const report = await gradeClass(roster, opts.scenarios, { ...opts.gradeOptions, onCell });
      state.report = report;
      for (const c of report.cells) newest.set(keyOf(c), c);
      publish();
      state.error = undefined;
      const k = report.counts;
      log(
        `graded ${report.learners.length} learners in ${(report.durationMs / 1000).toFixed(1)}s: ${k.fixed} fixed, ${k['not-fixed']} not yet, ${k.error} error, ${k['not-deployed']} not deployed`,
      );
    } catch (err) {
      // A roster edited into an invalid state keeps the last good grid on screen, with the reason.
      state.error = classifyError(err).message;
      log(`grading failed: ${state.error}`);
    } finally {
      state.grading = false;
      state.round = undefined;
      const done = waiters;
      waiters = [];
      for (const w of done) w(state.report ?? undefined);
      if (!closed) timer = setTimeout(() => void round(), intervalMs);
    }
  };

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...SECURITY_HEADERS });
    res.end(body);
  };
  let allowed = new Set<string>();
  let port = 0;
  /** Why a request is refused, or undefined: Host must name this server, and Origin (when sent) be this server. */
  const refusal = (req: IncomingMessage): string | undefined => {
    const hostHeader = req.headers.host;
    if (!hostHeader || !allowed.has(hostNameOf(hostHeader))) return 'This dashboard does not answer to that Host name.\n';
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (!url || url.protocol !== 'http:' || !allowed.has(hostNameOf(url.host)) || Number(url.port || 80) !== port)
      return 'Requests from other origins are refused.\n';
    return undefined;
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const refused = refusal(req);
    if (refused) return send(res, 403, 'text/plain; charset=utf-8', refused);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'Only GET is served here.\n');
    }
    const path = new URL(req.url ?? '/', 'http://dashboard').pathname;
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', DASHBOARD_HTML);
    if (path === '/app.js') return send(res, 200, 'text/javascript; charset=utf-8', DASHBOARD_JS);
    if (path === '/app.css') return send(res, 200, 'text/css; charset=utf-8', DASHBOARD_CSS);
    if (path === '/api/grades') return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(state));
    return send(res, 404, 'text/plain; charset=utf-8', 'Not found.\n');
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new EnvironmentError('port-in-use', `Port ${opts.port} on ${host} is already in use; pass another --port.`, err)
          : new EnvironmentError('cannot-listen', `Cannot listen on ${host}:${opts.port} (${err.code ?? err.message}).`, err),
      ),
    );
    server.listen(opts.port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  allowed = allowedHostNames(addr.address, opts.allowedHosts ?? []);
  port = addr.port;
  const urlHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  void round();

  return {
    url: `http://${urlHost}:${addr.port}/`,
    host: addr.address,
    port: addr.port,
    latest: () => state.report ?? undefined,
    nextRound: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
