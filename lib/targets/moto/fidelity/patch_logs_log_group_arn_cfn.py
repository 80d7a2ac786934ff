"""Fn::GetAtt Arn of AWS::Logs::LogGroup ends in ":*", as AWS documents.

Defect in stock moto 5.2.1
    LogGroup.get_cfn_attribute("Arn") returns
    arn:aws:logs:<region>:<account>:log-group:<name> without the trailing
    ":*". Policies built from it (the CDK's awslogs grant to an ECS execution
    role, for one) then name only the group, not its log streams, so an IAM
    evaluation of logs:CreateLogStream / logs:PutLogEvents on a stream ARN
    finds no match where AWS would find one.

AWS behaviour restored
    "AWS::Logs::LogGroup" (CloudFormation Template Reference), return
    values: Arn is "arn:aws:logs:us-west-1:123456789012:log-group:/mystack-testgroup-12ABC1AB12A1:*".

When to drop
    test/fidelity/logs-log-group-arn-cfn.test.ts asserts stock moto returns
    the ARN without ":*". When that fails on a newer moto, drop this module
    and its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.logs.models import LogGroup

    if already_patched(LogGroup, "log_group_arn_cfn"):
        return
    original = LogGroup.get_cfn_attribute

    def get_cfn_attribute(self, attribute_name: str) -> str:
        value = original(self, attribute_name)
        if attribute_name == "Arn" and not value.endswith(":*"):
            return value + ":*"
        return value

    LogGroup.get_cfn_attribute = get_cfn_attribute
