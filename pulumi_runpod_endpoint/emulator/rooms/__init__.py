"""Rooms: one per RunPod resource, each owning its state, its rules and its wire translations.

See the package docstring for the pattern a new room follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..routing import Operation

__all__ = ["RestRoom", "Room"]


class Room(Protocol):
    """What the app needs from a room to serve it."""

    name: str

    def operations(self) -> list[Operation]:
        """The REST v2 operations it serves (path, method, operationId, handler)."""

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        """Root Mutation fields it resolves (GraphQL flavors only)."""

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        """Fields of ``myself`` (the User) it resolves."""

    def reset(self) -> None:
        """Forget everything (control API ``POST /_emulator/reset``)."""


class _RestApi(Protocol):
    def operations(self) -> list[Operation]: ...


class _Store(Protocol):
    def reset(self) -> None: ...


class RestRoom:
    """A room RunPod serves through REST v2 only: the operations of its ``rest`` API, nothing on
    GraphQL, and a reset that empties its ``store`` (a room without one has nothing to forget)."""

    name: str
    rest: _RestApi
    store: _Store | None = None

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        if self.store is not None:
            self.store.reset()
