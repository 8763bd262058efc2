"""graphql-core's request errors in graphql-js's words, which are RunPod's.

RunPod's GraphQL server is Node (runpod-mcp 4c8e403 cites ``runpod-backend node/graphql/...``) and
the messages clients recorded from it are graphql-js 16's: ``Enum "FlashBootType" cannot represent
non-enum value: "FLASHBOOT"`` (runpod/runpod-python 17ba8659) and ``Field "dataCenterId" is not
defined by type "NetworkVolumeIdsInput"`` (runpod/runpod-mcp 8b80863). graphql-core validates the
same things but words them differently (single quotes, "not to include unknown field", ...), so the
emulator rewrites the families a client can meet. Only errors graphql itself raises (validation,
variable coercion) go through here; the resolvers' own messages are RunPod's already.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError, GraphQLInputObjectType, GraphQLSchema

__all__ = ["js_error", "js_inspect"]

_VARIABLE = re.compile(r"^Variable '\$(?P<name>\w+)' has invalid value(?: at (?P<path>\S+))?: (?P<rest>.*)$", re.S)
_NOT_PROVIDED = re.compile(r"^Expected a value of non-null type '(?P<type>[^']+)' to be provided\.$")
_UNKNOWN_FIELD = re.compile(
    r"^Expected value of type '(?P<type>\w+)' not to include unknown field '(?P<field>\w+)'"
    r"(?:\. (?P<hint>Did you mean [^?]*\?) Found|, found): .*$",
    re.S,
)
_MISSING_FIELD = re.compile(
    r"^Expected value of type '(?P<type>\w+)' to include required field '(?P<field>\w+)', found"
)
_NON_NULL = re.compile(r"^Expected value of non-null type '(?P<type>[^']+)' not to be None\.$")
_ARGUMENT = re.compile(
    r"^Argument '(?P<parent>\w+)\.(?P<field>\w+)\((?P<arg>\w+):\)' of type '(?P<type>[^']+)' is required, "
    r"but it was not provided\.$"
)
_QUOTED = re.compile(r"'([^'\s][^']*)'")
_PATH_PART = re.compile(r"\.(\w+)|\[(\d+)\]")


def js_error(error: GraphQLError, schema: GraphQLSchema, variables: Mapping[str, Any] | None) -> dict[str, Any]:
    """The formatted error with graphql-js's message."""
    formatted = dict(error.formatted)
    formatted["message"] = _message(error.message, schema, variables or {})
    return formatted


def _message(message: str, schema: GraphQLSchema, variables: Mapping[str, Any]) -> str:
    variable = _VARIABLE.match(message)
    if variable is None:
        return _inner(message, schema)
    name, path, rest = variable["name"], variable["path"] or "", variable["rest"]
    missing = _NOT_PROVIDED.match(rest)
    if missing is not None and not path:
        return f'Variable "${name}" of required type "{missing["type"]}" was not provided.'
    value = _at(variables.get(name), path)
    where = f' at "{name}{path}"' if path else ""
    return f'Variable "${name}" got invalid value {js_inspect(value)}{where}; {_inner(rest, schema)}'


def _inner(message: str, schema: GraphQLSchema) -> str:
    unknown = _UNKNOWN_FIELD.match(message)
    if unknown is not None:
        hint = " " + _QUOTED.sub(r'"\1"', unknown["hint"]) if unknown["hint"] else ""
        return f'Field "{unknown["field"]}" is not defined by type "{unknown["type"]}".{hint}'
    missing = _MISSING_FIELD.match(message)
    if missing is not None:
        kind = schema.get_type(missing["type"])
        field = kind.fields.get(missing["field"]) if isinstance(kind, GraphQLInputObjectType) else None
        shown = str(field.type) if field is not None else "?"
        return f'Field "{missing["field"]}" of required type "{shown}" was not provided.'
    non_null = _NON_NULL.match(message)
    if non_null is not None:
        return f'Expected non-nullable type "{non_null["type"]}" not to be null.'
    argument = _ARGUMENT.match(message)
    if argument is not None:
        return (
            f'Field "{argument["field"]}" argument "{argument["arg"]}" of type "{argument["type"]}" is required, '
            "but it was not provided."
        )
    return _QUOTED.sub(r'"\1"', message)


def _at(value: Any, path: str) -> Any:
    for key, index in _PATH_PART.findall(path):
        if key and isinstance(value, Mapping):
            value = value.get(key)
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return None
    return value


def js_inspect(value: Any, depth: int = 0) -> str:
    """A value as graphql-js's ``inspect`` prints it: ``{ a: "x", b: [1, 2] }`` (two levels deep)."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        if depth >= 2:
            return "[Object]"
        return "{ " + ", ".join(f"{key}: {js_inspect(item, depth + 1)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        if not value:
            return "[]"
        if depth >= 2:
            return "[Array]"
        shown = [js_inspect(item, depth + 1) for item in value[:10]]
        if len(value) > 10:
            shown.append(f"... {len(value) - 10} more items")
        return "[" + ", ".join(shown) + "]"
    return json.dumps(value)
