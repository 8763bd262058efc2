"""A fake of REST v2 ``/templates``, from the v2 spec, and the fixtures on it.

Rules as the spec states them: ``CreateTemplateRequest`` requires ``name`` and ``image`` and allows
only the fields it lists (``unevaluatedProperties: false``: a ``readme`` is a 422); defaults
``serverless`` false, ``public`` false, ``category`` NVIDIA, ``startSsh`` and ``startJupyter`` true,
``ports`` none; the update is a true PATCH (fields left out untouched, ``env`` replaced whole,
``mounts: {}`` leaves the mount); public catalog templates of other accounts can be read but a PATCH
or DELETE of them is a 404; DELETE is refused (400, the spec's description as the detail) while the
template is in use -- ``in_use`` counts how many more deletes are refused. The spec gives no default
``disk``: this fake reports 20 when none was sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.api.lifecycle import Timing
from pulumi_runpod_endpoint.api.session import Session
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.conftest import FakeTime
from tests.unit.fake_v2 import FakeV2, body_of, configure, extra_keys, invalid, missing_keys, problem, session_for
from tests.unit.pulumi_mocks import mocks as mocks  # the program-side fixture, for test_resource

IN_USE = "Template is in use by a pod or serverless endpoint and cannot be deleted"
FIELDS = {"name", "image", "args", "disk", "ports", "env", "registry", "mounts", "serverless", "public", "category",
          "startSsh", "startJupyter", "allowedCudaVersions"}  # fmt: skip
DEFAULTS: dict[str, Any] = {"args": "", "disk": 20, "mounts": {}, "ports": [], "env": {}, "registry": None,
                            "serverless": False, "public": False, "category": "NVIDIA", "startSsh": True,
                            "startJupyter": True, "allowedCudaVersions": []}  # fmt: skip
_CUDA = re.compile(r"^\d+\.\d+$")


class FakeTemplates(FakeV2):
    def __init__(self) -> None:
        super().__init__()
        self.templates: dict[str, dict[str, Any]] = {}
        self.catalog: dict[str, dict[str, Any]] = {}  # public templates of other accounts
        self.in_use: dict[str, int] = {}
        self.bodies: list[dict[str, Any]] = []
        self.route("GET", "/v2/templates", self.list)
        self.route("POST", "/v2/templates", self.create)
        self.route("GET", "/v2/templates/{id}", self.get)
        self.route("PATCH", "/v2/templates/{id}", self.patch)
        self.route("DELETE", "/v2/templates/{id}", self.delete)

    def add(self, **fields: Any) -> dict[str, Any]:
        record = {"id": self.new_id("tpl"), **DEFAULTS, **fields}
        self.templates[record["id"]] = record
        return record

    def list(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        return httpx.Response(200, json={"templates": list(self.templates.values())})

    def get(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        record = self.templates.get(path["id"]) or self.catalog.get(path["id"])
        return httpx.Response(200, json=record) if record else problem(404, "template not found")

    def create(self, request: httpx.Request, _: dict[str, str]) -> httpx.Response:
        body = body_of(request)
        if not isinstance(body, dict):
            return invalid("$: expected object")
        self.bodies.append(body)
        errors = missing_keys(body, ("name", "image")) + extra_keys(body, FIELDS) + _type_errors(body)
        if errors:
            return invalid(*errors)
        record = self.add(**body)
        return httpx.Response(201, json=record)

    def patch(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        record = self.templates.get(path["id"])
        if record is None:
            return problem(404, "template not found")
        body = body_of(request)
        if not isinstance(body, dict):
            return invalid("$: expected object")
        self.bodies.append(body)
        errors = extra_keys(body, FIELDS) + _type_errors(body)
        if errors:
            return invalid(*errors)
        record.update({key: value for key, value in body.items() if not (key == "mounts" and value == {})})
        return httpx.Response(200, json=record)

    def delete(self, request: httpx.Request, path: dict[str, str]) -> httpx.Response:
        if path["id"] not in self.templates:
            return problem(404, "template not found")
        if self.in_use.get(path["id"], 0) > 0:
            self.in_use[path["id"]] -= 1
            return problem(400, IN_USE)
        del self.templates[path["id"]]
        return httpx.Response(204)


def _type_errors(body: dict[str, Any]) -> list[str]:
    errors = []
    for key in ("name", "image"):
        if key in body and not (isinstance(body[key], str) and body[key]):
            errors.append(f"$.{key}: length must be >= 1")
    if "disk" in body and (isinstance(body["disk"], bool) or not isinstance(body["disk"], int) or body["disk"] < 1):
        errors.append("$.disk: must be >= 1")
    if "env" in body and not (isinstance(body["env"], dict) and all(isinstance(v, str) for v in body["env"].values())):
        errors.append("$.env: want object of strings")
    if "registry" in body and not (body["registry"] is None or isinstance(body["registry"], str)):
        errors.append("$.registry: want string or null")
    if "category" in body and body["category"] not in ("CPU", "NVIDIA", "AMD"):
        errors.append("$.category: value must be one of 'CPU', 'NVIDIA', 'AMD'")
    for key in ("serverless", "public", "startSsh", "startJupyter"):
        if key in body and not isinstance(body[key], bool):
            errors.append(f"$.{key}: want boolean")
    for key in ("ports", "allowedCudaVersions"):
        if key in body and not (isinstance(body[key], list) and all(isinstance(v, str) for v in body[key])):
            errors.append(f"$.{key}: want array of strings")
    if any(not _CUDA.match(v) for v in body.get("allowedCudaVersions") or [] if isinstance(v, str)):
        errors.append("$.allowedCudaVersions: does not match pattern")
    return errors


TIMING = Timing(delete_timeout=120.0, settle=30.0, first_poll=1.0, max_poll=8.0)


@pytest.fixture
def fake() -> FakeTemplates:
    return FakeTemplates()


@pytest.fixture
def session(fake: FakeTemplates, fake_time: FakeTime) -> Iterator[Session]:
    with session_for(fake, fake_time) as session:
        yield session


@pytest.fixture
def provider(session: Session, fake_time: FakeTime) -> TemplateProvider:
    made = TemplateProvider(
        session_factory=lambda _settings: session, timing=TIMING, sleep=fake_time.sleep, clock=fake_time.clock
    )
    return configure(made)
