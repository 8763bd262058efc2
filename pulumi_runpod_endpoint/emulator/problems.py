"""RFC 9457 problem details: the one shape of every REST v2 error (unknown paths included).

Rules raise ``ApiError(status, detail, errors)``; the pipeline renders it as
``application/problem+json`` with the ``title`` the spec's examples use for that status.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

__all__ = ["PROBLEM_JSON", "ApiError", "BadRequest", "NotFound", "Unprocessable", "problem_body", "title_for"]

PROBLEM_JSON = "application/problem+json"

# The spec's example titles (components/responses/*Error) are the standard reason phrases.
_TITLES = {422: "Unprocessable Entity", 429: "Too Many Requests"}


def title_for(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ApiError(Exception):
    """A request the API refuses, with its status, a human detail and per-field errors."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class BadRequest(ApiError):
    """400: conflicts with a rule the spec states in prose (not a schema violation)."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, detail)


class NotFound(ApiError):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


class Unprocessable(ApiError):
    """422: failed validation (the schemas, and the rules the live API reports as 422)."""

    def __init__(self, detail: str, errors: list[str] | None = None) -> None:
        super().__init__(422, detail, errors)


def problem_body(status: int, detail: str, errors: list[str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"title": title_for(status), "status": status, "detail": detail}
    if errors:
        body["errors"] = list(errors)
    return body
