/**
 * An access-decision case taken from AWS's documentation, in a shape that names no engine.
 *
 * A case is one request (who asks to do what on which resource, with which request context) against the policies
 * in play, and the decision AWS documents for it. Each case quotes the sentence (at most two) it was drawn from, so
 * a reader can check the expectation without trusting the case's author.
 */

/** `Error`: AWS rejects the policy itself, or documents no decision a grader could give; the engine must refuse. */
export type ExpectedDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Error';

export type ContextScalar = string | number | boolean;
/** An array is a multivalued key; `[]` is a key present with no values. */
export type ContextValue = ContextScalar | ContextScalar[];

export type PolicyJson = Record<string, unknown>;

export interface CasePolicy {
  readonly name: string;
  readonly document: PolicyJson;
}

/** The organization policies attached at one node (root, OU or account) of the path to an account. */
export interface OrgLevel {
  readonly target: string;
  readonly policies: readonly CasePolicy[];
}

export interface CasePolicies {
  /** Identity-based policies of the caller: its own, its groups', its role's. */
  readonly identity?: readonly CasePolicy[];
  /** The resource-based policy of the target (bucket, queue, topic policy); not a trust policy or key policy. */
  readonly resource?: CasePolicy;
  /** The trust policy of the role the request targets (sts:AssumeRole, sts:TagSession). */
  readonly trust?: CasePolicy;
  /** The key policy of the KMS key the request targets. */
  readonly keyPolicy?: CasePolicy;
  readonly permissionsBoundary?: CasePolicy;
  /** Session policies passed when the session was created; together they are one ceiling. */
  readonly session?: readonly CasePolicy[];
  /** SCPs on the path from the organization root to the caller's account, root first. */
  readonly scps?: readonly OrgLevel[];
  /** RCPs on the path from the organization root to the resource's account, root first. */
  readonly rcps?: readonly OrgLevel[];
  /** The organization's management account, given where the case depends on which account that is. */
  readonly managementAccount?: string;
}

export interface CaseRequest {
  /** An IAM user, role or account-root ARN, an assumed-role or federated-user session ARN, or a service principal. */
  readonly principal: string;
  readonly action: string;
  /** The resource ARN, or `*` for an action that takes no resource. */
  readonly resource: string;
  /** The account that owns the resource (S3 ARNs name none). For `*`, the caller's account. */
  readonly resourceAccount: string;
  /**
   * The IAM user or role whose credentials created the session, when the principal is a session. Given only where
   * the case depends on it (a federated user's ARN does not name the IAM user who federated).
   */
  readonly sessionIssuer?: string;
  /** The request context AWS would build, by key. */
  readonly context: Readonly<Record<string, ContextValue>>;
  /**
   * True: every context key the case's policies name and `context` lists not is absent from AWS's request context.
   * False: the case lists only some keys; a key it does not list may or may not be present in AWS.
   */
  readonly contextComplete: boolean;
}

export interface DocSource {
  /** The page title as AWS publishes it. */
  readonly page: string;
  readonly url?: string;
  /**
   * The sentence (at most two) the case tests, verbatim as the page renders it (no Markdown escapes or code marks).
   * A row of a documented result table is quoted as its cells joined by ` | `, an item of a list after its lead-in.
   */
  readonly quote: string;
  /** Where the text was read when it is not the page as published today, e.g. an archived copy of the guide. */
  readonly edition?: string;
}

export interface DocCase {
  /** What the case shows, short enough for a test name. Unique within its topic. */
  readonly what: string;
  readonly policies: CasePolicies;
  readonly request: CaseRequest;
  readonly expected: ExpectedDecision;
  readonly source: DocSource;
  /** Shared by the two cases written from two pages that disagree; exactly one of the pair can pass. */
  readonly conflict?: string;
  /** Why the expectation follows from the quote, where that is not plain. */
  readonly note?: string;
}

/** A topic is one file under cases/; its name prefixes each test. */
export interface CaseTopic {
  readonly topic: string;
  readonly cases: readonly DocCase[];
}
