"""RollbackStack and CancelUpdateStack answer as CloudFormation does: they
act on a stack in a state they accept and refuse any other with a
ValidationError.

Defect in stock moto 5.2.1
    Neither operation is implemented: both answer HTTP 500 whatever the
    stack's state, so a learner who tries them on a stuck stack gets an
    emulator crash instead of AWS's refusal.

AWS behaviour restored
    "RollbackStack" (CloudFormation API Reference): "Rolls back the specified
    stack to the last known stable state from CREATE_FAILED or UPDATE_FAILED
    stack statuses" (the states CreateStack's DisableRollback / OnFailure
    DO_NOTHING and UpdateStack's DisableRollback leave); it answers the
    StackId. From CREATE_FAILED the stack has no stable state to return to:
    it goes ROLLBACK_IN_PROGRESS, deletes what the create made and ends
    ROLLBACK_COMPLETE. From UPDATE_FAILED it goes UPDATE_ROLLBACK_IN_PROGRESS
    and runs the update rollback (patch_cfn_update_rollback). With
    RetainExceptOnCreate true, resources the failed operation created are
    deleted even with DeletionPolicy Retain.
    "CancelUpdateStack" (CloudFormation API Reference): "You can cancel only
    stacks that are in the UPDATE_IN_PROGRESS state." The emulator applies an
    update inside the UpdateStack call, so no stack is ever UPDATE_IN_PROGRESS
    when a CancelUpdateStack arrives: it is always refused, with the message
    AWS returns for a stack in another state, "CancelUpdateStack cannot be
    called from current stack status". AWS does not publish RollbackStack's
    refusal text; the same form is used ("RollbackStack cannot be called from
    current stack status"). A stack that does not exist is the usual
    ValidationError "Stack with id <name> does not exist".

When to drop
    test/fidelity/cfn-rollback-stack.test.ts asserts stock moto answers both
    with HTTP 500. When that fails on a newer moto, compare its behaviour with
    the test and drop this module.
"""
import _cfn_stack_ops as ops
from patch_cfn_create_rollback import roll_back_create
from patch_cfn_update_rollback import roll_back_failed_update

_GUARD = "_breakfix_cfn_rollback_stack"


def apply() -> None:
    from moto.cloudformation import responses
    from moto.cloudformation.exceptions import ValidationError
    from moto.core.responses import ActionResult, EmptyResult

    cls = responses.CloudFormationResponse
    if cls.__dict__.get(_GUARD):
        return
    setattr(cls, _GUARD, True)

    def rollback_stack(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        retain_except_on_create = (self.querystring.get("RetainExceptOnCreate") or ["false"])[0].lower() == "true"
        if stack.status == "CREATE_FAILED" and "_breakfix_failed_create" in stack.__dict__:
            created = stack._breakfix_failed_create
            if retain_except_on_create:
                created = [(i, m, {k: v for k, v in j.items() if k != "DeletionPolicy"}) for i, m, j in created]
            ops.stack_event(stack, "ROLLBACK_IN_PROGRESS", "User Initiated")
            roll_back_create(stack, created)
        elif not (stack.status == "UPDATE_FAILED" and roll_back_failed_update(stack, retain_except_on_create)):
            raise ValidationError(message="RollbackStack cannot be called from current stack status")
        return ActionResult({"StackId": stack.stack_id})

    def cancel_update_stack(self):
        stack = self.cloudformation_backend.get_stack(self._get_param("StackName"))
        if stack.status != "UPDATE_IN_PROGRESS":
            raise ValidationError(message="CancelUpdateStack cannot be called from current stack status")
        return EmptyResult()  # unreachable here: updates finish inside UpdateStack

    cls.rollback_stack = rollback_stack
    cls.cancel_update_stack = cancel_update_stack
