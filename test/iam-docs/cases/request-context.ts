/**
 * Partial request contexts: the case lists only some of the keys AWS would put in the request context. A decision
 * that a key not listed could change cannot be given (it must fail closed, never as a silent Allow); one that no such
 * key can change still can.
 */
import type { CaseTopic, ContextValue, DocCase } from '../case';
import { ACCOUNT, allow, deny, policy, userArn } from '../build';
import { cite, pages } from '../pages';

const alice = userArn('alice');
const object = 'arn:aws:s3:::amzn-s3-demo-bucket/data.csv';
const partial = (context: Record<string, ContextValue> = {}) => ({
  principal: alice,
  action: 's3:GetObject',
  resource: object,
  resourceAccount: ACCOUNT,
  context,
  contextComplete: false,
});
const readObjects = policy('read-objects', allow('s3:GetObject', '*'));

const cases: DocCase[] = [
  {
    what: 'no policy reads the context, so keys left out cannot matter',
    policies: { identity: [readObjects] },
    request: partial({ 'aws:username': 'alice' }),
    expected: 'Allowed',
    source: cite(
      pages.evaluationLogic,
      'Environment data – Information about the IP address, user agent, SSL enabled status, or the time of day.',
    ),
    note: 'None of the policies names a condition key, so whatever else AWS puts in the request context leaves the decision as it is.',
  },
  {
    what: 'an unconditional Deny decides whatever the unknown keys hold',
    policies: {
      identity: [
        policy('read from office', allow('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
        policy('no s3', deny('s3:*', '*')),
      ],
    },
    request: partial(),
    expected: 'ExplicitlyDenied',
    source: cite(pages.denyAllow, 'An explicit deny overrides an explicit allow.'),
  },
  {
    what: 'a Deny on a source IP the case does not give cannot be decided',
    policies: {
      identity: [
        readObjects,
        policy('deny outside office', deny('*', '*', { Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })),
      ],
    },
    request: partial(),
    expected: 'Error',
    source: cite(
      pages.globalKeys,
      'Availability – This key is included in the request context, except when the requester uses a VPC endpoint to make the request.',
    ),
    note: 'aws:SourceIp is present in AWS unless a VPC endpoint carried the call; unknown here, the Deny may or may not apply.',
  },
  {
    what: 'an Allow on aws:SecureTransport the case does not give cannot be decided',
    policies: { identity: [policy('TLS only', allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))] },
    request: partial(),
    expected: 'Error',
    source: cite(pages.globalKeys, 'Availability – This key is always included in the request context.'),
    note: 'The quote is the Availability line of aws:SecureTransport: AWS always has the key, so its absence here means "not told", not "false".',
  },
  {
    what: 'a Deny on a principal tag the case does not give cannot be decided',
    policies: {
      identity: [
        readObjects,
        policy('blue team only', deny('s3:*', '*', { Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'blue' } } })),
      ],
    },
    request: partial(),
    expected: 'Error',
    source: cite(
      pages.globalKeys,
      'Availability – This key is included in the request context if the principal is using an IAM user with attached tags. It is included for a principal using an IAM role with attached tags or session tags.',
    ),
  },
  {
    what: 'an Allow until a date the case does not give the time of cannot be decided',
    policies: {
      identity: [
        policy('until 2030', allow('s3:GetObject', '*', { Condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } })),
      ],
    },
    request: partial(),
    expected: 'Error',
    source: cite(pages.globalKeys, 'Availability – This key is always included in the request context.'),
    note: 'The quote is the Availability line of aws:CurrentTime.',
  },
  {
    what: 'a listed key decides even when the context is partial',
    policies: { identity: [policy('TLS only', allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))] },
    request: partial({ 'aws:SecureTransport': true }),
    expected: 'Allowed',
    source: cite(
      pages.conditionOperators,
      'Boolean conditions let you construct Condition elements that restrict access based on comparing a key to true or false.',
    ),
  },
];

export const requestContext: CaseTopic = { topic: 'request-context', cases };
