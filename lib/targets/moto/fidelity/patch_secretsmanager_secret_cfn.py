"""AWS::SecretsManager::Secret is a CloudFormation resource: the stack creates,
updates and deletes the secret, generating its password when asked to.

Defect in stock moto 5.2.1
    moto has no CloudFormation model for AWS::SecretsManager::Secret. The
    resource is skipped with a log warning while the stack reaches
    CREATE_COMPLETE: ListSecrets stays empty, ListStackResources does not list
    it, its Ref is left unresolved, and a {{resolve:secretsmanager:...}}
    reference to it fails with "Secrets Manager can't find the specified
    secret".

AWS behaviour restored
    "AWS::SecretsManager::Secret" and "AWS::SecretsManager::Secret
    GenerateSecretString" (CloudFormation Template Reference):
    - Name, Description, KmsKeyId and Tags (Key/Value pairs) are the
      CreateSecret parameters ("CreateSecret", AWS Secrets Manager API
      Reference). Without Name, CloudFormation names the secret itself: the
      logical ID, a hyphen and 12 random letters and digits.
    - SecretString is stored as given. GenerateSecretString generates a
      password as "GetRandomPassword" does: PasswordLength (default 32),
      ExcludeCharacters, ExcludeNumbers, ExcludePunctuation, ExcludeUppercase,
      ExcludeLowercase, IncludeSpace, RequireEachIncludedType (default true).
      With SecretStringTemplate (a JSON object) and GenerateStringKey, the
      secret is that object with the password added under the key; one
      without the other, or SecretString together with GenerateSecretString,
      fails the resource. With neither, the secret has no value.
    - Ref and Fn::GetAtt Id return the secret's ARN.
    - Update: Name requires replacement (the new secret is created, the old
      one deleted); Description, KmsKeyId, SecretString, GenerateSecretString
      and Tags update without interruption. A changed SecretString or
      GenerateSecretString writes a new version (AWSCURRENT moves to it,
      AWSPREVIOUS keeps the old one, as "PutSecretValue" does); an unchanged
      one leaves the value alone.
    - Delete: "DeletionPolicy attribute" (CloudFormation User Guide):
      CloudFormation deletes a secret without a recovery window, so its name
      is free at once (DeleteSecret with ForceDeleteWithoutRecovery). A
      secret already gone counts as deleted.
    ReplicaRegions is not emulated (moto's CloudFormation has one region per
    stack call); the secret is created in the stack's region only.

When to drop
    test/fidelity/secretsmanager-secret-cfn.test.ts asserts stock moto lists no
    secret after creating the stack. When that fails on a newer moto (it
    supports the type), compare its behaviour with the test and drop this
    module.
"""
import json
import random
import string

from _patch_util import cfn_bool, refresh_cfn_model_registry

SecretModel = None  # the model class, defined by apply()

_NAME_SUFFIX = string.ascii_letters + string.digits


def _generated_name(logical_id: str) -> str:
    return f"{logical_id}-{''.join(random.choice(_NAME_SUFFIX) for _ in range(12))}"


def _tags(properties: dict) -> list:
    return [{"Key": str(t["Key"]), "Value": str(t.get("Value", ""))} for t in properties.get("Tags") or []]


def secret_value(properties: dict):
    """The value the template asks for: SecretString, a generated one, or None."""
    from moto.secretsmanager.utils import random_password

    given, generate = properties.get("SecretString"), properties.get("GenerateSecretString")
    if given is not None and generate is not None:
        raise ValueError("Specify either SecretString or GenerateSecretString, not both.")
    if generate is None:
        return given
    length = int(generate.get("PasswordLength", 32))
    if length < 1 or length > 4096:
        raise ValueError("PasswordLength must be between 1 and 4096.")
    password = random_password(
        length,
        generate.get("ExcludeCharacters") or "",
        cfn_bool(generate.get("ExcludeNumbers"), False),
        cfn_bool(generate.get("ExcludePunctuation"), False),
        cfn_bool(generate.get("ExcludeUppercase"), False),
        cfn_bool(generate.get("ExcludeLowercase"), False),
        cfn_bool(generate.get("IncludeSpace"), False),
        cfn_bool(generate.get("RequireEachIncludedType"), True),
    )
    template, key = generate.get("SecretStringTemplate"), generate.get("GenerateStringKey")
    if template is None and key is None:
        return password
    if template is None or key is None:
        raise ValueError("GenerateStringKey and SecretStringTemplate must be given together.")
    document = json.loads(template)
    if not isinstance(document, dict):
        raise ValueError("SecretStringTemplate must be a JSON object.")
    document[key] = password
    return json.dumps(document)


def _define_model():
    from moto.core.common_models import CloudFormationModel
    from moto.secretsmanager.models import secretsmanager_backends

    def backend(account_id: str, region_name: str):
        return secretsmanager_backends[account_id][region_name]

    def create(account_id: str, region_name: str, name: str, properties: dict):
        backend(account_id, region_name).create_secret(
            name=name,
            secret_string=secret_value(properties),
            secret_binary=None,
            description=properties.get("Description"),
            tags=_tags(properties) or None,
            kms_key_id=properties.get("KmsKeyId"),
            client_request_token=None,
            replica_regions=[],
            force_overwrite=False,
        )
        return backend(account_id, region_name).secrets[name]

    def remove(account_id: str, region_name: str, secret_id: str) -> None:
        # Forced: no recovery window; an unknown secret is accepted as gone.
        backend(account_id, region_name).delete_secret(secret_id, None, True)

    class SecretsManagerSecret(CloudFormationModel):
        # moto files each model under the service named by its module path.
        __module__ = "moto.secretsmanager.breakfix_fidelity"

        def __init__(self, name: str, arn: str, properties: dict):
            self.name = name
            self.arn = arn
            self.properties = properties

        @property
        def physical_resource_id(self) -> str:
            return self.arn

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""  # the name is chosen here (the docs' pattern differs from moto's generic one)

        @staticmethod
        def cloudformation_type() -> str:
            # https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html
            return "AWS::SecretsManager::Secret"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return attr == "Id"

        def get_cfn_attribute(self, attribute_name: str) -> str:
            from moto.cloudformation.exceptions import UnformattedGetAttTemplateException

            if attribute_name == "Id":
                return self.arn
            raise UnformattedGetAttTemplateException()

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json.get("Properties") or {}
            name = properties.get("Name") or _generated_name(kwargs.get("LogicalId") or "Secret")
            secret = create(account_id, region_name, name, properties)
            return cls(name, secret.arn, properties)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            properties = cloudformation_json.get("Properties") or {}
            before = original_resource.properties
            if properties.get("Name") != before.get("Name"):
                # Replacement: the new secret first, then the old one goes.
                logical_id = getattr(original_resource, "logical_resource_id", None) or "Secret"
                name = properties.get("Name") or _generated_name(logical_id)
                secret = create(account_id, region_name, name, properties)
                remove(account_id, region_name, original_resource.arn)
                return cls(name, secret.arn, properties)
            sm = backend(account_id, region_name)
            secret = sm.secrets[original_resource.arn]
            value_keys = ("SecretString", "GenerateSecretString")
            if any(properties.get(k) != before.get(k) for k in value_keys):
                value = secret_value(properties)
                if value is not None:
                    sm.put_secret_value(original_resource.arn, value, None, None, ["AWSCURRENT"])
            secret.description = properties.get("Description")
            secret.kms_key_id = properties.get("KmsKeyId")
            tags = _tags(properties)
            gone = [t["Key"] for t in _tags(before) if t["Key"] not in {n["Key"] for n in tags}]
            if gone:
                sm.untag_resource(original_resource.arn, gone)
            if tags:
                sm.tag_resource(original_resource.arn, tags)
            return cls(original_resource.name, original_resource.arn, properties)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            remove(account_id, region_name, resource_name)

        def delete(self, account_id: str, region_name: str) -> None:
            remove(account_id, region_name, self.arn)

        def is_created(self) -> bool:
            return True

    return SecretsManagerSecret


def apply() -> None:
    global SecretModel
    if SecretModel is not None:
        return
    SecretModel = _define_model()
    refresh_cfn_model_registry()
