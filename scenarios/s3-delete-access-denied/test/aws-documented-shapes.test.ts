/**
 * The real-AWS path of `status`, with documented shapes of AWS's responses standing in for AWS:
 * it assumes the cleanup role, deletes only breakfix's canary object, shows
 * AWS's own AccessDenied message, and puts the canary back when the delete
 * goes through. The message breakfix derives on emulators has the same form.
 */
import { AssumeRoleCommand, AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { DeleteObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { accessDeniedMessage, callerOf, CLEANUP_SESSION, decide, objectArn } from '../access';
import type { S3DeleteSnapshot } from '../gather';
import { probedSymptom } from '../symptom';
import { CANARY_KEY, SEED_KEYS } from '../lab';

const ACCOUNT = '111122223333';
const BUCKET = `s3-delete-access-denied-data-${ACCOUNT}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-cleanup-job`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/s3-delete-access-denied-cleanup-job/${CLEANUP_SESSION}`;
const s3All = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });

/** A snapshot as gather reads it from a freshly armed bucket-policy lab on AWS. */
const snapshot: S3DeleteSnapshot = {
  target: 'aws',
  variant: 'bucket-policy',
  stackName: 's3-delete-access-denied',
  account: ACCOUNT,
  partition: 'aws',
  bucket: BUCKET,
  cleanup: {
    roleName: 's3-delete-access-denied-cleanup-job',
    roleArn: ROLE,
    account: ACCOUNT,
    identity: [{ name: 'CleanupJobS3Access', kind: 'inline policy', document: s3All }],
    inlinePolicyNames: ['CleanupJobS3Access'],
    attachedPolicyArns: [],
  },
  reporting: {
    roleName: 's3-delete-access-denied-reporting',
    roleArn: `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-reporting`,
    account: ACCOUNT,
    identity: [{ name: 'ReportingS3Access', kind: 'inline policy', document: s3All }],
    inlinePolicyNames: ['ReportingS3Access'],
    attachedPolicyArns: [],
  },
  bucketPolicy: {
    name: BUCKET,
    kind: 'bucket policy',
    document: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProtectRetainedData',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: `arn:aws:s3:::${BUCKET}/*`,
          Condition: { ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/s3-delete-access-denied-data-steward` } },
        },
      ],
    }),
  },
  publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  aclGrants: [],
  presentKeys: [...SEED_KEYS],
};

const assumeRole: AssumeRoleCommandOutput = {
  $metadata: { httpStatusCode: 200 },
  Credentials: {
    AccessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    SecretAccessKey: 'documented-secret',
    SessionToken: 'documented-token',
    Expiration: new Date('2026-11-22T09:00:00Z'),
  },
  AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLEEXAMPLE01:nightly-cleanup', Arn: SESSION },
};

/** AWS's answer to the canary delete, as S3 sends it for a same-account request. */
const documentedDenied = `User: ${SESSION} is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::${BUCKET}/${CANARY_KEY}" with an explicit deny in a resource-based policy`;

function fakes(deleteOutcome: 'denied' | 'deleted') {
  const calls: string[] = [];
  const sts = {
    send: async (cmd: unknown) => {
      calls.push(`sts:${(cmd as object).constructor.name}`);
      expect(cmd).toBeInstanceOf(AssumeRoleCommand);
      return assumeRole;
    },
  };
  const s3 = {
    send: async (cmd: unknown) => {
      calls.push(`s3(caller):${(cmd as object).constructor.name}:${(cmd as PutObjectCommand).input.Key}`);
      return {};
    },
  };
  let sessionCreds: unknown;
  const asSession = (credentials: unknown) => {
    sessionCreds = credentials;
    return {
      s3: {
        send: async (cmd: unknown) => {
          calls.push(`s3(session):${(cmd as object).constructor.name}:${(cmd as DeleteObjectCommand).input.Key}`);
          if (deleteOutcome === 'denied')
            throw new S3ServiceException({
              name: 'AccessDenied',
              $fault: 'client',
              $metadata: { httpStatusCode: 403 },
              message: documentedDenied,
            });
          return {};
        },
      },
      destroy: () => calls.push('session destroyed'),
    };
  };
  return { calls, deps: { sts: sts as never, s3: s3 as never, asSession: asSession as never }, creds: () => sessionCreds };
}

test('a denied canary delete shows AWS message verbatim, and the engine agrees', async () => {
  const f = fakes('denied');
  const symptom = await probedSymptom(snapshot, f.deps);
  expect(symptom.source).toBe('authentic');
  expect(symptom.summary).toBe(`An error occurred (AccessDenied) when calling the DeleteObject operation: ${documentedDenied}`);
  expect(symptom.explanation).toContain(
    `breakfix's engine over the live policies: denied by bucket policy ${BUCKET} statement ProtectRetainedData.`,
  );
  expect(f.creds()).toEqual({
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
    secretAccessKey: 'documented-secret',
    sessionToken: 'documented-token',
  });
  // Only the canary is touched, and nothing is put back after a refusal.
  expect(f.calls).toEqual(['sts:AssumeRoleCommand', `s3(session):DeleteObjectCommand:${CANARY_KEY}`, 'session destroyed']);
});

test('a successful canary delete is reported and the canary is put back', async () => {
  const f = fakes('deleted');
  const symptom = await probedSymptom(snapshot, f.deps);
  expect(symptom.summary).toBe(`The cleanup role deleted the canary object arn:aws:s3:::${BUCKET}/${CANARY_KEY}; breakfix put it back.`);
  expect(f.calls).toEqual([
    'sts:AssumeRoleCommand',
    `s3(session):DeleteObjectCommand:${CANARY_KEY}`,
    `s3(caller):PutObjectCommand:${CANARY_KEY}`,
    'session destroyed',
  ]);
});

test('the message breakfix derives on emulators has exactly AWS form', () => {
  const result = decide(
    snapshot,
    callerOf('cleanup role', snapshot.cleanup, CLEANUP_SESSION),
    's3:DeleteObject',
    objectArn(snapshot, CANARY_KEY),
  );
  expect(accessDeniedMessage(result)).toBe(documentedDenied);
});
