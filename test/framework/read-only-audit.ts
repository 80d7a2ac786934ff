/**
 * The read-only audit: records every AWS operation a piece of code sends,
 * twice over. The client side is the AwsClients observer (every SDK command
 * sent through the context's clients). The server side is moto's request
 * recorder, which also sees calls made through any other client.
 */
import { readFileSync } from 'node:fs';
import { AwsClients } from '../../lib/targets/clients';
import type { Target } from '../../lib/targets/target';

/** Operation names that change something (the issue's list, and then some). */
export const MUTATING =
  /^(Create|Put|Delete|Update|Modify|Attach|Detach|Associate|Disassociate|Run|Start|Stop|Register|Deregister|Tag|Untag|Set|Add|Remove|Replace|Revoke|Authorize|Terminate|Enable|Disable|Release|Allocate|Import|Upload|Complete|Initiate|Batch(?!Get|Check))/;

/** Verbs AWS uses for reads. Anything else (Execute, Send, Invoke, ...) is not proven read-only. */
export const READ_ONLY = /^(Describe|List|Get|Head|BatchGet|BatchCheck|Lookup|Search|Simulate)/;

export interface AuditResult {
  /** Every operation seen, in order, as `service:Operation`. */
  readonly calls: string[];
  /** Calls whose operation matches MUTATING. */
  readonly mutating: string[];
  /** Calls that are neither MUTATING nor a known read verb. */
  readonly unproven: string[];
}

export function audit(calls: readonly string[]): AuditResult {
  const op = (c: string) => c.slice(c.indexOf(':') + 1);
  return {
    calls: [...calls],
    mutating: calls.filter((c) => MUTATING.test(op(c))),
    unproven: calls.filter((c) => !MUTATING.test(op(c)) && !READ_ONLY.test(op(c))),
  };
}

/** Clients for a target whose every command is recorded as `service:Operation`. */
export function observedClients(target: Target): { clients: AwsClients; calls: string[] } {
  const calls: string[] = [];
  const clients = new AwsClients(target, { observer: (service, command) => calls.push(`${service}:${command.replace(/Command$/, '')}`) });
  return { clients, calls };
}

/**
 * moto's request recorder. moto must have been started with
 * MOTO_RECORDER_FILEPATH pointing at `file`.
 */
export class MotoRecorder {
  constructor(
    private readonly endpoint: string,
    private readonly file: string,
  ) {}

  async start(): Promise<void> {
    await this.post('reset-recording');
    await this.post('start-recording');
  }

  /** Stops recording and returns the operations moto received, as `service:Operation`. */
  async stop(): Promise<string[]> {
    await this.post('stop-recording');
    const lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    return lines.map((line) => operationOf(JSON.parse(line)));
  }

  private async post(action: string): Promise<void> {
    const res = await fetch(`${this.endpoint}/moto-api/recorder/${action}`, { method: 'POST' });
    if (!res.ok) throw new Error(`moto recorder ${action} answered ${res.status}`);
    await res.text();
  }
}

interface RecordedRequest {
  readonly headers: Record<string, string>;
  readonly method: string;
  readonly url: string;
  readonly body?: string | null;
  readonly body_encoded?: boolean;
}

/** The AWS operation of one recorded HTTP request, from whichever protocol carried it. */
export function operationOf(req: RecordedRequest): string {
  const header = (name: string) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const auth = header('authorization') ?? '';
  const service = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1] ?? 'unknown';
  const target = header('x-amz-target');
  if (target) return `${service}:${target.split('.').pop()}`;
  const path = new URL(req.url).pathname;
  const rpc = /\/operation\/(\w+)$/.exec(path);
  if (rpc) return `${service}:${rpc[1]}`;
  const body = req.body ? (req.body_encoded ? Buffer.from(req.body, 'base64').toString('utf8') : req.body) : '';
  const action = /(?:^|&)Action=(\w+)/.exec(body) ?? /[?&]Action=(\w+)/.exec(req.url);
  if (action) return `${service}:${action[1]}`;
  if (service === 's3') {
    const op = s3RestOperation(req.method, new URL(req.url));
    if (op) return `s3:${op}`;
  }
  if (service === 'lambda') {
    const op = lambdaRestOperation(req.method, new URL(req.url).pathname);
    if (op) return `lambda:${op}`;
  }
  // REST (other services): the method decides.
  return `${service}:${['GET', 'HEAD'].includes(req.method) ? 'Get' : 'Put'}Rest${req.method}`;
}

/** Bucket subresources (query keys) and the operation noun the SDK uses for each. */
const S3_SUBRESOURCES: Record<string, string> = {
  policy: 'BucketPolicy',
  publicAccessBlock: 'PublicAccessBlock',
  acl: 'BucketAcl',
  tagging: 'BucketTagging',
  versioning: 'BucketVersioning',
  encryption: 'BucketEncryption',
  lifecycle: 'BucketLifecycleConfiguration',
  ownershipControls: 'BucketOwnershipControls',
  policyStatus: 'BucketPolicyStatus',
  location: 'BucketLocation',
  cors: 'BucketCors',
  website: 'BucketWebsite',
  notification: 'BucketNotificationConfiguration',
  logging: 'BucketLogging',
};
const VERB: Record<string, string> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

/**
 * The SDK's name for a path-style S3 REST request (emulators are addressed
 * path-style), so client-side and server-side audits can be compared.
 */
function s3RestOperation(method: string, url: URL): string | undefined {
  const [bucket, ...key] = url.pathname.replace(/^\//, '').split('/');
  const hasKey = key.join('/') !== '';
  const query = [...url.searchParams.keys()];
  if (!bucket) return method === 'GET' ? 'ListBuckets' : undefined;
  if (method === 'POST' && query.includes('delete')) return 'DeleteObjects';
  if (hasKey) {
    if (query.includes('acl')) return VERB[method] ? `${VERB[method]}ObjectAcl` : undefined;
    if (query.includes('tagging')) return VERB[method] ? `${VERB[method]}ObjectTagging` : undefined;
    return { GET: 'GetObject', HEAD: 'HeadObject', PUT: 'PutObject', DELETE: 'DeleteObject' }[method];
  }
  const sub = query.find((q) => S3_SUBRESOURCES[q]);
  if (sub) return VERB[method] ? `${VERB[method]}${S3_SUBRESOURCES[sub]}` : undefined;
  if (method === 'GET')
    return query.includes('versions') ? 'ListObjectVersions' : url.searchParams.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  return { HEAD: 'HeadBucket', PUT: 'CreateBucket', DELETE: 'DeleteBucket' }[method];
}

/**
 * The SDK's name for a Lambda REST request, from the routes in the Lambda API
 * reference (each operation is dated by the API version that introduced it).
 * Only the operations whose route is listed here are named; any other request
 * falls back to the method, so an unknown write still counts as a write.
 */
function lambdaRestOperation(method: string, pathname: string): string | undefined {
  const parts = pathname.replace(/^\//, '').replace(/\/$/, '').split('/');
  const [version, collection, , sub, subId] = parts;
  const depth = parts.length;
  const route = `${method} ${version}/${collection}${depth > 2 ? '/{id}' : ''}${sub ? `/${sub}` : ''}${subId ? '/{sub}' : ''}`;
  const routes: Record<string, string> = {
    'GET 2015-03-31/functions': 'ListFunctions',
    'GET 2015-03-31/functions/{id}': 'GetFunction',
    'GET 2015-03-31/functions/{id}/configuration': 'GetFunctionConfiguration',
    'GET 2015-03-31/functions/{id}/policy': 'GetPolicy',
    'GET 2015-03-31/functions/{id}/versions': 'ListVersionsByFunction',
    'GET 2015-03-31/functions/{id}/aliases': 'ListAliases',
    'GET 2015-03-31/functions/{id}/aliases/{sub}': 'GetAlias',
    'GET 2019-09-30/functions/{id}/concurrency': 'GetFunctionConcurrency',
    'GET 2021-10-31/functions/{id}/url': 'GetFunctionUrlConfig',
    'GET 2015-03-31/event-source-mappings': 'ListEventSourceMappings',
    'GET 2015-03-31/event-source-mappings/{id}': 'GetEventSourceMapping',
    'GET 2017-03-31/tags/{id}': 'ListTags',
    'POST 2015-03-31/functions/{id}/invocations': 'Invoke',
    'PUT 2015-03-31/functions/{id}/configuration': 'UpdateFunctionConfiguration',
    'PUT 2015-03-31/functions/{id}/code': 'UpdateFunctionCode',
    'PUT 2017-10-31/functions/{id}/concurrency': 'PutFunctionConcurrency',
    'DELETE 2017-10-31/functions/{id}/concurrency': 'DeleteFunctionConcurrency',
    'POST 2017-03-31/tags/{id}': 'TagResource',
    'DELETE 2017-03-31/tags/{id}': 'UntagResource',
  };
  return routes[route];
}
