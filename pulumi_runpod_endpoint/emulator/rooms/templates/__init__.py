"""Templates: ``/v2/templates`` on one store, which endpoint creates from ``templateId`` read too.

Tests can also seed templates through the control API (``POST /_emulator/templates``), including
public catalog templates of other users (``"catalog": true``), and bind an endpoint to a template
as GraphQL or the console would (``POST /_emulator/endpoints/{id}/template``).
"""

from __future__ import annotations

from ...world import World
from .. import RestRoom
from .rest_v2 import TemplatesApi, view
from .state import IN_USE, Template, TemplateStore

__all__ = ["IN_USE", "Template", "TemplateStore", "TemplatesRoom", "view"]


class TemplatesRoom(RestRoom):
    name = "templates"
    store: TemplateStore

    def __init__(self, world: World, store: TemplateStore) -> None:
        self.store = store
        self.rest = TemplatesApi(world, store)
