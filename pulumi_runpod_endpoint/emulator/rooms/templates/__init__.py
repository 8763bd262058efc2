"""Templates: ``/v2/templates`` on one store, which endpoint creates from ``templateId`` read too.

Tests can also seed templates through the control API (``POST /_emulator/templates``), including
public catalog templates of other users (``"catalog": true``), and bind an endpoint to a template
as GraphQL or the console would (``POST /_emulator/endpoints/{id}/template``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from .rest_v2 import TemplatesApi, view
from .state import IN_USE, Template, TemplateStore

__all__ = ["IN_USE", "Template", "TemplateStore", "TemplatesRoom", "view"]


class TemplatesRoom:
    name = "templates"

    def __init__(self, world: World, store: TemplateStore) -> None:
        self.store = store
        self.rest = TemplatesApi(world, store)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return {}

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return {}

    def reset(self) -> None:
        self.store.reset()
