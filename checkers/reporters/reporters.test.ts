import { execFileSync } from 'node:child_process';
import type { CheckReport, CriterionResult } from '../criterion';
import { toJson } from './json';
import { toJunit } from './junit';
import { TextStyle, toText } from './text';

const HOSTILE = `Bucket "a&b" <x> 'quoted' \u00e9\u4e2d\u{1F600} tab\there\nnew line`;

const report = (criteria: CriterionResult[], over: Partial<CheckReport> = {}): CheckReport => ({
  scenario: 'demo-scenario',
  target: 'moto',
  verdict: criteria.some((c) => c.status === 'fail' || c.status === 'error') ? 'not-fixed' : 'fixed',
  criteria,
  durationMs: 1234,
  ...over,
});

const mixed = report([
  { id: 'a-pass', title: 'Passes', status: 'pass', message: 'Route table rtb-1 routes S3 to vpce-1.' },
  { id: 'b-fail', title: 'Fails', status: 'fail', message: 'Route table rtb-2 of subnet subnet-2 has no route to S3.' },
  { id: 'c-error', title: 'Errors', status: 'error', message: 'Criterion raised an error: boom' },
  {
    id: 'd-na',
    title: 'Does not apply',
    status: 'not-applicable',
    message: 'moto runs no containers.',
    advice: 'Watch the service events on AWS.',
  },
]);

describe('JSON reporter', () => {
  test('one line, keys in the documented order', () => {
    const text = toJson(mixed);
    expect(text).not.toContain('\n');
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['scenario', 'target', 'verdict', 'criteria', 'durationMs']);
    expect(parsed.criteria.map((c: object) => Object.keys(c))).toEqual([
      ['id', 'title', 'status', 'message'],
      ['id', 'title', 'status', 'message'],
      ['id', 'title', 'status', 'message'],
      ['id', 'title', 'status', 'message', 'advice'],
    ]);
    expect(parsed).toMatchObject({ scenario: 'demo-scenario', target: 'moto', verdict: 'not-fixed', durationMs: 1234 });
  });

  test('fields outside the contract do not leak', () => {
    const extra = { ...mixed, secret: 'x', criteria: [{ ...mixed.criteria[0], raw: { big: true } }] } as unknown as CheckReport;
    const parsed = JSON.parse(toJson(extra));
    expect(parsed).not.toHaveProperty('secret');
    expect(parsed.criteria[0]).not.toHaveProperty('raw');
  });

  test('any text round-trips', () => {
    const r = report([{ id: 'x', title: HOSTILE, status: 'fail', message: HOSTILE }]);
    const parsed = JSON.parse(toJson(r));
    expect(parsed.criteria[0].title).toBe(HOSTILE);
    expect(parsed.criteria[0].message).toBe(HOSTILE);
  });
});

describe('text reporter', () => {
  const plain: TextStyle = { paint: (_s, t) => t };
  const tagged: TextStyle = { paint: (s, t) => `<${s}>${t}</${s}>` };

  test('marks each criterion and states the verdict', () => {
    expect(toText(mixed, plain).split('\n')).toEqual([
      'demo-scenario on moto',
      '  PASS  Passes',
      '        Route table rtb-1 routes S3 to vpce-1.',
      '  FAIL  Fails',
      '        Route table rtb-2 of subnet subnet-2 has no route to S3.',
      '  ERROR Errors',
      '        Criterion raised an error: boom',
      '  N/A   Does not apply',
      '        moto runs no containers.',
      '        advice: Watch the service events on AWS.',
      'NOT FIXED YET (1234 ms)',
    ]);
  });

  test('colours by status', () => {
    const out = toText(mixed, tagged);
    expect(out).toContain('<green>PASS </green>');
    expect(out).toContain('<red>FAIL </red>');
    expect(out).toContain('<yellow>ERROR</yellow>');
    expect(out).toContain('<dim>N/A  </dim>');
    expect(out).toContain('<cyan>advice: Watch the service events on AWS.</cyan>');
    expect(out).toContain('<red>NOT FIXED YET</red>');
    expect(toText(report([mixed.criteria[0]]), tagged)).toMatch(/<green>FIXED<\/green> \(1234 ms\)$/);
  });

  test('advice prints as advice, never as PASS or FAIL, and the columns stay aligned', () => {
    const r = report([
      mixed.criteria[0],
      { id: 'tip', title: 'Termination protection', status: 'pass', message: 'It is off.', advice: 'Turn it on.', kind: 'advice' },
      { id: 'gone', title: 'Drift', status: 'not-applicable', message: 'Nothing was skipped.', kind: 'advice' },
    ]);
    expect(toText(r, plain).split('\n')).toEqual([
      'demo-scenario on moto',
      '  PASS   Passes',
      '         Route table rtb-1 routes S3 to vpce-1.',
      '  ADVICE Termination protection',
      '         It is off.',
      '         advice: Turn it on.',
      '  N/A    Drift',
      '         Nothing was skipped.',
      'FIXED (1234 ms)',
    ]);
    expect(toText(r, tagged)).toContain('<cyan>ADVICE</cyan>');
  });

  test('an error is never shown as a pass', () => {
    const out = toText(report([mixed.criteria[2]]), plain);
    expect(out).toMatch(/ERROR/);
    expect(out).not.toMatch(/PASS|\bFIXED\b(?! YET)/);
  });
});

interface ParsedJunit {
  name: string;
  suites: {
    name: string;
    tests: number;
    failures: number;
    errors: number;
    skipped: number;
    time: string;
    props: Record<string, string>;
    cases: { classname: string; name: string; outcome: string; message: string }[];
  }[];
}

/** Parses JUnit XML with Python's XML parser: malformed XML fails the test. */
function parseJunit(xml: string): ParsedJunit {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
out = {'name': root.get('name'), 'suites': []}
for s in root.findall('testsuite'):
    cases = []
    for c in s.findall('testcase'):
        kids = [k for k in c if k.tag in ('failure', 'error', 'skipped')]
        cases.append({'classname': c.get('classname'), 'name': c.get('name'), 'outcome': kids[0].tag if kids else 'pass',
                      'message': kids[0].get('message') if kids else (c.findtext('system-out') or '')})
    props = {p.get('name'): p.get('value') for p in s.iter('property')}
    out['suites'].append({'name': s.get('name'), 'tests': int(s.get('tests')), 'failures': int(s.get('failures')), 'errors': int(s.get('errors')),
                          'skipped': int(s.get('skipped')), 'time': s.get('time'), 'props': props, 'cases': cases})
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', script], { input: xml, encoding: 'utf8' })) as ParsedJunit;
}

describe('JUnit reporter', () => {
  test('one suite per report, one case per criterion, counts by status', () => {
    const xml = toJunit([mixed]);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const parsed = parseJunit(xml);
    expect(parsed.name).toBe('breakfix');
    expect(parsed.suites).toHaveLength(1);
    const s = parsed.suites[0];
    expect(s).toMatchObject({
      name: 'demo-scenario',
      tests: 4,
      failures: 1,
      errors: 1,
      skipped: 1,
      time: '1.234',
      props: { target: 'moto', verdict: 'not-fixed' },
    });
    expect(s.cases).toEqual([
      { classname: 'demo-scenario', name: 'a-pass: Passes', outcome: 'pass', message: 'Route table rtb-1 routes S3 to vpce-1.' },
      {
        classname: 'demo-scenario',
        name: 'b-fail: Fails',
        outcome: 'failure',
        message: 'Route table rtb-2 of subnet subnet-2 has no route to S3.',
      },
      { classname: 'demo-scenario', name: 'c-error: Errors', outcome: 'error', message: 'Criterion raised an error: boom' },
      { classname: 'demo-scenario', name: 'd-na: Does not apply', outcome: 'skipped', message: 'moto runs no containers.' },
    ]);
  });

  test('several reports give several suites under one named root', () => {
    const parsed = parseJunit(toJunit([mixed, report([mixed.criteria[0]], { scenario: 'other', target: 'aws' })], 'workshop <day 1>'));
    expect(parsed.name).toBe('workshop <day 1>');
    expect(parsed.suites.map((s) => [s.name, s.props.target, s.props.verdict])).toEqual([
      ['demo-scenario', 'moto', 'not-fixed'],
      ['other', 'aws', 'fixed'],
    ]);
  });

  test('escapes markup in every field', () => {
    const r = report([{ id: 'x&y', title: HOSTILE, status: 'fail', message: HOSTILE }], { scenario: 'a<b>"c"' });
    const xml = toJunit([r]);
    const c = parseJunit(xml).suites[0].cases[0];
    expect(c.classname).toBe('a<b>"c"');
    expect(c.name).toBe(`x&y: ${HOSTILE}`.replace(/[\t\n]/g, ' '));
    expect(c.message.replace(/[\t\n]/g, ' ')).toBe(HOSTILE.replace(/[\t\n]/g, ' '));
  });

  test('advice that is not followed is not a failed test case', () => {
    const r = report([{ id: 'tip', title: 'Tip', status: 'fail', message: 'Not as recommended.', kind: 'advice' }]);
    const s = parseJunit(toJunit([r])).suites[0];
    expect(s).toMatchObject({ failures: 0, errors: 0 });
    expect(s.cases[0].outcome).toBe('pass');
  });

  test('characters XML 1.0 forbids (terminal colours, NUL) still give well-formed XML', () => {
    const ugly = 'AccessDenied \u001b[31mred\u001b[39m nul\u0000 bell\u0007 done.';
    const r = report([{ id: 'ctl', title: `Title ${ugly}`, status: 'error', message: ugly }]);
    const c = parseJunit(toJunit([r])).suites[0].cases[0];
    expect(c.outcome).toBe('error');
    expect(c.message).toMatch(/^AccessDenied .*red.* nul.* bell.* done\.$/);
  });
});
