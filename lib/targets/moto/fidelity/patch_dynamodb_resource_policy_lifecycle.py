"""A DynamoDB table's resource-based policy goes with the table, and
DeleteResourcePolicy is idempotent.

Defect in stock moto 5.2.1
    Resource policies live in a backend-wide dictionary keyed by ARN that
    DeleteTable never touches: after a table is deleted (by DeleteTable or
    with its stack) and created again under the same name, GetResourcePolicy
    returns the old table's policy. DeleteResourcePolicy on a table without a
    policy answers ResourceNotFoundException.

AWS behaviour restored
    "PutResourcePolicy" (Amazon DynamoDB API Reference): the policy is
    attached to the resource, a table or a stream; "DeleteTable" deletes the
    table and everything attached to it, so a new table of the same name
    starts without a policy (GetResourcePolicy answers
    PolicyNotFoundException). "DeleteResourcePolicy": "an idempotent
    operation; running it multiple times on the same resource doesn't result
    in an error response, unless you specify an ExpectedRevisionId, which will
    then return a PolicyNotFoundException." A table that does not exist is
    still ResourceNotFoundException.

When to drop
    test/fidelity/dynamodb-resource-policy-lifecycle.test.ts asserts stock
    moto keeps the policy for the recreated table. When that fails on a newer
    moto, drop this module and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.dynamodb.exceptions import PolicyNotFoundException
    from moto.dynamodb.models import DynamoDBBackend as cls

    if already_patched(cls, __name__):
        return
    stock_delete_table = cls.delete_table
    stock_delete_policy = cls.delete_resource_policy

    def delete_table(self, name: str):
        table = stock_delete_table(self, name)
        arn = getattr(table, "table_arn", None)
        if arn:
            for key in [k for k in self.resource_policies if k == arn or k.startswith(arn + "/")]:
                del self.resource_policies[key]
        return table

    def delete_resource_policy(self, resource_arn: str, expected_revision_id=None) -> None:
        table_name = resource_arn.split("/")[1] if "/" in resource_arn else resource_arn
        if table_name in self.tables and resource_arn not in self.resource_policies:
            if expected_revision_id:
                raise PolicyNotFoundException(f"Resource-based policy not found for the provided ResourceArn: {resource_arn}")
            return None
        return stock_delete_policy(self, resource_arn, expected_revision_id)

    cls.delete_table = delete_table
    cls.delete_resource_policy = delete_resource_policy
