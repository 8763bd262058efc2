"""What a program asks for: one registry credential, validated before any API call.

The username and the password are secrets: no message here ever shows them, not even cut short --
only which rule they break. The password is otherwise taken as given (a Google service-account key
is a multi-line JSON document; a token may contain anything but NUL).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..validation import NAME_MAX, FieldProblem, has_control_characters, matching_fields, show, text_problem, unsendable
from . import names

__all__ = ["PASSWORD_MAX", "SECRET_FIELDS", "SPEC_FIELDS", "USERNAME_MAX", "RegistryAuthSpec", "check_spec"]

USERNAME_MAX = 1024
PASSWORD_MAX = 16 * 1024
SECRET_FIELDS = names.SECRET_FIELDS


class RegistryAuthSpec(BaseModel):
    """The desired state of one credential. Field docs are in ``RegistryAuthArgs``."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    name: str
    username: str = Field(repr=False)
    password: str = Field(repr=False)


SPEC_FIELDS = matching_fields(RegistryAuthSpec, names.SPEC_FIELDS)


def check_spec(
    values: Mapping[str, Any], *, unknown: Iterable[str] = ()
) -> tuple[RegistryAuthSpec | None, list[FieldProblem]]:
    """Validate program inputs; return the spec, or the problems (one per field, secrets never shown)."""
    unknown = set(unknown)
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message and field not in unknown:
            problems.append(FieldProblem(field, message))

    for field in sorted(set(values) - set(SPEC_FIELDS)):
        add(field, f"{field} is not an input of this resource; inputs: {', '.join(SPEC_FIELDS)}")
    name = values.get("name")
    if not isinstance(name, str):
        add("name", f"name must be a string of 1-{NAME_MAX} characters (got {show(name)})")
    else:
        add("name", text_problem(name, what="name", max_length=NAME_MAX))
    add("username", _username_problem(values.get("username")))
    add("password", _password_problem(values.get("password")))
    if problems:
        return None, problems
    candidate = {key: values[key] for key in SPEC_FIELDS if key in values}
    for field in unknown & set(SPEC_FIELDS):
        candidate[field] = "unknown"
    return RegistryAuthSpec.model_validate(candidate), []


def _username_problem(value: Any) -> str | None:
    if value is None:
        return "username is required: the registry user (a secret; e.g. a Docker Hub user, or 'AWS' for ECR)"
    if not isinstance(value, str):
        return f"username must be a string (got {type(value).__name__})"
    if not value.strip():
        return "username must not be empty or only whitespace"
    if has_control_characters(value):
        return (
            "username must not contain control characters such as NUL, tab or newline, line separators or "
            "bidirectional overrides (a pasted line end?)"
        )
    if value != value.strip():
        return "username must not start or end with whitespace (a pasted space?)"
    if len(value) > USERNAME_MAX:
        return f"username is {len(value)} characters long; at most {USERNAME_MAX} are allowed"
    return None


def _password_problem(value: Any) -> str | None:
    if value is None:
        return "password is required: the registry password or access token (a secret)"
    if not isinstance(value, str):
        return f"password must be a string (got {type(value).__name__})"
    if not value.strip():
        return "password must not be empty or only whitespace"
    if unsendable(value):
        return "password must not contain NUL characters or unpaired surrogates"
    if len(value) > PASSWORD_MAX:
        return f"password is {len(value)} characters long; at most {PASSWORD_MAX} are allowed"
    return None
