"""AWS::Lambda::Function updates in place through CloudFormation.

Defect in stock moto 5.2.1
    `LambdaFunction.update_from_cloudformation_json` re-applies the template's
    Code as if ZipFile were base64 (CloudFormation's ZipFile is plain source
    text), so every stack update of a function with inline code fails
    ("Incorrect padding", HTTP 500 out of UpdateStack, after the new
    configuration was already applied), even one that only changes Timeout or
    an environment variable.

AWS behaviour restored
    "AWS::Lambda::Function" (CloudFormation Template Reference): Environment,
    Timeout, MemorySize, Role, Handler, Runtime, Description and Code update
    without interruption (UpdateFunctionConfiguration / UpdateFunctionCode);
    a property removed from the template returns to its default (Timeout 3,
    MemorySize 128, no environment variables, empty description). ZipFile is
    "the source code of your Lambda function" as text, zipped by
    CloudFormation. The code is only re-deployed when Code changes.

When to drop
    test/fidelity/lambda-function-cfn.test.ts asserts a stock update of
    Timeout fails. When that fails on a newer moto, drop this module and its
    test.
"""
import base64

from _patch_util import already_patched, set_classmethod

_DEFAULTS = {"Timeout": 3, "MemorySize": 128, "Description": "", "Environment": {"Variables": {}}}
_CONFIG = ("Handler", "Runtime", "Role", "Timeout", "MemorySize", "Description", "Environment")


def apply() -> None:
    from moto.awslambda.models import LambdaFunction as cls

    if already_patched(cls, __name__):
        return
    stock_create = cls.create_from_cloudformation_json.__func__

    def create_from_cloudformation_json(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        code = dict((cloudformation_json.get("Properties") or {}).get("Code") or {})
        function = stock_create(klass, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        function._breakfix_cfn_code = code
        return function

    def update_from_cloudformation_json(klass, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        properties = cloudformation_json.get("Properties") or {}
        config = {key: properties.get(key, _DEFAULTS.get(key)) for key in _CONFIG if key in properties or key in _DEFAULTS}
        if not (config.get("Environment") or {}).get("Variables"):
            config["Environment"] = {"Variables": {}}
        original_resource.update_configuration(config)
        code = dict(properties.get("Code") or {})
        if code != getattr(original_resource, "_breakfix_cfn_code", None):
            deployed = dict(code)
            if "ZipFile" in deployed:
                deployed["ZipFile"] = base64.b64encode(klass._create_zipfile_from_plaintext_code(deployed["ZipFile"]))
            original_resource.update_function_code(deployed)
            original_resource._breakfix_cfn_code = code
        return original_resource

    set_classmethod(cls, "create_from_cloudformation_json", create_from_cloudformation_json)
    set_classmethod(cls, "update_from_cloudformation_json", update_from_cloudformation_json)
