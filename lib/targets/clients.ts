import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { EMULATOR_CREDENTIALS, Target, isEmulator } from './target';

/** Called for every SDK command sent; used to prove checkers are read-only. */
export type CommandObserver = (service: string, command: string) => void;

export interface AwsClientsOptions {
  readonly observer?: CommandObserver;
  /** Explicit credentials (e.g. an assumed grader role); default: the SDK chain, or emulator keys. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK retry attempts; the SDK's standard retry mode handles throttling. @default 5 */
  readonly maxAttempts?: number;
}

interface SdkClient {
  middlewareStack: { add(mw: unknown, opts: unknown): void };
  destroy(): void;
}

/**
 * Lazily built SDK v3 clients for one target. Clients are passed into
 * checkers rather than created at import time, so tests can observe them.
 */
export class AwsClients {
  private readonly cache = new Map<string, SdkClient>();

  constructor(readonly target: Target, private readonly options: AwsClientsOptions = {}) {}

  get cloudformation(): CloudFormationClient { return this.get('cloudformation', CloudFormationClient); }
  get ec2(): EC2Client { return this.get('ec2', EC2Client); }
  get ecs(): ECSClient { return this.get('ecs', ECSClient); }
  get ecr(): ECRClient { return this.get('ecr', ECRClient); }
  get iam(): IAMClient { return this.get('iam', IAMClient); }
  get sts(): STSClient { return this.get('sts', STSClient); }
  get s3(): S3Client { return this.get('s3', S3Client); }
  get logs(): CloudWatchLogsClient { return this.get('logs', CloudWatchLogsClient); }
  get dynamodb(): DynamoDBClient { return this.get('dynamodb', DynamoDBClient); }
  get tagging(): ResourceGroupsTaggingAPIClient { return this.get('tagging', ResourceGroupsTaggingAPIClient); }
  get organizations(): OrganizationsClient { return this.get('organizations', OrganizationsClient); }

  /** SDK configuration shared by every client of this target. */
  clientConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = {
      region: this.target.region,
      maxAttempts: this.options.maxAttempts ?? 5,
      retryMode: 'standard',
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

  private get<T>(name: string, ctor: new (config: any) => T): T {
    let client = this.cache.get(name);
    if (!client) {
      const config = this.clientConfig();
      // S3 on emulators is addressed path-style: bucket subdomains of 127.0.0.1 don't resolve.
      if (name === 's3' && this.target.endpoint) config.forcePathStyle = true;
      client = new ctor(config) as unknown as SdkClient;
      const observer = this.options.observer;
      if (observer) {
        client.middlewareStack.add(
          (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
            observer(name, context.commandName ?? 'unknown');
            return next(args);
          },
          { step: 'initialize', name: 'breakfixCommandObserver' },
        );
      }
      this.cache.set(name, client);
    }
    return client as unknown as T;
  }
}
