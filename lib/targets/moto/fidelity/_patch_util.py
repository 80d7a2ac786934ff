"""Small helpers shared by the fidelity patches in this folder.

Nothing here changes moto by itself; the patch modules use these to wrap
moto's CloudFormation model classes in a uniform, idempotent way.
"""
import json
from typing import Any, Callable

_MARK = "_breakfix_fidelity_patched"


def already_patched(target: Any, patch_name: str) -> bool:
    """True if `patch_name` was applied to `target`; records it otherwise."""
    done = target.__dict__.get(_MARK)
    if done is None:
        done = set()
        setattr(target, _MARK, done)
    if patch_name in done:
        return True
    done.add(patch_name)
    return False


def instance_state(obj: Any, attribute: str) -> dict:
    """A dictionary a patch keeps on one of moto's objects (created on first use)."""
    found = obj.__dict__.get(attribute)
    if found is None:
        found = {}
        setattr(obj, attribute, found)
    return found


def original_classmethod(cls: type, name: str) -> Callable[..., Any]:
    """The plain function behind `cls.name`, which must be a classmethod."""
    attr = getattr(cls, name)
    return attr.__func__


def set_classmethod(cls: type, name: str, func: Callable[..., Any]) -> None:
    """Installs `func` as classmethod `name` on `cls`.

    moto decides whether a model supports updates/deletes by looking for
    `__isabstractmethod__` on the method; a plain function has none, so the
    new method counts as implemented.
    """
    setattr(cls, name, classmethod(func))


def cfn_bool(value: Any, default: Any = None) -> Any:
    """A CloudFormation Boolean: templates may hold true/false or "true"/"false"."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError(f"{value!r} is not a Boolean")


def cfn_string(value: Any) -> Any:
    """A CloudFormation String property given as a number in the template."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def policy_json(document: Any) -> Any:
    """CloudFormation accepts policy documents as JSON objects; the AWS APIs
    take (and later return) them as JSON text."""
    if document is None or isinstance(document, str):
        return document
    return json.dumps(document)


def refresh_cfn_model_registry() -> None:
    """moto caches the list of CloudFormation model classes; forget it so a
    class defined by a patch is found."""
    from moto.cloudformation import parsing

    for fn in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        fn.cache_clear()
