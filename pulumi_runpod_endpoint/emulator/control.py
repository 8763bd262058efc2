"""The control API under ``/_emulator``: what tests, benchmarks and CI steer and read.

Not part of RunPod's API: no key needed, never journaled. Errors are problem+json too.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .clock import ManualClock, iso
from .faults import Fault
from .middleware import new_request_id, problem_response
from .problems import ApiError
from .rooms.endpoints.fleet import STATUSES
from .rooms.templates import Template

if TYPE_CHECKING:
    from .app import Emulator

__all__ = ["control_routes"]


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
        store = self.emulator.templates
        if request.method == "POST":
            template = store.add(Template.from_json(await _json(request), self.emulator.world.new_id(10)))
            return JSONResponse(template.to_json(), status_code=201)
        return JSONResponse([template.to_json() for template in store.all()])

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
