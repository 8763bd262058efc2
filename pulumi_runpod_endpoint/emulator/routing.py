"""What a room hands the app: its operations, each a handler from a ``Call`` to a ``Reply``.

Handlers are plain synchronous functions over the room's state: no HTTP objects, no auth, no
faults, no journal (the pipeline in ``middleware.py`` does those for every operation alike).
A handler refuses a request by raising ``problems.ApiError``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .validation import parse_json

__all__ = ["Call", "Handler", "Operation", "Reply"]


@dataclass
class Call:
    method: str
    path: str
    path_params: Mapping[str, str]
    query: list[tuple[str, str]]
    raw_body: bytes
    key: str
    request_id: str
    headers: Mapping[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON (a 400 problem if it is not)."""
        return parse_json(self.raw_body)

    def query_values(self, name: str) -> list[str] | None:
        """A query parameter's values, comma lists split (OpenAPI form style, explode false).

        ``name=`` is the empty list; ``name=a,`` has an empty item (which enums then refuse)."""
        found = [value for key, value in self.query if key == name]
        if not found:
            return None
        return [part for value in found if value != "" for part in value.split(",")]

    def query_value(self, name: str) -> str | None:
        found = [value for key, value in self.query if key == name]
        return found[-1] if found else None


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    media_type: str = "application/json"
    text: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Call], Reply]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    """A Starlette path template, e.g. ``/v2/serverless/{id}``."""
    operation_id: str
    """The v2 spec's operationId: what the journal records and faults match."""
    handler: Handler
    api: Literal["rest", "graphql"] = "rest"
    identify: Callable[[Call], str] | None = None
    """For operations whose name depends on the request (GraphQL: the root fields)."""
    journal_redacts: tuple[str, ...] = ()
    """Top-level body fields the journal must not record (write-only credentials): it records
    them as ``<redacted>``, and a body it cannot read as a JSON object not at all."""
