"""How a CloudFormation resource handler reports a failure.

Registry-based resource types (AWS::Logs::LogGroup among them) run handlers
that answer with a HandlerErrorCode and a message; CloudFormation puts both
in the resource's stack event as

    Resource handler returned message: "<message>" (RequestToken: <uuid>, HandlerErrorCode: <code>)

A fidelity patch raises HandlerError where the AWS handler would fail;
patch_cfn_update_rollback turns any exception into the event reason with
`event_reason`. Nothing here changes moto by itself.
"""
import json
import uuid
from typing import Any


class HandlerError(Exception):
    """A resource handler failure: `code` is a HandlerErrorCode such as NotFound."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def not_found(type_name: str, primary_identifier: dict) -> HandlerError:
    """The NotFound error the CloudFormation Java plugin raises: the identifier
    is the resource's primary identifier as compact JSON."""
    identifier = json.dumps(primary_identifier, separators=(",", ":"))
    return HandlerError("NotFound", f"Resource of type '{type_name}' with identifier '{identifier}' was not found.")


def event_reason(err: BaseException) -> str:
    """The ResourceStatusReason CloudFormation shows for a failed resource operation."""
    if isinstance(err, HandlerError):
        return f'Resource handler returned message: "{err.message}" (RequestToken: {uuid.uuid4()}, HandlerErrorCode: {err.code})'
    message: Any = getattr(err, "message", None) or str(err) or type(err).__name__
    return str(message)
