"""Request bodies checked against the v2 spec's own schemas, errors worded as RunPod words them.

The validator implements JSON Schema 2020-12 (``unevaluatedProperties``, ``if``/``then``,
``oneOf``, ``dependentRequired``), which the spec's request schemas rely on. Failures become a
422 whose ``errors`` are plain strings in the live API's style, e.g.
``$: additional properties 'bogus' not allowed`` and ``$: missing property 'name'``
(runpod/runpod-plugins-official skills/runpod-migrate/reference/breaking-changes.md, checked
against the live API). Like the live API, a missing required field knocks the body out of its
schema branch, and the other fields of that branch are then reported as not allowed too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from . import documents
from .problems import ApiError, Unprocessable

__all__ = ["INT32_MAX", "check_body", "parse_json", "validator"]

INT32_MAX = 2**31 - 1
FLOAT32_MAX = 3.4028234663852886e38


@cache
def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(documents.v2_schema_ref(schema_name), registry=documents.v2_registry())


def parse_json(raw: bytes) -> Any:
    """The body as JSON; a 400 for anything that is not (empty, malformed, NaN, too deep)."""
    if not raw.strip():
        raise ApiError(400, "request body is required: send a JSON object")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ApiError(400, f"request body is not valid JSON: {error}") from error


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_body(schema_name: str, body: Any) -> dict[str, Any]:
    """The body if it conforms to ``schema_name``, else a 422 listing every violation.

    Numbers the backend cannot hold are refused too: integers beyond 32 bits (RunPod's
    upstream GraphQL ``Int`` is a signed 32-bit integer) and floats beyond 32-bit range (the
    spec's ``format: float``).
    """
    errors = [message for error in validator(schema_name).iter_errors(body) for message in describe(error)]
    errors += list(_number_range_errors(body, "$"))
    if errors:
        raise Unprocessable("Request validation failed.", sorted(dict.fromkeys(errors)))
    assert isinstance(body, dict)
    return body


def _number_range_errors(value: Any, where: str) -> Iterator[str]:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not -INT32_MAX - 1 <= value <= INT32_MAX:
        yield f"{where}: must be <= {INT32_MAX} but found {value}"
    elif isinstance(value, float) and abs(value) > FLOAT32_MAX:
        yield f"{where}: must be <= {FLOAT32_MAX} but found {value}"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _number_range_errors(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _number_range_errors(item, f"{where}[{index}]")


def location(path: Any) -> str:
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number"}


def describe(error: ValidationError) -> list[str]:
    """One jsonschema error as the live API's strings (several for a failed oneOf branch)."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        return [message for sub in _closest_branch(error) for message in describe(sub)]
    where = location(error.absolute_path)
    value, instance = error.validator_value, error.instance
    kind = error.validator
    if kind == "required":
        missing = [name for name in value if isinstance(instance, dict) and name not in instance]
        return [f"{where}: missing {_properties(missing)}"]
    if kind in ("additionalProperties", "unevaluatedProperties"):
        names = _QUOTED.findall(error.message.split("(", 1)[-1]) if "(" in error.message else []
        # always plural, as the live API words it: "$: additional properties 'bogus' not allowed"
        return [f"{where}: additional properties {', '.join(_quote(name) for name in names)} not allowed"]
    if kind == "enum":
        return [f"{where}: value must be one of {', '.join(_quote(item) for item in value)}"]
    if kind == "const":
        return [f"{where}: value must be {_quote(value)}"]
    if kind == "type":
        wanted = " or ".join(value) if isinstance(value, list) else value
        return [f"{where}: got {_json_type(instance)}, want {wanted}"]
    if kind == "minimum":
        return [f"{where}: must be >= {value} but found {instance}"]
    if kind == "maximum":
        return [f"{where}: must be <= {value} but found {instance}"]
    if kind == "minItems":
        return [f"{where}: minimum {value} items required, but found {len(instance)} items"]
    if kind == "maxItems":
        return [f"{where}: maximum {value} items required, but found {len(instance)} items"]
    if kind == "minLength":
        return [f"{where}: length must be >= {value}, but got {len(instance)}"]
    if kind == "pattern":
        return [f"{where}: {_quote(instance)} does not match pattern {_quote(value)}"]
    if kind == "uniqueItems":
        return [f"{where}: items must be unique"]
    if kind == "dependentRequired":
        name = error.relative_path[-1] if error.relative_path else ""
        needing = [key for key, needs in value.items() if isinstance(instance, dict) and key in instance]
        needed = [need for key in needing for need in value[key] if need not in instance]
        return [f"{where}: {_properties(needed)} required, if {_quote(needing[0] if needing else name)} exists"]
    return [f"{where}: {error.message}"]


def _closest_branch(error: ValidationError) -> list[ValidationError]:
    """The failed branch of a oneOf the instance meant: the one whose discriminator matches.

    EndpointScaling is a union on ``type``: a QUEUE_DELAY body that fails is reported against
    the QUEUE_DELAY branch, not as "matches none of two schemas".
    """
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(sub)

    def mismatched_discriminator(errors: list[ValidationError]) -> bool:
        return any(e.validator in ("enum", "const") and list(e.relative_path) == ["type"] for e in errors)

    ranked = sorted(branches.values(), key=lambda errors: (mismatched_discriminator(errors), len(errors)))
    best = ranked[0]
    if mismatched_discriminator(best):  # no branch claims it: the discriminator itself is wrong
        return [e for e in best if list(e.relative_path) == ["type"]] or best
    return best


def _properties(names: list[Any]) -> str:
    quoted = ", ".join(_quote(name) for name in names)
    return f"{'property' if len(names) == 1 else 'properties'} {quoted}"


def _quote(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else json.dumps(value)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return _JSON_TYPES.get(type(value), type(value).__name__)
