// The orders API behind the lab's HTTP endpoint (Lambda, Node.js).
// POST /orders stores an order unless the write mode parameter says otherwise;
// POST /orders/{id}/checkout charges it through the payment provider, waiting
// at most the client timeout the payment parameter sets. The provider is a
// stand-in that answers after PAYMENT_PROVIDER_LATENCY_MS.
const { DynamoDBClient, PutItemCommand, UpdateItemCommand } = require('@aws-sdk/client-dynamodb');
const { SSMClient, GetParameterCommand } = require('@aws-sdk/client-ssm');

const dynamodb = new DynamoDBClient({});
const ssm = new SSMClient({});
const log = (level, message) => console.log(`${level} ${message}`);

async function parameter(name) {
  return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter.Value;
}

function providerCharge(orderId) {
  const latency = Number(process.env.PAYMENT_PROVIDER_LATENCY_MS);
  return new Promise((resolve) => setTimeout(() => resolve({ orderId, status: 'PAID' }), latency));
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);
}

const reply = (statusCode, body) => ({ statusCode, body: JSON.stringify(body) });

exports.handler = async (event) => {
  const path = event.rawPath || event.path || '';
  if (path === '/orders') {
    const mode = await parameter(process.env.WRITE_MODE_PARAMETER);
    if (mode !== 'read-write') {
      log('WARN', `order writes disabled by configuration (write mode ${mode})`);
      return reply(503, { message: 'New orders are not being accepted right now' });
    }
    const order = JSON.parse(event.body || '{}');
    await dynamodb.send(
      new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { orderId: { S: order.orderId }, status: { S: 'PENDING' } } }),
    );
    log('INFO', `order ${order.orderId} stored`);
    return reply(201, { orderId: order.orderId });
  }
  const checkout = path.match(/^\/orders\/([^/]+)\/checkout$/);
  if (checkout) {
    const clientMs = Number(await parameter(process.env.PAYMENT_TIMEOUT_PARAMETER));
    log('INFO', `payment call started (client timeout ${clientMs} ms)`);
    try {
      const charged = await withTimeout(providerCharge(checkout[1]), clientMs);
      await dynamodb.send(
        new UpdateItemCommand({
          TableName: process.env.TABLE_NAME,
          Key: { orderId: { S: checkout[1] } },
          UpdateExpression: 'SET #s = :paid',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':paid': { S: 'PAID' } },
        }),
      );
      return reply(200, charged);
    } catch {
      log('ERROR', `payment call aborted after ${clientMs} ms`);
      return reply(504, { message: 'Payment provider did not answer in time' });
    }
  }
  return reply(404, { message: 'Not found' });
};
