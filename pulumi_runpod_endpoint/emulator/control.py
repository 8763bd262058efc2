"""The control API under ``/_emulator``: what tests, benchmarks and CI steer and read.

Not part of RunPod's API: no key needed, never journaled. Errors are problem+json too.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .clock import ManualClock, iso
from .faults import Fault
from .middleware import new_request_id, problem_response
from .problems import ApiError
from .rooms.endpoints.fleet import STATUSES
from .rooms.network_volumes import view as volume_view
from .rooms.pods.state import DEFAULT_IMAGE, Container
from .rooms.registries.rest_v2 import scrubbed
from .rooms.templates import Template
from .rooms.templates import view as template_view
from .validation import check_body

if TYPE_CHECKING:
    from .faults import FaultPlan
    from .journal import Journal
    from .rooms.endpoints import EndpointsRoom
    from .rooms.network_volumes import NetworkVolumesRoom
    from .rooms.pods import PodStore
    from .rooms.registries import RegistriesRoom
    from .rooms.templates import TemplatesRoom
    from .world import World


class Emulator(Protocol):
    """What the control API drives: the emulator's rooms and shared state (``app.Emulator`` is one).
    A protocol, so that the app imports the control API and not the other way round."""

    world: World
    faults: FaultPlan
    journal: Journal
    pods: PodStore
    registries: RegistriesRoom
    templates: TemplatesRoom
    endpoints: EndpointsRoom
    network_volumes: NetworkVolumesRoom

    def reset(self) -> None: ...


__all__ = ["control_routes"]

MAX_SECONDS = 10 * 365 * 86400
"""The longest a declared pod may live (ten years): later instants would not print as dates."""


def control_routes(emulator: Emulator) -> list[Route]:
    api = _Control(emulator)
    return [
        Route("/_emulator/journal", api.journal, methods=["GET", "DELETE"]),
        Route("/_emulator/faults", api.faults, methods=["GET", "POST", "DELETE"]),
        Route("/_emulator/reset", api.reset, methods=["POST"]),
        Route("/_emulator/settings", api.settings, methods=["GET", "POST"]),
        Route("/_emulator/clock", api.clock, methods=["GET", "POST"]),
        Route("/_emulator/templates", api.templates, methods=["GET", "POST"]),
        Route("/_emulator/endpoints/{id}/workers", api.workers, methods=["POST"]),
        Route("/_emulator/endpoints/{id}/template", api.bind_template, methods=["POST"]),
        Route("/_emulator/network-volumes", api.network_volumes, methods=["GET", "POST"]),
        Route("/_emulator/registries", api.registries, methods=["GET", "POST"]),
        Route("/_emulator/registries/{id}/verify", api.verify_registry, methods=["POST"]),
        Route("/_emulator/pods", api.pods, methods=["GET", "POST"]),
        Route("/_emulator/pods/{id}", api.pod, methods=["DELETE"]),
    ]


def _guarded(handler: Callable[[Any, Request], Awaitable[Response]]) -> Callable[[Any, Request], Awaitable[Response]]:
    async def run(self: Any, request: Request) -> Response:
        try:
            response = await handler(self, request)
        except ApiError as error:
            response = problem_response(error.status, error.detail, error.errors)
        except (ValueError, TypeError, KeyError) as error:
            response = problem_response(400, str(error))
        response.headers["x-request-id"] = new_request_id()
        return response

    return run


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError as error:
        raise ApiError(400, f"body is not valid JSON: {error}") from error


class _Control:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    @_guarded
    async def journal(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.emulator.journal.clear()
            return Response(status_code=204)
        return JSONResponse(self.emulator.journal.to_json())

    @_guarded
    async def faults(self, request: Request) -> Response:
        plan = self.emulator.faults
        if request.method == "DELETE":
            plan.clear()
            return Response(status_code=204)
        if request.method == "POST":
            body = await _json(request)
            items = body.get("faults", [body]) if isinstance(body, dict) else body
            if not isinstance(items, list):
                raise ApiError(400, 'faults: send a fault object, a list, or {"faults": [...]}')
            faults = [Fault.from_json(item) for item in items]
            if request.query_params.get("append") == "true":
                for fault in faults:
                    plan.add(fault)
            else:
                plan.set(faults)
        return JSONResponse(plan.to_json())

    @_guarded
    async def reset(self, request: Request) -> Response:
        self.emulator.reset()
        return Response(status_code=204)

    @_guarded
    async def settings(self, request: Request) -> Response:
        settings = self.emulator.world.settings
        if request.method == "POST":
            body = await _json(request)
            if not isinstance(body, dict):
                raise ApiError(400, "settings must be a JSON object")
            settings.update(body)
        return JSONResponse(settings.to_json())

    @_guarded
    async def clock(self, request: Request) -> Response:
        clock = self.emulator.world.clock
        if request.method == "POST":
            if not isinstance(clock, ManualClock):
                raise ApiError(409, "this emulator runs on the system clock: start it with --clock manual")
            body = await _json(request)
            if "advance" in body:
                clock.advance(float(body["advance"]))
            elif "set" in body:
                value = body["set"]
                clock.set(
                    datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
                    if isinstance(value, str)
                    else float(value)
                )
            else:
                raise ApiError(400, 'clock: send {"advance": seconds} or {"set": "2026-11-29T12:00:00Z"}')
        now = clock.now()
        return JSONResponse({"now": iso(now), "epoch": now, "manual": clock.manual})

    @_guarded
    async def templates(self, request: Request) -> Response:
        """Seed a template as it is (no rules; an existing id is overwritten), or list them all with
        what uses each: the endpoints bound to it and the pods referencing it."""
        store = self.emulator.templates.store
        if request.method == "POST":
            template = store.add(Template.from_json(await _json(request), self.emulator.world.new_id(10)))
            return JSONResponse(self._template_json(template), status_code=201)
        return JSONResponse([self._template_json(template) for template in store.all()])

    def _template_json(self, template: Template) -> dict[str, Any]:
        endpoints, pods = self.emulator.templates.store.users(template.id)
        answer = template_view(template)
        answer.update(registry=template.registry, catalog=template.catalog, boundEndpoints=endpoints, pods=pods)
        return answer

    @_guarded
    async def bind_template(self, request: Request) -> Response:
        """Bind an endpoint to one of the templates, as GraphQL and the console do (v2 keeps no
        link): the template's delete is then refused, and the endpoint's v2 delete takes it along.
        The endpoint's settings are left as they are."""
        body = await _json(request)
        template_id = body.get("templateId") if isinstance(body, dict) else None
        if not isinstance(template_id, str):
            raise ApiError(400, 'send {"templateId": "<id of a template>"}')
        if self.emulator.templates.store.get(template_id) is None:
            raise ApiError(404, f"template {template_id} not found")
        store = self.emulator.endpoints.store
        with self.emulator.world.lock:
            endpoint = store.get(request.path_params["id"])
            endpoint.template_id = template_id
        return JSONResponse({"id": endpoint.id, "templateId": template_id})

    @_guarded
    async def network_volumes(self, request: Request) -> Response:
        """Seed a volume (an ``id`` may be given; the v2 schema and rules apply), or list them."""
        store = self.emulator.network_volumes.store
        if request.method == "POST":
            body = await _json(request)
            volume_id = body.pop("id", None) if isinstance(body, dict) else None
            body = check_body("CreateNetworkVolumeRequest", body)
            volume = store.create(
                body["name"], body["size"], body["dataCenter"], body.get("type"), volume_id=volume_id and str(volume_id)
            )
            return JSONResponse(volume_view(volume), status_code=201)
        return JSONResponse([volume_view(volume) for volume in store.all()])

    @_guarded
    async def registries(self, request: Request) -> Response:
        """Seed a credential (an ``id`` may be given; the v2 schema and rules apply), or list them
        with the pods pulling with each. Credentials never come back, here either."""
        store = self.emulator.registries.store
        if request.method == "POST":
            body = await _json(request)
            registry_id = body.pop("id", None) if isinstance(body, dict) else None
            try:
                body = check_body("CreateRegistryRequest", body)
            except ApiError as error:
                raise scrubbed(error, body) from None
            registry = store.create(
                body["name"], body["username"], body["password"], registry_id=registry_id and str(registry_id)
            )
            return JSONResponse({"id": registry.id, "name": registry.name}, status_code=201)
        pods = self.emulator.pods
        return JSONResponse([{"id": r.id, "name": r.name, "pods": pods.pulling_with(r.id)} for r in store.all()])

    @_guarded
    async def verify_registry(self, request: Request) -> Response:
        """Whether a credential holds this username and password: a test checks what was stored
        without the emulator ever handing a credential back."""
        body = await _json(request)
        username, password = (body.get("username"), body.get("password")) if isinstance(body, dict) else (None, None)
        if not isinstance(username, str) or not isinstance(password, str):
            raise ApiError(400, 'send {"username": "...", "password": "..."}')
        registry = self.emulator.registries.store.get(request.path_params["id"])
        return JSONResponse({"matches": registry.matches(username, password)})

    @_guarded
    async def pods(self, request: Request) -> Response:
        """Declare a pod (listed and read on ``/v2/pods``) that may reference a template, pull with a
        registry credential (their deletes are refused while it lives) and mount a network volume,
        for ``seconds`` or until deleted; or list them."""
        pods = self.emulator.pods
        if request.method == "GET":
            return JSONResponse([pod.to_json() for pod in pods.live()])
        body = await _json(request)
        if not isinstance(body, dict):
            raise ApiError(400, "a pod is a JSON object")
        known = ("name", "networkVolumeId", "registry", "seconds", "templateId")
        unknown = sorted(set(body) - set(known))
        if unknown:
            raise ApiError(400, f"unknown pod field(s) {', '.join(unknown)}; known: {', '.join(known)}")
        template_id, registry_id, seconds = body.get("templateId"), body.get("registry"), body.get("seconds")
        name, volume_id = body.get("name"), body.get("networkVolumeId")
        if name is not None and (not isinstance(name, str) or not name):
            raise ApiError(400, f"name: expected a non-empty string, got {name!r}")
        container = Container()
        if template_id is not None:
            template = self.emulator.templates.store.get(str(template_id))
            if template is None:
                raise ApiError(404, f"template {template_id} not found")
            container = Container(
                image=template.image or DEFAULT_IMAGE,
                args=template.args,
                disk=template.disk,
                ports=tuple(template.ports),
                cuda_versions=tuple(template.allowed_cuda_versions),
            )
        if registry_id is not None:
            self.emulator.registries.store.get(str(registry_id))
        data_center = None
        if volume_id is not None:
            data_center = self.emulator.network_volumes.store.get(str(volume_id)).data_center
        if seconds is not None and (
            isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 <= seconds <= MAX_SECONDS
        ):
            raise ApiError(400, f"seconds: expected seconds between 0 and {MAX_SECONDS}, got {seconds!r}")
        pod = pods.add(
            None if template_id is None else str(template_id),
            None if registry_id is None else str(registry_id),
            None if seconds is None else float(seconds),
            name=name,
            network_volume_id=None if volume_id is None else str(volume_id),
            data_center_id=data_center,
            container=container,
        )
        return JSONResponse(pod.to_json(), status_code=201)

    @_guarded
    async def pod(self, request: Request) -> Response:
        self.emulator.pods.remove(request.path_params["id"])
        return Response(status_code=204)

    @_guarded
    async def workers(self, request: Request) -> Response:
        body = await _json(request)
        status = body.get("status")
        if status not in STATUSES:
            raise ApiError(400, f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        count = body.get("count", 1)
        version = body.get("version")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ApiError(400, f"count must be a whole number >= 0, got {count!r}")
        store = self.emulator.endpoints.store
        moved = store.mark_workers(request.path_params["id"], status, count, version)
        return JSONResponse({"moved": moved})
