"""SetDefaultPolicyVersion on the version that is already the default keeps it
the default.

Defect in stock moto 5.2.1
    `Policy.update_default_version` marks the named version default and then
    unmarks the previous default; when both are the same version it ends up
    unmarked. ListPolicyVersions then reports no default version at all, and
    a cleanup that deletes every non-default version tries to delete the real
    default and gets DeleteConflict.

AWS behaviour restored
    "SetDefaultPolicyVersion" (IAM API Reference): "Sets the specified version
    of the specified policy as the policy's default (operative) version."
    "ListPolicyVersions" / "PolicyVersion" (IAM API Reference): exactly one
    version has IsDefaultVersion true, the one GetPolicy names as
    DefaultVersionId. Naming the current default again changes nothing.

When to drop
    test/fidelity/iam-set-default-policy-version.test.ts asserts stock moto
    reports no default. When that fails on a newer moto, drop this module and
    its test.
"""
from _patch_util import already_patched


def apply() -> None:
    from moto.iam.models import Policy as cls

    if already_patched(cls, __name__):
        return

    def update_default_version(self, new_default_version_id: str) -> None:
        for version in self.versions:
            version.is_default = version.version_id == new_default_version_id
        self.default_version_id = new_default_version_id

    cls.update_default_version = update_default_version
