/**
 * The facts of this lab that the stack, the release step and the checker
 * share: the app's declared contract (what the image serves, where, how fast
 * it starts), what makes a revision "the release", and what each variant's
 * release changes.
 */

/** The causes behind the same symptom: the release's new tasks fail their target group's health checks. */
export type HealthCheckVariant = 'health-path' | 'container-port' | 'security-group' | 'subnet-acl';
export const VARIANTS: readonly HealthCheckVariant[] = ['health-path', 'container-port', 'security-group', 'subnet-acl'];

/**
 * The image the tasks run. On AWS it comes through an ECR pull-through cache
 * rule for ECR Public, so tasks in private subnets pull it through the ECR
 * interface endpoints without a NAT gateway or public IPs.
 */
export const SOURCE_IMAGE = { registry: 'public.ecr.aws', repository: 'docker/library/python', tag: '3.12-alpine' } as const;

/**
 * The app: a few lines of Python's standard http.server, so its behaviour is
 * exactly the contract below on AWS as much as on paper.
 */
export const APP = {
  /** The TCP port the app listens on unless PORT says otherwise. */
  defaultPort: 8080,
  /** The app's health endpoint unless HEALTH_PATH says otherwise; answers 200 once started. */
  defaultHealthPath: '/health',
  /** The landing page, which always answers 200 (it is not a health endpoint: it answers whether or not the app is ready). */
  landingPath: '/',
  /** Every other path answers 404. */
  otherStatus: 404,
  /** Seconds from container start to the first answer (interpreter start-up). */
  startSeconds: 2,
} as const;

/** The task-definition family of the orders service (the stack's physical name for it). */
export function ordersFamily(stackName: string): string {
  return `${stackName}-orders`;
}

/** The container's name in every revision. */
export const CONTAINER_NAME = 'app';

/** The environment variables of the app's contract. */
export const ENV = { version: 'APP_VERSION', port: 'PORT', healthPath: 'HEALTH_PATH' } as const;

/** What the service runs when the stack deploys, and what CI ships at arm time. */
export const CURRENT_VERSION = '1.4.2';
export const RELEASE_VERSION = '1.5.0';

/** The app's program, run by the image's python3 (stdlib only). */
export const APP_PROGRAM = [
  'import os, http.server',
  `port = int(os.environ.get("${ENV.port}", "${APP.defaultPort}"))`,
  `health = os.environ.get("${ENV.healthPath}", "${APP.defaultHealthPath}")`,
  `version = os.environ.get("${ENV.version}", "unknown")`,
  'class H(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        if self.path == health:',
  '            code, body = 200, "ok"',
  `        elif self.path == "${APP.landingPath}":`,
  '            code, body = 200, "orders " + version',
  '        else:',
  `            code, body = ${APP.otherStatus}, "not found"`,
  '        self.send_response(code)',
  '        self.end_headers()',
  '        self.wfile.write(body.encode())',
  'http.server.ThreadingHTTPServer(("", port), H).serve_forever()',
].join('\n');

/** Tasks the service keeps: one per AZ once the release spreads it over three. */
export const DESIRED_COUNT = 3;

/** The deployment settings the stack gives the service; "minimum healthy" below this floor is a shortcut. */
export const DEPLOYMENT = { minimumHealthyPercent: 100, maximumPercent: 200, minimumHealthyFloor: 50 } as const;

/** What each variant's release changes, besides APP_VERSION. */
export interface ReleaseChange {
  /** Environment the release sets on the container. */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the release moves the service onto the release security group (instead of the app's). */
  readonly releaseSecurityGroup: boolean;
}

export const RELEASE_CHANGES: Record<HealthCheckVariant, ReleaseChange> = {
  // v1.5.0 renamed the app's health endpoint; the target group still asks for the old one.
  'health-path': { env: { [ENV.healthPath]: '/healthz' }, releaseSecurityGroup: false },
  // v1.5.0 listens on another port; the task definition's port mapping (and so the load balancer) still says 8080.
  'container-port': { env: { [ENV.port]: '9090' }, releaseSecurityGroup: false },
  // v1.5.0's deploy config moves the tasks to a new security group that admits the load balancer on the old port only.
  'security-group': { env: {}, releaseSecurityGroup: true },
  // v1.5.0's deploy config spreads the service to a third AZ, whose subnet carries a restrictive network ACL.
  'subnet-acl': { env: {}, releaseSecurityGroup: false },
};

/**
 * Logical IDs of the tasks' security groups: the app's, and the one the security-group variant's
 * release moves the tasks to. Neither names the cause: deploy prints logical IDs in its progress.
 */
export const SECURITY_GROUP_IDS = { app: 'AppSg', release: 'DeploySg' } as const;

/** The port the release security group (security-group variant) admits from the load balancer: the app's old port. */
export const STALE_PORT = 80;

/** IPv4 ranges. */
export const CIDR = { vpc: '10.43.0.0/16' } as const;

/** Ephemeral ports a load balancer node's connections come from (and replies go to), per the VPC User Guide's network ACL page. */
export const EPHEMERAL = { from: 1024, to: 65535 } as const;

/** The release's version, read from a container's environment. */
export function appVersionOf(env: readonly { name?: string; value?: string }[] | undefined): string | undefined {
  return env?.find((e) => e.name === ENV.version)?.value;
}

/** The name (tag) of the third app subnet's restricted network ACL in the subnet-acl variant. */
export function restrictedAclName(stackName: string): string {
  return `${stackName}-restricted`;
}

/** The pull-through cache's repository prefix for a stack: lowercase, at most 30 characters (ECR's limit). */
export function cachePrefixOf(stackName: string): string {
  return `${stackName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, 24)}-pub`;
}
