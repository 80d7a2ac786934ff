/**
 * drift-resolve: intrinsic functions resolved as CloudFormation resolves
 * them ("Intrinsic function reference", "Pseudo parameters reference",
 * CloudFormation User Guide).
 */
import { parseTemplate, pseudoFromStackId, resolve, ResolveContext, Template, Unresolvable } from './drift-resolve';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:111122223333:stack/app/0b1c';

function context(template: Partial<Template> = {}, parameters: Record<string, string> = {}): ResolveContext {
  return {
    template: { Resources: {}, ...template },
    parameters,
    pseudo: pseudoFromStackId(STACK_ID, 'app'),
    physicalIds: { Table: 'orders', Role: 'app-Role-1' },
    getAtt: async (id, attr) => {
      if (id === 'Table' && attr === 'Arn') return 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders';
      throw new Unresolvable(`${id}.${attr}`);
    },
  };
}

test('Ref: resources by physical ID, parameters by value, pseudo parameters from the stack ID', async () => {
  const ctx = context({ Parameters: { Env: { Type: 'String' }, Zones: { Type: 'CommaDelimitedList' } } }, { Env: 'prod', Zones: 'a,b' });
  expect(await resolve(ctx, { Ref: 'Table' })).toBe('orders');
  expect(await resolve(ctx, { Ref: 'Env' })).toBe('prod');
  expect(await resolve(ctx, { Ref: 'Zones' })).toEqual(['a', 'b']);
  expect(
    await resolve(ctx, [{ Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::Partition' }, { Ref: 'AWS::StackName' }]),
  ).toEqual(['111122223333', 'eu-west-1', 'aws', 'app']);
});

test('a NoEcho parameter, shown as ****, cannot be resolved', async () => {
  const ctx = context({ Parameters: { Secret: { Type: 'String', NoEcho: true } } }, { Secret: '****' });
  await expect(resolve(ctx, { Ref: 'Secret' })).rejects.toBeInstanceOf(Unresolvable);
});

test('Fn::GetAtt, Fn::Join, Fn::Select, Fn::Split', async () => {
  const ctx = context();
  expect(await resolve(ctx, { 'Fn::GetAtt': ['Table', 'Arn'] })).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders');
  expect(await resolve(ctx, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Table' }, '/*']] })).toBe(
    'arn:aws:s3:::orders/*',
  );
  expect(await resolve(ctx, { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] })).toBe('b');
  await expect(resolve(ctx, { 'Fn::GetAtt': ['Role', 'Arn'] })).rejects.toBeInstanceOf(Unresolvable);
});

test('Fn::Sub: references, attributes, variables and ${!Literal}', async () => {
  const ctx = context();
  expect(await resolve(ctx, { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}' })).toBe(
    'arn:aws:dynamodb:eu-west-1:111122223333:table/orders',
  );
  expect(await resolve(ctx, { 'Fn::Sub': '${Table.Arn}/index/*' })).toBe('arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/*');
  expect(await resolve(ctx, { 'Fn::Sub': ['${Name}-${!Literal}', { Name: { Ref: 'Table' } }] })).toBe('orders-${Literal}');
});

test('Fn::If with Conditions, Fn::FindInMap, and AWS::NoValue removing the property', async () => {
  const ctx = context(
    {
      Parameters: { Env: { Type: 'String' } },
      Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }, NotProd: { 'Fn::Not': [{ Condition: 'IsProd' }] } },
      Mappings: { Sizes: { prod: { Memory: 1024 } } },
    },
    { Env: 'prod' },
  );
  expect(await resolve(ctx, { 'Fn::If': ['IsProd', 'big', 'small'] })).toBe('big');
  expect(await resolve(ctx, { 'Fn::If': ['NotProd', 'big', 'small'] })).toBe('small');
  expect(await resolve(ctx, { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Memory'] })).toBe(1024);
  expect(await resolve(ctx, { A: 1, B: { 'Fn::If': ['NotProd', 2, { Ref: 'AWS::NoValue' }] } })).toEqual({ A: 1 });
});

test('templates read back as JSON or as YAML with short-form tags', () => {
  const yaml = parseTemplate(
    'Resources:\n  T:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: !Sub "${AWS::Region}-x"\n      Name: !GetAtt Other.Name\n',
  );
  expect(yaml.Resources.T.Properties).toEqual({ Value: { 'Fn::Sub': '${AWS::Region}-x' }, Name: { 'Fn::GetAtt': ['Other', 'Name'] } });
  expect(parseTemplate('{"Resources":{}}')).toEqual({ Resources: {} });
});
