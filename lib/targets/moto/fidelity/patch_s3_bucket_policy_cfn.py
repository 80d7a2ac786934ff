"""AWS::S3::BucketPolicy is a CloudFormation resource: it puts, replaces and
deletes the bucket's policy.

Defect in stock moto 5.2.1
    moto has no CloudFormation model for AWS::S3::BucketPolicy. The resource
    is skipped with a log warning while the stack still reaches
    CREATE_COMPLETE, so GetBucketPolicy answers NoSuchBucketPolicy and
    ListStackResources shows no BucketPolicy (only a blank entry).

AWS behaviour restored
    "AWS::S3::BucketPolicy" (CloudFormation Template Reference): the resource
    applies PolicyDocument to the bucket named by Bucket with PutBucketPolicy;
    Ref returns the bucket name. Changing PolicyDocument updates the policy
    in place; changing Bucket requires replacement. Deleting the resource
    (without DeletionPolicy Retain) removes the policy with
    DeleteBucketPolicy. GetBucketPolicy ("GetBucketPolicy", Amazon S3 API
    Reference) returns the policy as JSON text.

    Note: once the policy is in place, moto applies its own bucket-policy
    evaluation to object requests exactly as it does after an API
    PutBucketPolicy; moto 5.2.1 cannot evaluate Conditions and denies on
    them, so e.g. CDK's enforceSSL statement makes object requests answer
    403 (see README.md).

When to drop
    test/fidelity/s3-bucket-policy-cfn.test.ts asserts stock moto has no
    bucket policy after the same stack is created. When that assertion fails
    on a newer moto (it supports the type), drop this module and its test.
"""
from _patch_util import policy_json, refresh_cfn_model_registry

BucketPolicy = None  # the model class, defined by apply()


def _define_model():
    from moto.core.common_models import CloudFormationModel
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    def backend(account_id: str, region_name: str):
        return s3_backends[account_id][get_partition(region_name)]

    def put(account_id: str, region_name: str, bucket: str, document) -> None:
        backend(account_id, region_name).put_bucket_policy(bucket, policy_json(document).encode("utf-8"))

    def remove(account_id: str, region_name: str, bucket: str) -> None:
        try:
            backend(account_id, region_name).delete_bucket_policy(bucket)
        except MissingBucket:
            pass  # the bucket is gone, and its policy with it

    class S3BucketPolicy(CloudFormationModel):
        # moto files each model under the service named by its module path
        # ("moto.<service>...."), e.g. for its /moto-api/ dashboard.
        __module__ = "moto.s3.breakfix_fidelity"

        def __init__(self, bucket_name: str):
            self.bucket_name = bucket_name

        @property
        def physical_resource_id(self) -> str:
            return self.bucket_name

        @staticmethod
        def cloudformation_name_type() -> str:
            return ""

        @staticmethod
        def cloudformation_type() -> str:
            # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucketpolicy.html
            return "AWS::S3::BucketPolicy"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return False  # AWS::S3::BucketPolicy has no Fn::GetAtt attributes

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json["Properties"]
            put(account_id, region_name, properties["Bucket"], properties["PolicyDocument"])
            return cls(properties["Bucket"])

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            properties = cloudformation_json["Properties"]
            bucket = properties["Bucket"]
            put(account_id, region_name, bucket, properties["PolicyDocument"])
            if bucket != original_resource.bucket_name:
                remove(account_id, region_name, original_resource.bucket_name)
            return cls(bucket)

        @classmethod
        def delete_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name):
            remove(account_id, region_name, resource_name)

        def delete(self, account_id: str, region_name: str) -> None:
            remove(account_id, region_name, self.bucket_name)

        def is_created(self) -> bool:
            return True

    return S3BucketPolicy


def apply() -> None:
    global BucketPolicy
    if BucketPolicy is not None:
        return
    BucketPolicy = _define_model()
    refresh_cfn_model_registry()
