"""Request bodies and assertions the emulator tests share."""

from __future__ import annotations

from typing import Any

import httpx
from jsonschema import Draft202012Validator

from pulumi_runpod_endpoint.emulator import Emulator, documents


def gpu_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "svc",
        "type": "QUEUE",
        "image": "runpod/worker:1",
        "gpu": {"pools": ["ADA_24"]},
        "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4},
    }
    body.update(overrides)
    return body


def cpu_body(**overrides: Any) -> dict[str, Any]:
    body = gpu_body(**overrides)
    body.pop("gpu", None)
    body.setdefault("cpu", [{"id": "cpu3c", "vcpuCount": 4}])
    return body


def create(api: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v2/serverless", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def patch(api: httpx.Client, endpoint_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = api.patch(f"/v2/serverless/{endpoint_id}", json=body)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def problem(response: httpx.Response, status: int, fragment: str = "") -> dict[str, Any]:
    """Assert an RFC 9457 answer with ``status``, whose detail or errors mention ``fragment``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers.get("x-request-id")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    text = body["detail"] + " " + " ".join(body.get("errors", []))
    assert fragment in text, text
    assert all(isinstance(error, str) for error in body.get("errors", []))
    return body


def operations(emulator: Emulator) -> list[str]:
    return [f"{e.method} {e.operation} {e.status}" for e in emulator.journal.entries()]


def spec_errors(schema: str, value: Any) -> list[str]:
    """What ``value`` breaks of the v2 spec's own ``#/components/schemas/<schema>`` ($refs resolved)."""
    validator = Draft202012Validator(documents.v2_schema_ref(schema), registry=documents.v2_registry())
    return [f"{error.json_path}: {error.message}" for error in validator.iter_errors(value)]
