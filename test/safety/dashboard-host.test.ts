/**
 * The class dashboard names learners and what they got wrong. A page of
 * another site must not read it: not by DNS rebinding (its own name now
 * resolving to this machine, so the browser sends that name as Host) and not
 * cross-origin (Origin of another site). Both are answered 403.
 */
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassServer, startClassServer } from '../../lib/class/server';
import { SCENARIOS } from '../support/catalog';

let server: ClassServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'breakfix-dash-'));
  const roster = join(dir, 'class.yaml');
  // A learner whose grading needs no emulator: the rollback lab does not run on LocalStack, refused before any call.
  writeFileSync(roster, 'defaults: { target: localstack }\nlearners:\n  - name: ana\n');
  server = await startClassServer({
    rosterFile: roster,
    scenarios: SCENARIOS.filter((s) => s.id === 'stack-update-rollback-failed'),
    port: 0,
    intervalMs: 60_000,
    gradeOptions: { env: {} },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A GET with the headers a browser would send; node's client lets the test choose Host. */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('loopback names and the bound address are served, with or without a same-origin Origin', async () => {
  for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'localhost']) {
    expect((await get('/api/grades', { host })).status).toBe(200);
  }
  expect((await get('/api/grades', { host: `127.0.0.1:${server.port}`, origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  expect((await get('/', { host: `localhost:${server.port}`, origin: `http://localhost:${server.port}` })).status).toBe(200);
});

test.each(['/api/grades', '/', '/app.js'])('a foreign Host (DNS rebinding) is refused on %s', async (path) => {
  const r = await get(path, { host: `attacker.example:${server.port}` });
  expect(r.status).toBe(403);
  expect(r.body).not.toMatch(/ana/);
});

test.each(['http://attacker.example', 'http://attacker.example:PORT', 'https://127.0.0.1:PORT', 'http://127.0.0.1:1', 'null'])(
  'a foreign Origin %s is refused',
  async (origin) => {
    const r = await get('/api/grades', { host: `127.0.0.1:${server.port}`, origin: origin.replace('PORT', String(server.port)) });
    expect(r.status).toBe(403);
    expect(r.body).not.toMatch(/ana/);
  },
);
