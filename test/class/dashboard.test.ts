/**
 * `class serve` in a real browser: Debian's chromium, driven by
 * playwright-core, loads the dashboard of a moto-backed class. Two learners
 * deploy fargate-cannot-pull-image and one fixes it; the roster also holds a
 * learner who never deployed and one whose emulator is down. The grid shows
 * each state, then follows a hint and a second fix without a reload.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, BrowserContext, Page } from 'playwright-core';
import { startClassServer, ClassServer } from '../../lib/class/server';
import type { ScenarioContext } from '../../lib/scenario/types';
import { startTestMoto, TestMoto } from '../support/moto';
import { isolateBreakfixHome } from '../support/lab';
import { cleanEnv, closedPort, expectOneErrorLine, runMain } from '../cli/harness';
import { deployFor, FARGATE, fixFargate } from './helpers';

const CHROMIUM = process.env.BREAKFIX_CHROMIUM ?? '/usr/bin/chromium';

let moto: TestMoto;
let dir: string;
let server: ClassServer;
let browser: BrowserContext;
let page: Page;
let ben: ScenarioContext;
/** Everything the server told its log, in order: a round's start ("grading ...") and its end ("graded ..."). */
const serverLog: string[] = [];

/** The page's elements, as page functions see them (the tests compile without the DOM library; page functions are serialized, so no helpers). */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(sel: string): PageElement | null;
}

const cell = (learner: string) => page.locator(`td[data-learner="${learner}"][data-scenario="${FARGATE.id}"]`);

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does) or set BREAKFIX_CHROMIUM.`,
    );
  isolateBreakfixHome();
  dir = mkdtempSync(join(tmpdir(), 'breakfix-dashboard-'));
  moto = await startTestMoto();
  const ana = await deployFor('ana', moto.endpoint);
  ben = await deployFor('ben', moto.endpoint);
  await fixFargate(ana);
  ana.clients.destroy();
  const rosterFile = join(dir, 'class.csv');
  writeFileSync(
    rosterFile,
    `name,target,endpoint\nana,moto,${moto.endpoint}\nben,moto,${moto.endpoint}\ncy,moto,${moto.endpoint}\ndan,moto,http://127.0.0.1:${await closedPort()}\n`,
  );
  server = await startClassServer({
    rosterFile,
    scenarios: [FARGATE],
    port: 0,
    intervalMs: 300,
    gradeOptions: { env: cleanEnv(), maxAttempts: 2 },
    log: (m) => serverLog.push(m),
  });
  await server.nextRound();
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'breakfix-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  ben?.clients.destroy();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('binds to loopback, serves the page, the stylesheet, the script and the JSON; nothing else', async () => {
  expect(server.host).toBe('127.0.0.1');
  const page0 = await fetch(server.url);
  expect(page0.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  expect(await page0.text()).toMatch(/<table id="grid"/);
  const json = (await (await fetch(new URL('/api/grades', server.url))).json()) as { report: { learners: string[] } };
  expect(json.report.learners).toEqual(['ana', 'ben', 'cy', 'dan']);
  expect((await fetch(new URL('/nope', server.url))).status).toBe(404);
  expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
});

test('the grid shows fixed, not yet, not deployed and error, with hints and time since deploy', async () => {
  await expect(cell('ana').getAttribute('data-status')).resolves.toBe('fixed');
  expect(await page.locator('thead th').allTextContents()).toEqual(['learner', FARGATE.id]);
  expect(await page.locator('tbody th').allTextContents()).toEqual(['ana', 'ben', 'cy', 'dan']);
  expect(await cell('ana').locator('.label').textContent()).toBe('fixed');
  expect(await cell('ana').locator('.fixed-after').textContent()).toMatch(/^fixed after (<1m|\dm)$/);
  expect(await cell('ben').locator('.label').textContent()).toBe('not yet');
  expect(await cell('ben').getAttribute('title')).toMatch(/no route to S3/);
  expect(await cell('ben').locator('.hints').textContent()).toBe('no hints');
  expect(await cell('ben').locator('.deployed').textContent()).toMatch(/^deployed (<1m|\dm) ago$/);
  expect(await cell('cy').locator('.label').textContent()).toBe('not deployed');
  expect(await cell('dan').locator('.label').textContent()).toBe('error');
  expect(await cell('dan').locator('.message').textContent()).toMatch(/unreachable/);
  expect(await page.locator('#counts').textContent()).toBe('4 learners · 1 fixed · 1 not yet · 1 error · 1 not deployed');
});

test('it refreshes by itself: a hint, then a fix, appear without a reload', async () => {
  const hint = await runMain(['hint', FARGATE.id, '--endpoint', moto.endpoint, '--learner', 'ben'], { env: cleanEnv() });
  expect(hint.code).toBe(0);
  await page.waitForFunction(
    (sel) =>
      (globalThis as unknown as { document: PageElement }).document.querySelector(sel)?.querySelector('.hints')?.textContent ===
      '1 hint (-5)',
    `td[data-learner="ben"][data-scenario="${FARGATE.id}"]`,
    { timeout: 30_000 },
  );
  await fixFargate(ben);
  await page.waitForFunction(
    (sel) => (globalThis as unknown as { document: PageElement }).document.querySelector(sel)?.getAttribute('data-status') === 'fixed',
    `td[data-learner="ben"][data-scenario="${FARGATE.id}"]`,
    { timeout: 30_000 },
  );
  expect(await cell('ben').locator('.label').textContent()).toBe('fixed');
  expect(await page.locator('#counts').textContent()).toBe('4 learners · 2 fixed · 0 not yet · 1 error · 1 not deployed');
});

test('each cell says how long ago it was checked; rounds never overlap, and the JSON shows the round under way', async () => {
  const before = Date.now();
  // A cell's age is its own: it changes as that cell is regraded, round after round.
  const first = await cell('ben').getAttribute('data-graded-at');
  await page.waitForFunction(
    ([sel, was]) => {
      const at = (globalThis as unknown as { document: PageElement }).document.querySelector(sel)?.getAttribute('data-graded-at');
      return Boolean(at) && at !== was;
    },
    [`td[data-learner="ben"][data-scenario="${FARGATE.id}"]`, first] as const,
    { timeout: 30_000 },
  );
  for (const learner of ['ana', 'ben', 'cy', 'dan']) {
    expect(await cell(learner).locator('.age').textContent()).toMatch(/^checked (\d|[1-5]\d)s ago$/);
    const at = Date.parse((await cell(learner).getAttribute('data-graded-at'))!);
    expect(at).toBeLessThanOrEqual(Date.now());
  }
  expect(Date.parse((await cell('ben').getAttribute('data-graded-at'))!)).toBeGreaterThanOrEqual(before - 1000);

  // Poll the JSON until a round is seen under way: it counts its cells, never past the total.
  type Polled = { grading: boolean; round?: { done: number; total: number }; cells: { gradedAt: string }[] };
  const seen: Polled[] = [];
  for (let i = 0; i < 200 && !seen.some((s) => s.grading); i++) {
    seen.push((await (await fetch(new URL('/api/grades', server.url))).json()) as Polled);
    await new Promise((r) => setTimeout(r, 25));
  }
  const under = seen.find((s) => s.grading)!;
  expect(under.round!.total).toBe(4);
  expect(under.round!.done).toBeLessThanOrEqual(4);
  expect(under.cells).toHaveLength(4); // the last round's cells stay on screen until each is regraded
  for (const c of under.cells) expect(Number.isNaN(Date.parse(c.gradedAt))).toBe(false);

  // One round at a time: every start is followed by its end before the next start.
  const marks = serverLog.map((m) => (m.startsWith('grading ') && !m.startsWith('grading failed') ? 'start' : 'end'));
  expect(marks.length).toBeGreaterThanOrEqual(4);
  marks.forEach((m, i) => expect(m).toBe(i % 2 === 0 ? 'start' : 'end'));
});

test('a learner name cannot inject markup into the page', async () => {
  // Names are validated, but messages come from AWS; the page only ever sets textContent.
  expect(await page.locator('td script, td img, th script').count()).toBe(0);
  const html = await (await fetch(new URL('/app.js', server.url))).text();
  expect(html).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
});

test('the CLI: a bad roster or port is a usage error before anything listens', async () => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, 'learners:\n  - name: Ben\n');
  const r = await runMain(['class', 'serve', '--roster', bad], { env: cleanEnv() });
  expect(r.code).toBe(2);
  expectOneErrorLine(r.stderr, { matches: /learner Ben name: Learner name "Ben" is not usable/ });
  const port = await runMain(['class', 'serve', '--roster', bad, '--port', '70000'], { env: cleanEnv() });
  expect(port.code).toBe(2);
  const busy = await runMain(['class', 'serve', '--roster', join(dir, 'class.csv'), '--port', String(server.port)], { env: cleanEnv() });
  expect(busy.code).toBe(3);
  expectOneErrorLine(busy.stderr, { matches: new RegExp(`Port ${server.port} on 127\\.0\\.0\\.1 is already in use`) });
});
