/**
 * Shared harness for the moto fidelity tests: one stock and one patched moto
 * server, and helpers to create the same CloudFormation stack in both.
 */
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  StackResourceSummary,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { startTestMoto, TestMoto } from '../support/moto';

export const REGION = 'us-east-1';

/** SDK client settings for a moto endpoint; one attempt, so a 500 surfaces at once. */
export function clientConfig(endpoint: string) {
  return {
    region: REGION,
    endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
}

export type Flavour = 'stock' | 'patched';
export const FLAVOURS: readonly Flavour[] = ['stock', 'patched'];

export interface MotoPair {
  readonly stock: TestMoto;
  readonly patched: TestMoto;
  stop(): Promise<void>;
}

/** Starts stock moto, then patched moto (one after the other: startTestMoto swaps BREAKFIX_HOME). */
export async function startMotoPair(): Promise<MotoPair> {
  const stock = await startTestMoto({ stock: true });
  let patched: TestMoto;
  try {
    patched = await startTestMoto();
  } catch (err) {
    await stock.stop();
    throw err;
  }
  return {
    stock,
    patched,
    stop: async () => {
      await Promise.all([stock.stop(), patched.stop()]);
    },
  };
}

export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; [k: string]: unknown }> };

/** Polls DescribeStacks until the stack leaves *_IN_PROGRESS; returns the final status. */
export async function waitForStack(cfn: CloudFormationClient, stackName: string, timeoutMs = 20000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const status = out.Stacks?.[0]?.StackStatus ?? 'MISSING';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    if (Date.now() > deadline) throw new Error(`stack ${stackName} still ${status} after ${timeoutMs}ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CreateStack + wait; returns the stack id and final status. */
export async function createStack(
  cfn: CloudFormationClient,
  stackName: string,
  template: Template,
): Promise<{ stackId: string; status: string }> {
  const out = await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }));
  const status = await waitForStack(cfn, stackName);
  return { stackId: out.StackId!, status };
}

/** UpdateStack + wait; returns the final status. */
export async function updateStack(cfn: CloudFormationClient, stackName: string, template: Template): Promise<string> {
  await cfn.send(new UpdateStackCommand({ StackName: stackName, TemplateBody: JSON.stringify(template) }));
  return waitForStack(cfn, stackName);
}

/** DeleteStack; moto deletes synchronously, so the caller sees its errors here. */
export async function deleteStack(cfn: CloudFormationClient, stackName: string): Promise<void> {
  await cfn.send(new DeleteStackCommand({ StackName: stackName }));
}

export async function stackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const out = await cfn.send(new ListStackResourcesCommand({ StackName: stackName }));
  return out.StackResourceSummaries ?? [];
}

/** Logical ID -> physical ID for the stack's resources. */
export async function physicalIds(cfn: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const r of await stackResources(cfn, stackName)) {
    if (r.LogicalResourceId) ids[r.LogicalResourceId] = r.PhysicalResourceId ?? '';
  }
  return ids;
}

/** A deep copy of a template, to derive an updated one. */
export function cloneTemplate(template: Template): Template {
  return JSON.parse(JSON.stringify(template)) as Template;
}

/** Resolves to the error a promise rejects with; fails if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { name: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { name: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

type Destroyable = { destroy(): void };

/**
 * For one describe block (or a whole file): one moto server, stock or
 * patched, and the clients `makeClients` builds for it. The returned object
 * is filled in beforeAll (so use it inside tests and hooks only); afterAll
 * destroys every client in it and stops the server.
 */
export function useMoto<C extends object>(
  opts: { stock?: boolean },
  makeClients: (endpoint: string) => C,
): C & { readonly endpoint: string } {
  const filled = {} as C & { endpoint: string };
  let moto: TestMoto | undefined;
  beforeAll(async () => {
    moto = await startTestMoto(opts);
    Object.assign(filled, makeClients(moto.endpoint), { endpoint: moto.endpoint });
  });
  afterAll(async () => {
    for (const value of Object.values(filled)) {
      if (value && typeof value === 'object' && typeof (value as Destroyable).destroy === 'function') (value as Destroyable).destroy();
    }
    await moto?.stop();
  });
  return filled;
}

export interface StackOnBothFlavours<C extends Record<string, Destroyable>> {
  /** Per flavour: a CloudFormation client plus the clients `makeClients` built. */
  readonly clients: Record<Flavour, C & { cfn: CloudFormationClient }>;
  /** Per flavour: logical ID -> physical ID of the created stack. */
  readonly ids: Record<Flavour, Record<string, string>>;
}

/**
 * For one describe block: starts a stock and a patched moto, creates the same
 * stack in both (asserting CREATE_COMPLETE), and tears everything down after.
 * The returned objects are filled in beforeAll, so destructure them freely.
 */
export function stackOnBothFlavours<C extends Record<string, Destroyable>>(
  stackName: string,
  template: Template,
  makeClients: (endpoint: string) => C,
): StackOnBothFlavours<C> {
  const clients = {} as Record<Flavour, C & { cfn: CloudFormationClient }>;
  const ids = {} as Record<Flavour, Record<string, string>>;
  let motos: MotoPair | undefined;
  beforeAll(async () => {
    motos = await startMotoPair();
    for (const flavour of FLAVOURS) {
      const endpoint = motos[flavour].endpoint;
      clients[flavour] = { ...makeClients(endpoint), cfn: new CloudFormationClient(clientConfig(endpoint)) };
      expect((await createStack(clients[flavour].cfn, stackName, template)).status).toBe('CREATE_COMPLETE');
      ids[flavour] = await physicalIds(clients[flavour].cfn, stackName);
    }
  });
  afterAll(async () => {
    for (const c of Object.values(clients)) for (const client of Object.values(c)) client.destroy();
    await motos?.stop();
  });
  return { clients, ids };
}

/**
 * For one describe block: the same stack on stock and patched moto, then
 * DeleteStack in each (moto deletes synchronously, so a failure is the call's
 * error name), then `probe` reports what is left. Filled in beforeAll.
 */
export function deletionOnBothFlavours<C extends Record<string, Destroyable>, R extends object>(
  stackName: string,
  template: Template,
  makeClients: (endpoint: string) => C,
  probe: (clients: C & { cfn: CloudFormationClient }, ids: Record<string, string>) => Promise<R>,
): Record<Flavour, R & { deleteError?: string }> {
  const { clients, ids } = stackOnBothFlavours(stackName, template, makeClients);
  const outcome = {} as Record<Flavour, R & { deleteError?: string }>;
  beforeAll(async () => {
    for (const flavour of FLAVOURS) {
      let deleteError: string | undefined;
      try {
        await deleteStack(clients[flavour].cfn, stackName);
      } catch (err) {
        deleteError = (err as Error).name;
      }
      outcome[flavour] = { ...(await probe(clients[flavour], ids[flavour])), deleteError };
    }
  });
  return outcome;
}
