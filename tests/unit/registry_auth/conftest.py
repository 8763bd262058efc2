"""A fake of REST v2 ``/registries``, from the v2 spec, and the fixtures on it.

Rules as the spec states them: ``CreateRegistryRequest`` ``{name, username, password}`` all required
with ``minLength: 1`` and ``additionalProperties: false`` (422); ``Registry`` ``{id, name}``: the
credential is write-only and never returned; 201 on create, 204 on delete; ``/registries/{id}`` has
GET and DELETE only (a PATCH is 405, the spec's ``MethodNotAllowedError``); DELETE is refused (400,
the spec's response description as the detail) while a pod uses the credential -- ``in_use`` counts
how many more deletes are refused. ``echo`` makes a create fail with a message that repeats the
credential: no evidence says RunPod does that; it is the hostile case the client must survive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.lifecycle import Timing
from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from tests.conftest import FakeTime
from tests.unit.fake_v2 import FakeV2, body_of, configure, extra_keys, invalid, missing_keys, problem, session_for
from tests.unit.pulumi_mocks import mocks as mocks  # the program-side fixture, for test_resource

IN_USE = "Registry credential is in use by a pod and cannot be deleted"


class FakeRegistries(FakeV2):
    def __init__(self) -> None:
        super().__init__()
        self.registries: dict[str, dict[str, Any]] = {}
        self.credentials: dict[str, tuple[str, str]] = {}  # what the API keeps and never returns
        self.in_use: dict[str, int] = {}
        self.echo = False
        self.route("GET", "/v2/registries", self.list)
        self.route("POST", "/v2/registries", self.create)
        self.route("GET", "/v2/registries/{id}", self.get)
        self.route("DELETE", "/v2/registries/{id}", self.delete)

    def add(self, name: str) -> dict[str, Any]:
        record = {"id": self.new_id("reg"), "name": name}
        self.registries[record["id"]] = record
        return record

    def list(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        return httpx.Response(200, json={"registries": list(self.registries.values())})

    def get(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        record = self.registries.get(path["id"])
        return httpx.Response(200, json=record) if record else problem(404, "registry not found")

    def create(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        body = body_of(request)
        if not isinstance(body, dict):
            return invalid("$: expected object")
        fields = ("name", "username", "password")
        errors = missing_keys(body, fields) + extra_keys(body, set(fields))
        errors += [f"$.{key}: length must be >= 1" for key in fields if key in body and not body[key]]
        if errors:
            return invalid(*errors)
        if self.echo:
            return problem(400, f"login failed for {body['username']} with password {body['password']}")
        record = self.add(body["name"])
        self.credentials[record["id"]] = (body["username"], body["password"])
        return httpx.Response(201, json=record)

    def delete(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        if path["id"] not in self.registries:
            return problem(404, "registry not found")
        if self.in_use.get(path["id"], 0) > 0:
            self.in_use[path["id"]] -= 1
            return problem(400, IN_USE)
        del self.registries[path["id"]]
        self.credentials.pop(path["id"], None)
        return httpx.Response(204)


TIMING = Timing(delete_timeout=120.0, settle=30.0, first_poll=1.0, max_poll=8.0)


@pytest.fixture
def fake() -> FakeRegistries:
    return FakeRegistries()


@pytest.fixture
def session(fake: FakeRegistries, fake_time: FakeTime) -> Iterator[Session]:
    with session_for(fake, fake_time) as session:
        yield session


@pytest.fixture
def provider(session: Session, fake_time: FakeTime) -> RegistryAuthProvider:
    made = RegistryAuthProvider(
        session_factory=lambda _settings: session, timing=TIMING, sleep=fake_time.sleep, clock=fake_time.clock
    )
    return configure(made)
