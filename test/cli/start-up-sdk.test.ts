/**
 * Every command pays for what the CLI loads before it runs. The sandbox
 * guard and the lab record ask STS only on some targets, and only `class`
 * reads rosters (yaml), so neither package may load when the program is set
 * up: profiled, they were 72 of the 157 modules `breakfix --version` loaded.
 */
const mockLoaded: string[] = [];
jest.mock('@aws-sdk/client-sts', () => {
  mockLoaded.push('@aws-sdk/client-sts');
  return jest.requireActual('@aws-sdk/client-sts');
});
jest.mock('yaml', () => {
  mockLoaded.push('yaml');
  return jest.requireActual('yaml');
});

import { main } from '../../lib/cli/main';
import { scenarioCatalog } from '../../bin/catalog';
import type { Io } from '../../lib/cli/io';

describe('CLI start-up: SDK packages and parsers load with the command that needs them', () => {
  it('setting up the program and printing --version and help loads neither the STS SDK nor the roster parser', async () => {
    const out: string[] = [];
    const io: Io = {
      out: (s) => void out.push(s),
      err: (s) => void out.push(s),
      color: false,
      interactive: false,
      confirm: async () => false,
    };
    const scenarios = scenarioCatalog();
    expect(await main(['--version'], { scenarios, io })).toBe(0);
    expect(await main(['class', 'serve', '--help'], { scenarios, io })).toBe(0);
    expect(out.join('\n')).toMatch(/default 7878/);
    expect(mockLoaded).toEqual([]);
  });

  it('the STS SDK still loads when an account is asked for', async () => {
    const { callerAccount } = await import('../../lib/targets/lab-record');
    const { AwsClients } = await import('../../lib/targets/clients');
    const clients = new AwsClients({ kind: 'moto', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }, { maxAttempts: 1 });
    await callerAccount(clients).catch(() => undefined);
    clients.destroy();
    expect(mockLoaded).toEqual(['@aws-sdk/client-sts']);
  });
});
