"""Stack termination protection can be switched on and off, and it stops
DeleteStack.

Defect in stock moto 5.2.1
    CreateStack records EnableTerminationProtection and DescribeStacks shows
    it, but UpdateTerminationProtection is not implemented (HTTP 500) and
    DeleteStack deletes a protected stack anyway.

AWS behaviour restored
    "UpdateTerminationProtection" (CloudFormation API Reference) sets the flag
    and returns the StackId. "Protect a stack from being deleted"
    (CloudFormation User Guide): DeleteStack on a protected stack fails with
    ValidationError "Stack [<name>] cannot be deleted while
    TerminationProtection is enabled", where <name> is the StackName the
    caller passed.

When to drop
    test/fidelity-rollback/stock-moto.test.ts asserts stock moto answers
    UpdateTerminationProtection with HTTP 500. When that assertion fails on a
    newer moto, check its DeleteStack honours the flag and drop this module.
"""
_GUARD = "_breakfix_cfn_termination_protection"


def apply() -> None:
    from moto.cloudformation import responses
    from moto.cloudformation.exceptions import ValidationError
    from moto.core.responses import ActionResult

    cls = responses.CloudFormationResponse
    if cls.__dict__.get(_GUARD):
        return
    setattr(cls, _GUARD, True)

    def update_termination_protection(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        stack.enable_termination_protection = bool(self._get_bool_param("EnableTerminationProtection", False))
        return ActionResult({"StackId": stack.stack_id})

    stock_delete = cls.delete_stack

    def delete_stack(self):
        name = self._get_param("StackName")
        backend = self.cloudformation_backend
        stack = next((s for s in backend.stacks.values() if name in (s.name, s.stack_id)), None)
        if stack is not None and stack.enable_termination_protection:
            raise ValidationError(message=f"Stack [{name}] cannot be deleted while TerminationProtection is enabled")
        return stock_delete(self)

    cls.update_termination_protection = update_termination_protection
    cls.delete_stack = delete_stack
