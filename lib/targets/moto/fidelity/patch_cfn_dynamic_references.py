"""CloudFormation dynamic references ({{resolve:ssm:...}},
{{resolve:ssm-secure:...}}, {{resolve:secretsmanager:...}}) are resolved in
resource properties when resources are created and updated, where AWS
supports them, and only there.

Defect in stock moto 5.2.1
    Dynamic references are not resolved at all: a resource gets the literal
    text "{{resolve:secretsmanager:...}}" as its password, environment
    variable or parameter value, an ssm-secure reference is accepted in any
    property, and a reference to a parameter that does not exist deploys.

AWS behaviour restored
    "Get values stored in other services using dynamic references", "Get a
    plaintext value from Systems Manager Parameter Store", "Get a secure
    string value from Systems Manager Parameter Store" and "Get a secret or
    secret value from Secrets Manager" (CloudFormation User Guide):
    - {{resolve:ssm:parameter-name}} / {{resolve:ssm:parameter-name:version}}:
      the parameter's value (the latest version when none is given). A
      parameter that cannot be fetched fails the operation at once:
      ValidationError "Unable to fetch parameters [<name>] from parameter
      store for this account."
    - {{resolve:ssm-secure:parameter-name[:version]}}: the decrypted secure
      string, only in the resource properties AWS lists ("Resources that
      support dynamic parameter patterns for secure strings":
      AWS::DirectoryService::MicrosoftAD / SimpleAD Password,
      AWS::ElastiCache::ReplicationGroup AuthToken, AWS::IAM::User
      LoginProfile.Password, AWS::KinesisFirehose::DeliveryStream
      RedshiftDestinationConfiguration.Password, AWS::OpsWorks::App
      Source.Password, AWS::OpsWorks::Stack CustomCookbooksSource.Password and
      RdsDbInstances.DbPassword, AWS::RDS::DBCluster / DBInstance
      MasterUserPassword, AWS::Redshift::Cluster MasterUserPassword).
      Anywhere else the operation is refused: ValidationError "SSM Secure
      reference is not supported in: [<Type>/Properties/<path>]".
    - {{resolve:secretsmanager:secret-id:SecretString:json-key:version-stage:version-id}}:
      secret-id is the secret's name or ARN; SecretString is the only
      supported value; without json-key the whole secret string; version
      stage (default AWSCURRENT) or version id, not both. Usable in all
      resource properties. A secret that cannot be read fails the resource
      (CREATE_FAILED / UPDATE_FAILED with Secrets Manager's message).
    - "CloudFormation never stores the actual secure string value": the
      template (GetTemplate), DescribeStacks and stack events keep the
      reference text. "When comparing changes using change sets,
      CloudFormation only compares the literal dynamic reference string": a
      new secret value reaches a resource only when the reference text
      changes in an update.
    The message wording of the secretsmanager format errors is ours (AWS
    publishes none). Dynamic references outside resource properties (Outputs,
    Metadata) are left as text.

When to drop
    test/fidelity/cfn-dynamic-references.test.ts asserts stock moto passes
    the literal reference to the resource. When that fails on a newer moto,
    compare its behaviour with the test and drop this module.
"""
import json
import re
from typing import Any, Optional

_GUARD = "_breakfix_cfn_dynamic_references"
_REFERENCE = re.compile(r"\{\{resolve:(ssm|ssm-secure|secretsmanager):([^{}]*)\}\}")

# "Resources that support dynamic parameter patterns for secure strings" (list indices are not path segments).
SSM_SECURE_ALLOWED = {
    "AWS::DirectoryService::MicrosoftAD": ["Password"],
    "AWS::DirectoryService::SimpleAD": ["Password"],
    "AWS::ElastiCache::ReplicationGroup": ["AuthToken"],
    "AWS::IAM::User": ["LoginProfile/Password"],
    "AWS::KinesisFirehose::DeliveryStream": ["RedshiftDestinationConfiguration/Password"],
    "AWS::OpsWorks::App": ["Source/Password"],
    "AWS::OpsWorks::Stack": ["CustomCookbooksSource/Password", "RdsDbInstances/DbPassword"],
    "AWS::RDS::DBCluster": ["MasterUserPassword"],
    "AWS::RDS::DBInstance": ["MasterUserPassword"],
    "AWS::Redshift::Cluster": ["MasterUserPassword"],
}


class DynamicReferenceError(Exception):
    """A reference that cannot be resolved; fails the resource that uses it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _strings(node: Any, path: list):
    """Every string in a properties tree, with its path (list indices left out)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, path + [str(key)])
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, path)


def _split_parameter(body: str) -> tuple:
    name, _, version = body.rpartition(":")
    if name and version.isdigit():
        return name, version
    return body, None


def _ssm_parameter(account_id: str, region_name: str, body: str) -> Any:
    from moto.ssm.models import ssm_backends

    name, version = _split_parameter(body)
    backend = ssm_backends[account_id][region_name]
    return backend.get_parameter(f"{name}:{version}" if version else name), name


def validate(template: dict, account_id: str, region_name: str) -> None:
    """The checks CloudFormation makes before it starts: where ssm-secure may
    appear, and that ssm parameters exist. Raises ValidationError."""
    from moto.cloudformation.exceptions import ValidationError

    refused, missing = [], []
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict):
            continue
        resource_type = resource.get("Type", "")
        for path, text in _strings(resource.get("Properties") or {}, []):
            for kind, body in _REFERENCE.findall(text):
                if kind == "ssm-secure" and "/".join(path) not in SSM_SECURE_ALLOWED.get(resource_type, []):
                    refused.append("/".join([resource_type, "Properties"] + path))
                elif kind == "ssm":
                    parameter, name = _ssm_parameter(account_id, region_name, body)
                    if parameter is None and name not in missing:
                        missing.append(name)
    if refused:
        raise ValidationError(message=f"SSM Secure reference is not supported in: [{','.join(refused)}]")
    if missing:
        raise ValidationError(message=f"Unable to fetch parameters [{','.join(missing)}] from parameter store for this account.")


def _secret(account_id: str, region_name: str, body: str) -> str:
    from moto.secretsmanager.models import secretsmanager_backends

    parts = body.split(":")
    # An ARN has seven colon-separated fields: arn:aws:secretsmanager:<region>:<account>:secret:<name>
    secret_id, rest = (":".join(parts[:7]), parts[7:]) if body.startswith("arn:") else (parts[0], parts[1:])
    rest += [""] * (4 - len(rest))
    field, json_key, stage, version_id = rest[:4]
    if field not in ("", "SecretString"):
        raise DynamicReferenceError(f"Only SecretString is supported in a secretsmanager dynamic reference, not {field}.")
    if stage and version_id:
        raise DynamicReferenceError("A secretsmanager dynamic reference takes a version stage or a version id, not both.")
    backend = secretsmanager_backends[account_id][region_name]
    try:
        value = backend.get_secret_value(secret_id=secret_id, version_id=version_id or None, version_stage=stage or None)
    except Exception as err:  # noqa: BLE001 - the service's own message becomes the resource's reason
        raise DynamicReferenceError(getattr(err, "message", None) or str(err)) from None
    text = value.get("SecretString") if isinstance(value, dict) else getattr(value, "secret_string", None)
    if not json_key:
        return text or ""
    try:
        document = json.loads(text or "")
    except ValueError:
        raise DynamicReferenceError(f"The secret {secret_id} is not a JSON object, so it has no key {json_key}.") from None
    if not isinstance(document, dict) or json_key not in document:
        raise DynamicReferenceError(f"The secret {secret_id} has no key {json_key}.")
    found = document[json_key]
    return found if isinstance(found, str) else json.dumps(found)


def _resolve_text(text: str, account_id: str, region_name: str) -> str:
    def replace(match: "re.Match") -> str:
        kind, body = match.group(1), match.group(2)
        if kind == "secretsmanager":
            return _secret(account_id, region_name, body)
        parameter, name = _ssm_parameter(account_id, region_name, body)
        if parameter is None:
            raise DynamicReferenceError(f"Unable to fetch parameters [{name}] from parameter store for this account.")
        value = parameter.decrypt(parameter.value) if kind == "ssm-secure" else parameter.value
        return value or ""

    return _REFERENCE.sub(replace, text)


def resolve_properties(node: Any, account_id: str, region_name: str) -> Any:
    if isinstance(node, str):
        return _resolve_text(node, account_id, region_name) if "{{resolve:" in node else node
    if isinstance(node, dict):
        return {k: resolve_properties(v, account_id, region_name) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_properties(v, account_id, region_name) for v in node]
    return node


def _template_of(response: Any) -> Optional[dict]:
    from moto.cloudformation.models import Stack

    body = response._get_param("TemplateBody")
    url = response._get_param("TemplateURL")
    if not body and url:
        body = response._get_stack_from_s3_url(url)
    if not body:
        return None
    try:
        return Stack.parse_template(body)
    except Exception:  # noqa: BLE001 - an unreadable template is for the stock handler to refuse
        return None


def apply() -> None:
    from moto.cloudformation import parsing, responses

    cls = responses.CloudFormationResponse
    if cls.__dict__.get(_GUARD):
        return
    setattr(cls, _GUARD, True)

    stock_parse = parsing.parse_resource_and_generate_name

    def parse_resource_and_generate_name(logical_id, resource_json, resources_map):
        parsed = stock_parse(logical_id, resource_json, resources_map)
        if not parsed:
            return parsed
        resource_class, cleaned, name = parsed
        if isinstance(cleaned, dict) and "Properties" in cleaned:
            properties = resolve_properties(cleaned["Properties"], resources_map._account_id, resources_map._region_name)
            cleaned = dict(cleaned, Properties=properties)
        return resource_class, cleaned, name

    parsing.parse_resource_and_generate_name = parse_resource_and_generate_name

    for action in ("create_stack", "update_stack", "create_change_set"):
        stock = getattr(cls, action)

        def checked(self, _stock=stock):
            template = _template_of(self)
            if template is not None:
                validate(template, self.current_account, self.region)
            return _stock(self)

        setattr(cls, action, checked)
