"""Registry of fidelity patches. Each entry is a module exposing apply()."""
import importlib

PATCH_MODULES = [
    "patch_ec2_route_table_cfn_delete",
    "patch_ec2_internet_gateway_cfn_delete",
    "patch_ecs_cfn_delete",
    "patch_ec2_modify_vpc_endpoint_private_dns",
    "patch_logs_log_group_arn_cfn",
    "patch_cfn_stack_resources_skip_unsupported",
    "patch_ecs_task_definition_cfn",
    "patch_ecs_service_cfn",
    "patch_ecs_service_deployment_configuration",
    "patch_elbv2_target_group_cfn_delete",
    "patch_elbv2_target_group_cfn_update",
    "patch_ec2_subnet_route_table_association_cfn",
    "patch_ec2_vpc_dns_attributes_cfn",
    "patch_ec2_vpc_endpoint_cfn",
    "patch_ec2_vpc_endpoint_route_tables",
    "patch_iam_role_inline_policies_cfn",
    "patch_iam_role_managed_policy_arns_cfn",
    "patch_iam_managed_policy_cfn",
    "patch_iam_set_default_policy_version",
    "patch_dynamodb_resource_policy_lifecycle",
    "patch_dynamodb_table_cfn",
    "patch_ec2_security_group_cfn",
    "patch_lambda_function_cfn",
    "patch_ssm_parameter_cfn",
    "patch_ssm_parameter_tags_cfn",
    "patch_s3_bucket_policy_cfn",
    "patch_secretsmanager_secret_cfn",
    "patch_ecr_repository_empty_on_delete_cfn",
    "patch_cfn_update_rollback",
    "patch_cfn_update_replaced_dependents",
    "patch_logs_log_group_cfn",
    "patch_cfn_termination_protection",
    "patch_cfn_create_rollback",
    "patch_cfn_rollback_stack",
    "patch_cfn_delete_stack",
    "patch_cfn_change_sets",
    "patch_cfn_drift_detection",
    "patch_cfn_dynamic_references",
]

_applied = False


def apply_all():
    global _applied
    if _applied:
        return
    for name in PATCH_MODULES:
        importlib.import_module(name).apply()
    _applied = True
