"""Input problems, shared by every resource's ``check`` and by the policy pack.

Pulumi-free on purpose: a resource's spec model validates through these helpers, and ``check`` and
the policy pack both parse inputs with that model, so an input is refused everywhere or nowhere,
with the same words. Every problem names the field, the value and what is allowed.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = [
    "ID_PATTERN",
    "INT32_MAX",
    "MAX_ENV_TOTAL",
    "MAX_ENV_VALUE",
    "MAX_ENV_VARS",
    "MAX_LIST",
    "NAME_MAX",
    "FieldProblem",
    "cuda_versions_problem",
    "env_problem",
    "field_problems",
    "has_control_characters",
    "id_problem",
    "is_runpod_secret_reference",
    "matching_fields",
    "ports_problem",
    "show",
    "text_problem",
    "unsendable",
]

INT32_MAX = 2**31 - 1  # RunPod's integers are 32-bit: larger values fail only at the API, after a call
# \Z, not $: "$" also matches before a final newline, which let "t1\n" pass as an id.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\Z")
NAME_MAX = 191
MAX_LIST = 64
MAX_ENV_VARS = 256
MAX_ENV_VALUE = 32 * 1024
MAX_ENV_TOTAL = 128 * 1024
# What no name or id may contain: C0 and C1 control characters (NUL, tab, newline, ESC, NEL...), Unicode
# line and paragraph separators (newlines to many tools), bidirectional embeddings, overrides and
# isolates (text that displays unlike what it is: "Trojan Source"), and unpaired surrogates (no UTF-8
# for them: the request could not even be encoded). Free text (env values, passwords) may hold newlines.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_CUDA = re.compile(r"^\d{1,3}\.\d{1,3}\Z")
_PORT = re.compile(r"^(\d{1,5})/(http|tcp)\Z")
_SECRET_REFERENCE = re.compile(r"^\s*\{\{\s*RUNPOD_SECRET_[A-Za-z0-9_.-]+\s*\}\}\s*$")


@dataclass(frozen=True)
class FieldProblem:
    """One bad input: which field, and a message that says what is allowed."""

    field: str
    message: str
    cross_field: bool = False  # needs other fields' values to judge (skipped while they are unknown)


def show(value: Any, limit: int = 60) -> str:
    """A value for a message: repr, cut short, so a 1 MB input never floods a terminal.

    Containers are shown through ``reprlib`` (a few items, a few levels), so that showing a list of a
    million items costs no more than showing one: a check stays fast whatever the input's size.
    """
    if isinstance(value, (list, tuple, dict, set, frozenset)):
        text = _SHORT.repr(value)
        return text if len(text) <= limit else text[: limit - 15] + f"...({len(value)} items)"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 12] + f"...({len(text)} chars)"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxdict, _SHORT.maxset = 3, 6, 6, 6, 6
_SHORT.maxstring = _SHORT.maxother = 60


def text_problem(value: str, *, what: str, max_length: int, allow_spaces: bool = True) -> str | None:
    """Why a free-text value is unusable (blank, control characters, too long), or None."""
    if not value.strip():
        return f"{what} must not be empty or only whitespace"
    if has_control_characters(value):
        return (
            f"{what} must not contain control characters such as NUL, tab or newline, line separators or "
            f"bidirectional overrides (got {show(value)})"
        )
    if len(value) > max_length:
        return f"{what} is {len(value)} characters long; at most {max_length} are allowed"
    if not allow_spaces and any(ch.isspace() for ch in value):
        return f"{what} must not contain spaces (got {show(value)})"
    if value != value.strip():
        return f"{what} must not start or end with whitespace (got {show(value)})"
    return None


def has_control_characters(value: str) -> bool:
    """True when a name or id holds a character no name may: see ``_CONTROL``."""
    return _CONTROL.search(value) is not None


def unsendable(value: str) -> bool:
    """True when free text holds what no request can carry: NUL, or an unpaired surrogate (no UTF-8)."""
    return _UNSENDABLE.search(value) is not None


def matching_fields(model: type[BaseModel], names: tuple[str, ...]) -> tuple[str, ...]:
    """``names``, once checked to be ``model``'s fields in order (a room's names.py lists them for the
    program, which must not build the model; a field added to one and not the other fails every import)."""
    if tuple(model.model_fields) != names:
        raise ImportError(f"{model.__name__}'s fields {tuple(model.model_fields)} differ from names.py's {names}")
    return names


def field_problems(error: ValidationError, *, cross_fields: Iterable[str] = ()) -> list[FieldProblem]:
    """pydantic's errors as one ``FieldProblem`` per field, in our words."""
    cross = set(cross_fields)
    problems: dict[str, FieldProblem] = {}
    for item in error.errors(include_url=False):
        location = [str(part) for part in item.get("loc", ())]
        message = str(item.get("msg", "invalid value"))
        context = item.get("ctx") or {}
        if item.get("type") == "value_error" and "error" in context:
            message = str(context["error"])
        message = message.removeprefix("Value error, ")
        if item.get("type") in ("model_type", "model_attributes_type") and not location:
            location = ["__root__"]
        field = location[0] if location else "__root__"
        if field == "__root__" and ":" in message:
            # Cross-field rules raise "field: message" from a model validator.
            field, _, message = message.partition(":")
            field, message = field.strip(), message.strip()
        if item.get("type") == "extra_forbidden":
            message = f"{field} is not an input of this resource"
        elif len(location) > 1:
            message = f"{field}[{']['.join(location[1:])}]: {message}"
        elif not message.startswith(field):
            message = f"{field}: {message}"
        if "input" in item and item.get("type") not in ("value_error", "extra_forbidden", "missing"):
            message += f" (got {show(item['input'])})"
        problems.setdefault(field, FieldProblem(field, message, cross_field=field in cross))
    return list(problems.values())


# -- container settings, shared by every resource that has them (endpoint, template) -----------------
def is_runpod_secret_reference(value: object) -> bool:
    """``{{ RUNPOD_SECRET_name }}``: RunPod resolves it in the worker; we pass it through untouched."""
    return isinstance(value, str) and bool(_SECRET_REFERENCE.match(value))


def id_problem(field: str, value: Any, noun: str = "RunPod") -> str | None:
    """Why ``value`` cannot be a RunPod id (letters, digits, '-' and '_'), or None."""
    if isinstance(value, str) and ID_PATTERN.match(value):
        return None
    return f"{field} must be a {noun} id (letters, digits, '-' or '_', at most 128; got {show(value)})"


def ports_problem(value: Any) -> str | None:
    """Exposed ports as 'port/protocol' (http or tcp), at most ``MAX_LIST``, none twice."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_LIST:
        return f"ports must be a list of at most {MAX_LIST} entries such as '8000/http' (got {show(value)})"
    for item in value:
        match = _PORT.match(item) if isinstance(item, str) else None
        if match is None or not 1 <= int(match.group(1)) <= 65535:
            return f"ports: {show(item)} is not 'port/protocol' with a port 1-65535 and protocol http or tcp"
    if len(set(value)) != len(value):
        return "ports lists a port twice"
    return None


def env_problem(value: Any) -> str | None:
    """Environment variables: names as a shell knows them, string values, bounded sizes.

    Values are never shown: env routinely holds tokens.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        return f"env must be a map of variable names to string values (got a {type(value).__name__})"
    if len(value) > MAX_ENV_VARS:
        return f"env has {len(value)} variables; at most {MAX_ENV_VARS} are allowed"
    total = 0
    for key, item in value.items():
        if not (isinstance(key, str) and _ENV_NAME.match(key) and len(key) <= 256):
            return f"env: {show(key)} is not a variable name (letters, digits and '_', not starting with a digit)"
        if not isinstance(item, str):
            kind = "None" if item is None else type(item).__name__
            return f"env[{key}] must be a string (got {kind}); quote numbers, and remove unset variables"
        if _UNSENDABLE.search(item):
            return f"env[{key}] must not contain NUL characters or unpaired surrogates"
        if len(item) > MAX_ENV_VALUE:
            return f"env[{key}] is {len(item)} characters long; at most {MAX_ENV_VALUE} are allowed"
        total += len(key) + len(item)
    if total > MAX_ENV_TOTAL:
        return f"env is {total} characters in all; at most {MAX_ENV_TOTAL} are allowed"
    return None


def cuda_versions_problem(value: Any) -> str | None:
    """An exact set of CUDA versions as major.minor, e.g. ['12.8', '12.6']."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > MAX_LIST:
        return f"allowed_cuda_versions must be a list of CUDA versions such as ['12.8', '12.6'] (got {show(value)})"
    for item in value:
        if not (isinstance(item, str) and _CUDA.match(item)):
            return f"allowed_cuda_versions: {show(item)} is not a CUDA version as major.minor, e.g. '12.8'"
    if len(set(value)) != len(value):
        return "allowed_cuda_versions lists a version twice"
    return None
