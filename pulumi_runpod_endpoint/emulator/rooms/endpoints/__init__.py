"""Serverless endpoints: ``/v2/serverless...`` and GraphQL's endpoint fields, on one store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...routing import Operation
from ...world import World
from ..templates import TemplateStore
from .graphql import EndpointsGraphQL
from .rest_v2 import ServerlessApi
from .store import EndpointStore

__all__ = ["EndpointStore", "EndpointsRoom"]


class EndpointsRoom:
    name = "endpoints"

    def __init__(self, world: World, templates: TemplateStore, flavor: str) -> None:
        self.store = EndpointStore(world)
        self.rest = ServerlessApi(world, self.store, templates)
        self.graphql = EndpointsGraphQL(world, self.store, templates, flavor)

    def operations(self) -> list[Operation]:
        return self.rest.operations()

    def graphql_mutations(self) -> dict[str, Callable[..., Any]]:
        return self.graphql.mutations()

    def graphql_myself(self) -> dict[str, Callable[..., Any]]:
        return self.graphql.myself_fields()

    def reset(self) -> None:
        self.store.reset()
        self.graphql.reset()
