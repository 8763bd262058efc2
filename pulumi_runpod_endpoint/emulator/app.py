"""The emulator's HTTP face: REST at /v1, GraphQL at /graphql, control API at /_emulator.

``Emulator`` bundles state, faults and journal with a Starlette app; ``Emulator.transport()``
gives an ``httpx`` transport that serves requests in-process (no socket), turning injected
connection drops into the same ``httpx`` errors a real socket would raise.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .faults import Fault, FaultPlan, Journal, JournalEntry
from .graphql import GraphQLApi
from .rest import RestApi
from .state import ApiRuleError, EmulatorSettings, EmulatorState, NotFoundError

__all__ = ["DroppedConnection", "Emulator", "EmulatorTransport"]


class DroppedConnection(Exception):
    """Raised inside the app to make the server close the connection mid-answer."""


class _DroppedResponse(Response):
    """Starts an answer it never finishes: the client sees the connection close."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
        raise DroppedConnection("emulator dropped the connection (injected fault)")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Emulator:
    """A RunPod-compatible (or Tensor One-compatible) API, in memory."""

    def __init__(self, *, flavor: str = "runpod", api_key: str | None = None) -> None:
        if flavor not in ("runpod", "tensorone"):
            raise ValueError("flavor must be 'runpod' or 'tensorone'")
        self.flavor = flavor
        self.api_key = api_key
        self.state = EmulatorState()
        self.faults = FaultPlan()
        self.journal = Journal()
        self.rest = RestApi(self.state)
        self.graphql = GraphQLApi(self.state, flavor)
        routes = [
            Route("/graphql", self._graphql, methods=["POST"]),
            Route("/_emulator/journal", self._journal, methods=["GET", "DELETE"]),
            Route("/_emulator/faults", self._faults, methods=["GET", "POST", "DELETE"]),
            Route("/_emulator/reset", self._reset, methods=["POST"]),
            Route("/_emulator/settings", self._settings, methods=["POST"]),
        ]
        if flavor == "runpod":  # Tensor One serves GraphQL only
            routes += [
                Route("/v1/endpoints", self._rest_collection, methods=["GET", "POST"]),
                Route("/v1/endpoints/{endpoint_id}", self._rest_item, methods=["GET", "PATCH", "DELETE"]),
                Route("/v1/endpoints/{endpoint_id}/update", self._rest_update_alias, methods=["POST"]),
            ]
        self.app = Starlette(routes=routes)

    def transport(self) -> EmulatorTransport:
        return EmulatorTransport(self.app)

    # -- auth ---------------------------------------------------------------------------------
    def _key(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            key = header[7:].strip()
        else:
            key = request.query_params.get("api_key", "").strip()
        if not key or (self.api_key is not None and key != self.api_key):
            return None
        return key

    # -- the common path of every API request ---------------------------------------------------
    async def _serve(
        self,
        request: Request,
        operation: str,
        handler: Callable[[str], Awaitable[Response]],
        body: Any = None,
    ) -> Response:
        path = request.url.path
        entry = JournalEntry(0, request.method, path, operation, 0, request=body)
        settings = self.state.settings
        if settings.latency_seconds:
            await asyncio.sleep(settings.latency_seconds)
        key = self._key(request)
        fault = self.faults.take([operation, f"{request.method} {path}"])
        response: Response
        if fault is not None and fault.kind == "latency":
            await asyncio.sleep(fault.seconds)
            fault = None
        if key is None:
            response = JSONResponse({"error": "Unauthorized: missing or invalid API key"}, status_code=401)
        elif fault is not None and fault.kind == "rate_limit":
            headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
            response = JSONResponse({"error": "Too Many Requests"}, status_code=429, headers=headers)
        elif fault is not None and fault.kind == "server_error":
            response = JSONResponse({"error": "injected server error"}, status_code=fault.status)
        elif fault is not None and fault.kind == "drop":
            response = _DroppedResponse()
        else:
            response = await handler(key)
            if fault is not None and fault.kind == "lose_response":
                response = _DroppedResponse()
        entry.status = "dropped" if isinstance(response, _DroppedResponse) else response.status_code
        entry.fault = fault.kind if fault is not None else None
        self.journal.record(entry)
        return response

    # -- REST -----------------------------------------------------------------------------------
    async def _json(self, request: Request) -> Any:
        raw = await request.body()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return _INVALID_JSON

    async def _rest_collection(self, request: Request) -> Response:
        template = request.query_params.get("includeTemplate") == "true"
        workers = request.query_params.get("includeWorkers") == "true"
        if request.method == "GET":
            return await self._serve(
                request,
                "ListEndpoints",
                self._rest(lambda: self.rest.list(template=template, workers=workers)),
            )
        body = await self._json(request)
        return await self._serve(request, "CreateEndpoint", self._rest(lambda: self.rest.create(body)), body)

    async def _rest_item(self, request: Request) -> Response:
        endpoint_id = request.path_params["endpoint_id"]
        if request.method == "GET":
            template = request.query_params.get("includeTemplate") == "true"
            workers = request.query_params.get("includeWorkers") == "true"
            return await self._serve(
                request,
                "GetEndpoint",
                self._rest(lambda: self.rest.get(endpoint_id, template=template, workers=workers)),
            )
        if request.method == "PATCH":
            body = await self._json(request)
            return await self._serve(
                request, "UpdateEndpoint", self._rest(lambda: self.rest.update(endpoint_id, body)), body
            )
        return await self._serve(request, "DeleteEndpoint", self._rest(lambda: self.rest.delete(endpoint_id), 204))

    async def _rest_update_alias(self, request: Request) -> Response:
        endpoint_id = request.path_params["endpoint_id"]
        body = await self._json(request)
        return await self._serve(
            request, "UpdateEndpoint", self._rest(lambda: self.rest.update(endpoint_id, body)), body
        )

    def _rest(self, action: Callable[[], Any], status: int = 200) -> Callable[[str], Awaitable[Response]]:
        async def handle(_key: str) -> Response:
            try:
                result = action()
            except NotFoundError as error:
                return _error(404, str(error))
            except ApiRuleError as error:
                return _error(400, str(error))
            if status == 204:
                return Response(status_code=204)
            return JSONResponse(result, status_code=status)

        return handle

    # -- GraphQL --------------------------------------------------------------------------------
    async def _graphql(self, request: Request) -> Response:
        body = await self._json(request)
        if not isinstance(body, dict):
            return await self._serve(
                request,
                "invalid",
                self._const(400, {"errors": [{"message": "POST body must be JSON"}]}),
                body,
            )
        parsed = self.graphql.parse(body.get("query"))
        operation = ",".join(parsed.root_fields) or "invalid"
        if parsed.errors:
            errors = [error.formatted for error in parsed.errors]
            return await self._serve(request, operation, self._const(400, {"errors": errors}), body)

        async def handle(key: str) -> Response:
            has_user = key not in self.state.settings.keys_without_user
            variables = body.get("variables")
            result = self.graphql.execute(
                parsed,
                variables if isinstance(variables, dict) else None,
                body.get("operationName"),
                has_user=has_user,
            )
            return JSONResponse(result.formatted)

        return await self._serve(request, operation, handle, body)

    @staticmethod
    def _const(status: int, payload: Any) -> Callable[[str], Awaitable[Response]]:
        async def handle(_key: str) -> Response:
            return JSONResponse(payload, status_code=status)

        return handle

    # -- control API ----------------------------------------------------------------------------
    async def _journal(self, request: Request) -> Response:
        if request.method == "DELETE":
            self.journal.clear()
            return Response(status_code=204)
        return JSONResponse(self.journal.to_json())

    async def _faults(self, request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(self.faults.to_json())
        if request.method == "DELETE":
            self.faults.clear()
            return Response(status_code=204)
        body = await self._json(request)
        items = body.get("faults", [body]) if isinstance(body, dict) else body
        try:
            faults = [Fault.from_json(item) for item in items or []]
        except (TypeError, ValueError, AttributeError) as error:
            return _error(400, f"invalid fault: {error}")
        self.faults.set(faults)
        return JSONResponse(self.faults.to_json())

    async def _reset(self, request: Request) -> Response:
        self.state.reset()
        self.faults.clear()
        self.journal.clear()
        return Response(status_code=204)

    async def _settings(self, request: Request) -> Response:
        body = await self._json(request)
        if not isinstance(body, dict):
            return _error(400, "settings must be a JSON object")
        current = self.state.settings
        self.state.settings = EmulatorSettings(
            drain_seconds=float(body.get("drainSeconds", current.drain_seconds)),
            keys_without_user=set(body.get("keysWithoutUser", current.keys_without_user)),
            list_cap=int(body.get("listCap", current.list_cap)),
            latency_seconds=float(body.get("latencySeconds", current.latency_seconds)),
        )
        return Response(status_code=204)


_INVALID_JSON = object()


class EmulatorTransport(httpx.BaseTransport):
    """Serve an httpx ``Client``'s requests from the ASGI app in-process, synchronously."""

    def __init__(self, app: Starlette) -> None:
        self._asgi = httpx.ASGITransport(app=app)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def run() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

        try:
            return asyncio.run(run())
        except DroppedConnection as error:
            raise httpx.RemoteProtocolError(str(error), request=request) from error
