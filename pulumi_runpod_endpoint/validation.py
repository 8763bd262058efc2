"""Input problems, shared by every resource's ``check`` and by the policy pack.

Pulumi-free on purpose: a resource's spec model validates through these helpers, and ``check`` and
the policy pack both parse inputs with that model, so an input is refused everywhere or nowhere,
with the same words. Every problem names the field, the value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

__all__ = [
    "ID_PATTERN",
    "INT32_MAX",
    "FieldProblem",
    "field_problems",
    "show",
    "text_problem",
]

INT32_MAX = 2**31 - 1  # RunPod's integers are 32-bit: larger values fail only at the API, after a call
# \Z, not $: "$" also matches before a final newline, which let "t1\n" pass as an id.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}\Z")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FieldProblem:
    """One bad input: which field, and a message that says what is allowed."""

    field: str
    message: str
    cross_field: bool = False  # needs other fields' values to judge (skipped while they are unknown)


def show(value: Any, limit: int = 60) -> str:
    """A value for a message: repr, cut short, so a 1 MB input never floods a terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 12] + f"...({len(text)} chars)"


def text_problem(value: str, *, what: str, max_length: int, allow_spaces: bool = True) -> str | None:
    """Why a free-text value is unusable (blank, control characters, too long), or None."""
    if not value.strip():
        return f"{what} must not be empty or only whitespace"
    if _CONTROL.search(value):
        return f"{what} must not contain control characters such as NUL, tab or newline (got {show(value)})"
    if len(value) > max_length:
        return f"{what} is {len(value)} characters long; at most {max_length} are allowed"
    if not allow_spaces and any(ch.isspace() for ch in value):
        return f"{what} must not contain spaces (got {show(value)})"
    if value != value.strip():
        return f"{what} must not start or end with whitespace (got {show(value)})"
    return None


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
