import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { EMULATOR_CREDENTIALS, Target, isEmulator } from './target';

/**
 * Called for every SDK command sent; used to prove checkers are read-only and
 * to derive the grader policy. `service` is the client's signing name
 * (`ec2`, `s3`, `elasticloadbalancing`, `tagging`, ...).
 */
export type CommandObserver = (service: string, command: string) => void;

/** What breakfix needs of an SDK v3 client: its middleware stack, its config, and destroy(). */
export interface SdkClient {
  readonly middlewareStack: { add(mw: unknown, opts: unknown): void };
  readonly config: { readonly defaultSigningName?: string; readonly serviceId?: string };
  destroy(): void;
}

/** Any SDK v3 client class, e.g. LambdaClient from @aws-sdk/client-lambda. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- every SDK client takes its own config type; they share the fields set here.
export type SdkClientClass<C> = new (config: any) => C;

export interface AwsClientsOptions {
  readonly observer?: CommandObserver;
  /** Explicit credentials (e.g. an assumed grader role); default: the SDK chain, or emulator keys. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK retry attempts; the SDK's standard retry mode handles throttling. @default 5 */
  readonly maxAttempts?: number;
  /** The SDK's retry mode: `adaptive` also rate-limits this client's sending when the service throttles. @default standard */
  readonly retryMode?: 'standard' | 'adaptive';
  /** Called once with each client as it is built (after the observer is in place), e.g. to add middleware. */
  readonly customize?: (client: SdkClient) => void;
}

/** The signing name of a client, which is the IAM service prefix of its actions for almost every service. */
export function signingNameOf(client: SdkClient): string {
  return client.config.defaultSigningName ?? (client.config.serviceId ?? 'unknown').toLowerCase().replace(/\s+/g, '');
}

/**
 * Lazily built, observed SDK v3 clients for one target. Clients are passed
 * into checkers rather than created at import time, so tests can observe
 * them. `client(LambdaClient)` gives any SDK client a scenario needs, built
 * on first use with this target's endpoint, region, credentials and retries;
 * the named getters are the ones breakfix itself uses.
 */
export class AwsClients {
  private readonly cache = new Map<SdkClientClass<unknown>, SdkClient>();

  constructor(
    readonly target: Target,
    private readonly options: AwsClientsOptions = {},
  ) {}

  /** The client of class `ctor` for this target, built on first use. */
  client<C>(ctor: SdkClientClass<C>): C {
    let client = this.cache.get(ctor);
    if (!client) {
      const config = this.clientConfig();
      // S3 on emulators is addressed path-style: bucket subdomains of 127.0.0.1 don't resolve.
      if (ctor.name === 'S3Client' && this.target.endpoint) config.forcePathStyle = true;
      client = new ctor(config) as unknown as SdkClient;
      const observer = this.options.observer;
      if (observer) {
        const service = signingNameOf(client);
        client.middlewareStack.add(
          (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
            observer(service, context.commandName ?? 'unknown');
            return next(args);
          },
          { step: 'initialize', name: 'breakfixCommandObserver' },
        );
      }
      this.options.customize?.(client);
      this.cache.set(ctor, client);
    }
    return client as unknown as C;
  }

  // Each SDK package is required on first use: loading all of them costs over a second of CLI start-up.
  get cloudformation(): CloudFormationClient {
    return this.client(require('@aws-sdk/client-cloudformation').CloudFormationClient);
  }
  get ec2(): EC2Client {
    return this.client(require('@aws-sdk/client-ec2').EC2Client);
  }
  get ecs(): ECSClient {
    return this.client(require('@aws-sdk/client-ecs').ECSClient);
  }
  get ecr(): ECRClient {
    return this.client(require('@aws-sdk/client-ecr').ECRClient);
  }
  get iam(): IAMClient {
    return this.client(require('@aws-sdk/client-iam').IAMClient);
  }
  get sts(): STSClient {
    return this.client(require('@aws-sdk/client-sts').STSClient);
  }
  get s3(): S3Client {
    return this.client(require('@aws-sdk/client-s3').S3Client);
  }
  get logs(): CloudWatchLogsClient {
    return this.client(require('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient);
  }
  get dynamodb(): DynamoDBClient {
    return this.client(require('@aws-sdk/client-dynamodb').DynamoDBClient);
  }
  get tagging(): ResourceGroupsTaggingAPIClient {
    return this.client(require('@aws-sdk/client-resource-groups-tagging-api').ResourceGroupsTaggingAPIClient);
  }
  get organizations(): OrganizationsClient {
    return this.client(require('@aws-sdk/client-organizations').OrganizationsClient);
  }

  /** SDK configuration shared by every client of this target. */
  clientConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = {
      region: this.target.region,
      maxAttempts: this.options.maxAttempts ?? 5,
      retryMode: this.options.retryMode ?? 'standard',
    };
    if (this.target.endpoint) cfg.endpoint = this.target.endpoint;
    // Real AWS has no custom endpoint: AWS_ENDPOINT_URL(_<SERVICE>) must not send the sandbox guard's STS call, or a check, to an emulator.
    else if (this.target.kind === 'aws') cfg.ignoreConfiguredEndpointUrls = true;
    if (this.options.credentials) cfg.credentials = this.options.credentials;
    else if (isEmulator(this.target)) cfg.credentials = EMULATOR_CREDENTIALS;
    return cfg;
  }

  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}
