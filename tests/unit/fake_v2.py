"""A small in-memory stand-in for RunPod's REST v2 API, as an ``httpx.MockTransport``.

Built from the v2 OpenAPI spec (status codes, wrapped lists, RFC 9457 problem+json errors, Bearer
auth) and the evidence in QUIRKS.md, never from our client: each room's ``conftest.py`` adds its
collection's rules. It answers only ``https://api.runpod.io/v2/...``; any other URL is an unknown
path (a 404 problem, as v2 answers every unknown path), which is how a base URL missing its ``/v2``
looks to a client. Tests schedule faults (a lost answer after the write happened, a refused
connection, a status) and read the call log. The lead will switch these tests to the emulator.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from pulumi_runpod_endpoint.api.session import RetryPolicy, Session
from tests.conftest import API_KEY, FakeTime

BASE = "https://api.runpod.io/v2"
HOST = "api.runpod.io"

Handler = Callable[[httpx.Request, dict[str, str]], httpx.Response]


def problem(status: int, detail: str, *errors: str, title: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"title": title or _TITLES.get(status, "Error"), "status": status, "detail": detail}
    if errors:
        body["errors"] = list(errors)
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def invalid(*errors: str) -> httpx.Response:
    """A schema failure, as v2 reports it: 422, ``Request validation failed.``, ``$: ...`` paths."""
    return problem(422, "Request validation failed.", *errors)


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
}


@dataclass
class Fault:
    """One scheduled fault for the next request matching ``method`` and ``path``."""

    method: str
    path: str
    kind: str  # "lose_answer" (the write happens, the answer is lost), "refuse" (nothing sent), or "status"
    status: int = 500


@dataclass
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


@dataclass
class FakeV2:
    """The shared machinery: routing, auth, faults, the call log."""

    calls: list[str] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    counter: int = 0
    # Other users' view of the account (``ListPodsResponse``, ``ListEndpointsResponse``), for the
    # "what still uses it" lookups; tests fill them.
    pods: list[dict[str, Any]] = field(default_factory=list)
    endpoints: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.route("GET", "/v2/pods", lambda _request, _path: httpx.Response(200, json={"pods": self.pods}))
        self.route(
            "GET", "/v2/serverless", lambda _request, _path: httpx.Response(200, json={"endpoints": self.endpoints})
        )

    def route(self, method: str, path: str, handler: Handler) -> None:
        """``path`` like ``/v2/network-volumes/{id}``: ``{name}`` matches one path segment."""
        pattern = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")
        self.routes.append(Route(method, pattern, handler))

    def fault(self, method: str, path: str, kind: str, status: int = 500) -> None:
        self.faults.append(Fault(method, path, kind, status))

    def new_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter:06d}"

    def count(self, method: str | None = None, prefix: str = "") -> int:
        return sum(1 for call in self.calls if (method is None or call.startswith(method + " ")) and prefix in call)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append(f"{request.method} {path}")
        fault = next((f for f in self.faults if f.method == request.method and f.path == path), None)
        if fault is not None:
            self.faults.remove(fault)
            if fault.kind == "refuse":
                raise httpx.ConnectError("connection refused", request=request)
            if fault.kind == "status":
                return problem(fault.status, "injected failure")
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return problem(401, "missing bearer token")
        response = self._dispatch(request, path)
        if fault is not None and fault.kind == "lose_answer":
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    def _dispatch(self, request: httpx.Request, path: str) -> httpx.Response:
        if request.url.host != HOST:
            return problem(404, "no route for this path")
        allowed = []
        for route in self.routes:
            match = route.pattern.match(path)
            if match is None:
                continue
            if route.method == request.method:
                return route.handler(request, match.groupdict())
            allowed.append(route.method)
        if allowed:
            response = problem(405, "The requested method is not allowed for this path.")
            response.headers["allow"] = ", ".join(allowed)
            return response
        return problem(404, "no route for this path")


def body_of(request: httpx.Request) -> Any:
    try:
        return json.loads(request.content or b"null")
    except ValueError:
        return None


def extra_keys(body: dict[str, Any], allowed: set[str]) -> list[str]:
    return [f"$: additional properties '{key}' not allowed" for key in sorted(set(body) - allowed)]


def missing_keys(body: dict[str, Any], required: tuple[str, ...]) -> list[str]:
    return [f"$: missing property '{key}'" for key in required if key not in body]


def session_for(fake: FakeV2, fake_time: FakeTime) -> Session:
    """A session on the fake, with the test's clock and a fixed jitter: no real sleeps."""
    return Session(
        API_KEY,
        transport=fake.transport,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        jitter=random.Random(7),
        retry=RetryPolicy(),
    )


def configure(provider: Any, **config: str) -> Any:
    """A provider configured as the dynamic-provider host would, with the test key (and ``config``)."""
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    values = {"runpod:apiKey": API_KEY, **{f"runpod:{key}": value for key, value in config.items()}}
    provider.configure(ConfigureRequest(Config(values, "test")))
    return provider
