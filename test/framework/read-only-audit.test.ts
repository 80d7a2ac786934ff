/**
 * The server-side half of the read-only audit names each recorded request by
 * the SDK's operation name, so it can be matched with what the clients sent.
 * These cases pin the REST routes it knows (S3 path-style, Lambda).
 */
import { operationOf } from './read-only-audit';

const signed = (service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
});
const rest = (service: string, method: string, path: string) =>
  operationOf({ headers: signed(service), method, url: `http://127.0.0.1:5000${path}` });

test.each([
  ['GET', '/2015-03-31/functions/', 'ListFunctions'],
  ['GET', '/2015-03-31/functions/orders-fn', 'GetFunction'],
  ['GET', '/2015-03-31/functions/orders-fn/configuration', 'GetFunctionConfiguration'],
  ['GET', '/2015-03-31/functions/orders-fn/policy', 'GetPolicy'],
  ['GET', '/2019-09-30/functions/orders-fn/concurrency', 'GetFunctionConcurrency'],
  ['GET', '/2017-03-31/tags/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders-fn', 'ListTags'],
  ['PUT', '/2015-03-31/functions/orders-fn/configuration', 'UpdateFunctionConfiguration'],
  ['PUT', '/2017-10-31/functions/orders-fn/concurrency', 'PutFunctionConcurrency'],
  ['POST', '/2015-03-31/functions/orders-fn/invocations', 'Invoke'],
])('lambda %s %s is %s', (method, path, op) => {
  expect(rest('lambda', method, path)).toBe(`lambda:${op}`);
});

test('an unlisted Lambda write still reads as a write', () => {
  expect(rest('lambda', 'POST', '/2015-03-31/functions/orders-fn/policy')).toBe('lambda:PutRestPOST');
});

test('path-style S3 requests are named as the SDK names them', () => {
  expect(rest('s3', 'GET', '/lab-bucket?policy')).toBe('s3:GetBucketPolicy');
  expect(rest('s3', 'PUT', '/lab-bucket/key.txt')).toBe('s3:PutObject');
});
