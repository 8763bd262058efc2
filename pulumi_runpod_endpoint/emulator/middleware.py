"""The path every API request takes, in order, whatever room serves it:

    request id -> latency -> auth (401) -> injected fault (latency, drop, 429, 5xx)
    -> imposed rate limit (429) -> key without access (403) -> the room's handler
    -> lost response -> headers (x-request-id, RateLimit) -> journal

REST v2 errors are ``application/problem+json`` (RFC 9457). GraphQL keeps its own error bodies
(``{"error": ...}`` for transport-level refusals, ``{"errors": [...]}`` for GraphQL errors).
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from .faults import Fault, FaultPlan
from .journal import Journal, JournalEntry
from .problems import PROBLEM_JSON, ApiError, problem_body
from .ratelimit import Decision, RateLimiter
from .routing import Call, Operation, Reply
from .world import World

__all__ = ["DroppedConnection", "Pipeline", "problem_response"]

log = logging.getLogger(__name__)

REDACTED = "<redacted>"
"""What the journal records instead of a write-only field (see ``Operation.journal_redacts``)."""


class DroppedConnection(Exception):
    """Raised inside the app to make the server close the connection mid-answer."""


class DroppedResponse(Response):
    """Starts an answer it never finishes: the client sees the connection close."""

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1024")]})
        raise DroppedConnection("emulator dropped the connection (injected fault)")


def problem_response(
    status: int, detail: str, errors: list[str] | None = None, headers: dict[str, str] | None = None
) -> Response:
    return JSONResponse(
        problem_body(status, detail, errors), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


def new_request_id() -> str:
    return uuid.uuid4().hex


class Pipeline:
    def __init__(self, world: World, faults: FaultPlan, journal: Journal, limiter: RateLimiter, api_key: str | None):
        self.world = world
        self.faults = faults
        self.journal = journal
        self.limiter = limiter
        self.api_key = api_key

    def key_of(self, request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            key = header[7:].strip()
        else:  # GraphQL clients may pass it in the URL (runpod's docs do)
            key = request.query_params.get("api_key", "").strip()
        if not key or (self.api_key is not None and key != self.api_key):
            return None
        return key

    async def serve(self, request: Request, operation: Operation) -> Response:
        raw = await request.body()
        call = Call(
            method=request.method,
            path=request.url.path,
            path_params=dict(request.path_params),
            query=list(request.query_params.multi_items()),
            raw_body=raw,
            key="",
            request_id=new_request_id(),
            headers=dict(request.headers),
        )
        name = operation.identify(call) if operation.identify else operation.operation_id
        entry = JournalEntry(
            0,
            call.method,
            call.path,
            name,
            0,
            request=_journaled(raw, operation.journal_redacts),
            request_id=call.request_id,
        )
        rest = operation.api == "rest"
        decision = Decision(True, ())
        response: Response
        settings = self.world.settings
        if settings.latency_seconds:
            await self.world.clock.sleep(settings.latency_seconds)
        key = self.key_of(request)
        fault = self.faults.take([name, f"{call.method} {call.path}"]) if key is not None else None
        if fault is not None and fault.kind == "latency":
            await self.world.clock.sleep(fault.seconds)
            fault = None
        if key is None:
            response = self._refusal(rest, 401, "missing or invalid API key: send Authorization: Bearer <key>")
        elif fault is not None and fault.kind == "drop":
            response = DroppedResponse()
        elif fault is not None and fault.kind == "rate_limit":
            response = self._injected_429(rest, fault, key)
        elif fault is not None and fault.kind == "server_error":
            response = self._refusal(rest, fault.status, "injected server error")
        else:
            call.key = key
            if rest:
                decision = self.limiter.check(key)
            if not decision.allowed:
                detail = f"rate limit exceeded for the {decision.exceeded} window"
                headers = {"Retry-After": str(decision.retry_after)}
                response = problem_response(429, detail, headers=headers)
            elif rest and key in settings.forbidden_keys:
                response = problem_response(403, "access denied: this API key lacks access to this resource")
            else:
                response = self._handle(operation, call)
                if fault is not None and fault.kind == "lose_response":
                    response = DroppedResponse()
        if not isinstance(response, DroppedResponse):
            response.headers["x-request-id"] = call.request_id
            for header, value in decision.headers().items():
                response.headers.setdefault(header, value)
        entry.status = "dropped" if isinstance(response, DroppedResponse) else response.status_code
        entry.fault = fault.kind if fault is not None else None
        self.journal.record(entry)
        return response

    def _handle(self, operation: Operation, call: Call) -> Response:
        try:
            reply = operation.handler(call)
        except ApiError as error:
            if operation.api == "graphql":
                return JSONResponse({"errors": [{"message": error.detail}]}, status_code=error.status)
            return problem_response(error.status, error.detail, error.errors, error.headers)
        except Exception:
            log.exception("emulator bug while serving %s", operation.operation_id)
            return self._refusal(operation.api == "rest", 500, "internal error in the emulator (a bug: see its log)")
        return render(reply)

    def _refusal(self, rest: bool, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
        if rest:
            return problem_response(status, detail, headers=headers)
        return JSONResponse({"error": detail}, status_code=status, headers=headers)

    def _injected_429(self, rest: bool, fault: Fault, key: str) -> Response:
        headers: dict[str, str] = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = _seconds_header(fault.retry_after)
            if rest:
                state = self.limiter.describe(key)
                if state.windows:
                    headers.update(state.headers())
                else:  # what RunPod documents: 60 a minute, this window exhausted
                    wait = max(1, math.ceil(fault.retry_after))
                    headers["RateLimit"] = f'"minute";r=0;t={wait}'
                    headers["RateLimit-Policy"] = '"minute";q=60;w=60'
        return self._refusal(rest, 429, "rate limit exceeded for the minute window (injected)", headers)


def render(reply: Reply) -> Response:
    if reply.status == 204:
        return Response(status_code=204, headers=reply.headers)
    if reply.text is not None:
        return Response(reply.text, status_code=reply.status, media_type=reply.media_type, headers=reply.headers)
    return JSONResponse(reply.body, status_code=reply.status, media_type=reply.media_type, headers=reply.headers)


def _seconds_header(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def _journaled(raw: bytes, redacts: tuple[str, ...]) -> Any:
    """What the journal keeps of a request body: all of it, but never a write-only field."""
    body = _best_effort_json(raw)
    if not redacts or body is None:
        return body
    if not isinstance(body, dict):
        return REDACTED
    return {key: REDACTED if key in redacts else value for key, value in body.items()}


def _best_effort_json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return raw.decode("utf-8", errors="replace")
