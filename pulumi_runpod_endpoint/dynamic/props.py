"""Pulumi property bags as the dynamic-provider host hands them over, made plain.

The host gives a provider values that are not plain yet: the engine's unknown marker for values a
preview cannot know (``rpc.UNKNOWN``), secrets wrapped in signature dicts, and the serialized
provider under ``__provider``. Every resource needs the same unwrapping and the same notion of
"which fields does this resource manage" (the fields the program declared, plus the defaults ``check``
filled in); that notion is what lets ``diff`` tell "the program removed a field" from "the API filled
in a field nobody declared". The constants are the SDK's own, imported, never re-declared.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pulumi.dynamic.dynamic import PROVIDER_KEY
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .tokens import AUTO_NAME, MANAGED_FIELDS

__all__ = [
    "AUTO_NAME",
    "MANAGED_FIELDS",
    "PROVIDER_KEY",
    "UNKNOWN",
    "auto_name",
    "changed_fields",
    "clean",
    "is_unknown",
    "managed_fields",
    "secret",
    "split_inputs",
    "unwrap",
]

UNKNOWN: str = rpc.UNKNOWN


def unwrap(value: Any) -> Any:
    """The plain value inside the host's secret wrappers, at any depth.

    Whole numbers come back as ints: the engine's wire (protobuf ``Struct``) carries every number as
    a double, so a program's ``workers_max=3`` reaches the provider as ``3.0``. Fractions, NaN and
    infinities stay floats, for validation to refuse where a whole number is needed.
    """
    if rpc.is_rpc_secret(value):
        return unwrap(rpc.unwrap_rpc_secret(value))
    if isinstance(value, dict):
        return {key: unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    return value


def secret(value: Any) -> Any:
    """``value`` marked secret in a provider's outputs (the engine reads outputs keeping secrets).

    Belt and braces next to ``additional_secret_outputs``: an output that must never be plain in
    the state (a registry password) is secret whatever the program's options say. None stays None.
    """
    return None if value is None else rpc.wrap_rpc_secret(value)


def auto_name(prefix: str, olds: Mapping[str, Any], *, max_length: int = 191) -> str:
    """The resource name plus a random suffix, chosen once and kept (from the old inputs).

    A replacement gets a new one: the engine checks the replacement again without old inputs
    (pulumi/pulumi pkg/resource/deploy/step_generator.go, "recompute the default values").
    """
    previous = olds.get("name")
    if olds.get(AUTO_NAME) == prefix and isinstance(previous, str) and previous:
        return previous
    suffix = "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(7))
    return f"{prefix[: max_length - 8]}-{suffix}"


def split_inputs(
    news: Mapping[str, Any], olds: Mapping[str, Any], control_fields: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``check``'s first step for every resource: the plain props and the control inputs (the ones
    that steer the provider), with the generated name in place where the program gave none."""
    props = clean(news)
    controls = {name: props.pop(name) for name in control_fields if name in props}
    prefix = controls.pop(AUTO_NAME, None)
    if props.get("name") is None and isinstance(prefix, str) and prefix and not is_unknown(prefix):
        props["name"] = auto_name(prefix, clean(olds))
        controls[AUTO_NAME] = prefix
    return props, controls


def clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the provider blob, None values and secret wrappers."""
    return {key: unwrap(value) for key, value in props.items() if key != PROVIDER_KEY and value is not None}


def is_unknown(value: Any) -> bool:
    """True when the value, or anything inside it, is not known yet (a preview).

    The host hands ``check`` and ``diff`` unknowns as ``pulumi.output.Unknown`` instances; the wire
    string ``rpc.UNKNOWN`` is accepted too (it is what a gRPC client sends).
    """
    if isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN):
        return True
    if isinstance(value, list):
        return any(is_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(is_unknown(item) for item in value.values())
    return False


def managed_fields(props: Mapping[str, Any], spec_fields: Iterable[str]) -> list[str]:
    """The spec fields a property bag declares: its recorded list when it has one (outputs), else
    the fields it sets (checked inputs)."""
    fields = tuple(spec_fields)
    declared = props.get(MANAGED_FIELDS)
    if isinstance(declared, list):
        return [name for name in fields if name in declared]
    return [name for name in fields if props.get(name) is not None]


Normalizer = Callable[[Any], Any]


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def changed_fields(
    olds: Mapping[str, Any],
    news: Mapping[str, Any],
    spec_fields: Iterable[str],
    normalizers: Mapping[str, Normalizer] | None = None,
    unclearable: Iterable[str] = (),
) -> list[str]:
    """Spec fields whose new input differs from the old output, or that the program stopped setting.

    ``normalizers`` say when two values mean the same (a set in another order, a decorated name):
    such a difference is not a change. A field that is unknown in ``news`` is a change (preview).
    Dropping an ``unclearable`` field (one the API cannot unset) only ends its management: no change.
    """
    keep_when_dropped = set(unclearable)
    normalizers = normalizers or {}
    old, new = clean(olds), clean(news)
    fields = tuple(spec_fields)
    previously = set(managed_fields(olds, fields))
    changed: list[str] = []
    for name in fields:
        normalize = normalizers.get(name, lambda value: value)
        if name in new:
            if is_unknown(new[name]):
                changed.append(name)
                continue
            before = None if _empty(old.get(name)) else normalize(old.get(name))
            after = None if _empty(new[name]) else normalize(new[name])
            if before != after:
                changed.append(name)
        elif name in previously and name not in keep_when_dropped and not _empty(old.get(name)):
            changed.append(name)
    return changed
