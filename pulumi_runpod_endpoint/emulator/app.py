"""The emulator's HTTP face: the rooms' operations behind one pipeline, plus the control API.

``Emulator`` composes: a ``World`` (clock, settings, catalog), one room per resource, the
request pipeline (auth, faults, rate limit, journal), GraphQL at ``/graphql`` and the control
API at ``/_emulator``. Tensor One serves GraphQL only. Every path the API does not serve is a
``404`` problem+json (a wrong method, ``405``), journaled as operation ``unknown``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import documents
from .clock import Clock
from .control import control_routes
from .faults import FaultPlan
from .graphql_api import GraphQLApi
from .journal import Journal, JournalEntry
from .middleware import Pipeline, new_request_id, problem_response
from .ratelimit import RateLimiter
from .rooms import Room
from .rooms.catalog import CatalogRoom
from .rooms.endpoints import EndpointsRoom
from .rooms.network_volumes import NetworkVolumesRoom
from .rooms.pods import PodsRoom, PodStore
from .rooms.registries import RegistriesRoom
from .rooms.templates import TemplatesRoom, TemplateStore
from .routing import Operation
from .settings import EmulatorSettings
from .transport import EmulatorTransport
from .world import World

__all__ = ["FLAVORS", "Emulator"]

FLAVORS = ("runpod", "tensorone")


class Emulator:
    """A RunPod-compatible (or Tensor One-compatible) API, in memory."""

    def __init__(
        self,
        *,
        flavor: str = "runpod",
        api_key: str | None = None,
        clock: Clock | None = None,
        settings: EmulatorSettings | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if flavor not in FLAVORS:
            raise ValueError(f"flavor must be one of {', '.join(FLAVORS)}, got {flavor!r}")
        self.flavor = flavor
        self.api_key = api_key
        self.world = World(clock=clock, settings=settings, rng=rng)
        self.faults = FaultPlan()
        self.journal = Journal()
        self.limiter = RateLimiter(self.world.clock, self.world.settings)
        self.pipeline = Pipeline(self.world, self.faults, self.journal, self.limiter, api_key)
        self.pods_room = PodsRoom(self.world)
        self.pods: PodStore = self.pods_room.store
        self.registries = RegistriesRoom(self.world, self.pods)
        template_store = TemplateStore(
            self.world,
            self.pods,
            registry_exists=self.registries.store.exists,
            bound_endpoints=self._bound_endpoints,
        )
        self.templates = TemplatesRoom(self.world, template_store)
        self.endpoints = EndpointsRoom(self.world, template_store, flavor)
        self.registries.store.on_delete(template_store.drop_registry)
        self.registries.store.on_delete(self.endpoints.store.drop_registry)
        self.network_volumes = NetworkVolumesRoom(self.world)
        self.catalog = CatalogRoom(self.world)
        self.rooms: list[Room] = [
            self.endpoints,
            self.templates,
            self.network_volumes,
            self.registries,
            self.catalog,
            self.pods_room,
        ]

        operations: list[Operation] = []
        if flavor == "runpod":  # Tensor One documents no REST API
            operations += [op for room in self.rooms for op in room.operations()]
        mutations = {name: fn for room in self.rooms for name, fn in room.graphql_mutations().items()}
        myself = {name: fn for room in self.rooms for name, fn in room.graphql_myself().items()}
        operations.append(GraphQLApi(self.world, flavor, mutations, myself).operation())
        self.operations = operations
        extra = [Route("/v2/openapi.json", self._openapi, methods=["GET"])] if flavor == "runpod" else []
        self.app = Starlette(
            routes=[*self._api_routes(operations), *extra, *control_routes(self)],
            exception_handlers={HTTPException: self._unserved},
        )

    @property
    def clock(self) -> Clock:
        return self.world.clock

    @property
    def settings(self) -> EmulatorSettings:
        return self.world.settings

    def transport(self) -> EmulatorTransport:
        return EmulatorTransport(self.app)

    def reset(self) -> None:
        """Empty every room, the faults and the journal; settings back to the startup ones."""
        for room in self.rooms:
            room.reset()
        self.faults.clear()
        self.journal.clear()
        self.limiter.reset()
        self.world.restore_settings()

    def _bound_endpoints(self, template_id: str) -> list[str]:
        """Endpoints bound to a template: GraphQL- or console-made ones (v2 creates keep no link)."""
        return [endpoint.id for endpoint in self.endpoints.store.all() if endpoint.template_id == template_id]

    def _api_routes(self, operations: list[Operation]) -> list[Route]:
        by_path: dict[str, dict[str, Operation]] = {}
        for operation in operations:
            by_path.setdefault(operation.path, {})[operation.method] = operation
        return [Route(path, self._dispatcher(methods), methods=list(methods)) for path, methods in by_path.items()]

    def _dispatcher(self, methods: dict[str, Operation]) -> Callable[[Request], Any]:
        async def dispatch(request: Request) -> Response:
            operation = methods.get(request.method) or methods["GET"]  # HEAD is served as GET
            return await self.pipeline.serve(request, operation)

        return dispatch

    async def _openapi(self, request: Request) -> Response:
        """The spec the emulator is built from, where RunPod serves its own (migration guide)."""
        return JSONResponse(documents.openapi_v2(), headers={"x-request-id": new_request_id()})

    async def _unserved(self, request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        request_id = new_request_id()
        headers = {"x-request-id": request_id, **(error.headers or {})}
        if error.status_code == 405:
            detail = f"The requested method is not allowed for this path: {request.method} {request.url.path}."
        else:
            detail = f"no such path: {request.method} {request.url.path} (this API serves /v2/... and /graphql)"
        if not request.url.path.startswith("/_emulator"):
            entry = JournalEntry(
                0, request.method, request.url.path, "unknown", error.status_code, request_id=request_id
            )
            self.journal.record(entry)
        return problem_response(error.status_code, detail, headers=headers)
