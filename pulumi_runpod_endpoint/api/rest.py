"""RunPod REST v1 client for /v1/endpoints (rest.runpod.io/v1)."""

from __future__ import annotations

from typing import Any

from .models import Endpoint, EndpointSpec
from .transport import Transport
from .wire import endpoint_from_rest, rest_create_body, rest_update_body

__all__ = ["DEFAULT_REST_URL", "RestClient"]

DEFAULT_REST_URL = "https://rest.runpod.io/v1"


class RestClient:
    """get / list / create / update (PATCH) / delete of Serverless endpoints."""

    def __init__(self, transport: Transport, base_url: str = DEFAULT_REST_URL) -> None:
        self._transport = transport
        self._base = base_url.rstrip("/")

    def _url(self, endpoint_id: str | None = None) -> str:
        if endpoint_id is None:
            return f"{self._base}/endpoints"
        if not endpoint_id or "/" in endpoint_id:
            raise ValueError(f"invalid endpoint id {endpoint_id!r}")
        return f"{self._base}/endpoints/{endpoint_id}"

    def get(self, endpoint_id: str, *, include_template: bool = False, include_workers: bool = False) -> Endpoint:
        params = {}
        if include_template:
            params["includeTemplate"] = "true"
        if include_workers:
            params["includeWorkers"] = "true"
        response = self._transport.request("GET", self._url(endpoint_id), params=params, idempotent=True)
        return endpoint_from_rest(response.json())

    def list(self, *, include_workers: bool = False) -> list[Endpoint]:
        params = {"includeWorkers": "true"} if include_workers else {}
        response = self._transport.request("GET", self._url(), params=params, idempotent=True)
        return [endpoint_from_rest(item) for item in response.json()]

    def create(self, spec: EndpointSpec) -> Endpoint:
        """POST: not idempotent, so never retried after it may have reached the API."""
        response = self._transport.request("POST", self._url(), json=rest_create_body(spec), idempotent=False)
        return endpoint_from_rest(response.json())

    def update(self, endpoint_id: str, spec: EndpointSpec) -> Endpoint:
        """PATCH with the full spec: repeating it converges on the same record, so it is retried."""
        return self.patch(endpoint_id, rest_update_body(spec))

    def patch(self, endpoint_id: str, body: dict[str, Any]) -> Endpoint:
        response = self._transport.request("PATCH", self._url(endpoint_id), json=body, idempotent=True)
        return endpoint_from_rest(response.json())

    def delete(self, endpoint_id: str) -> None:
        self._transport.request("DELETE", self._url(endpoint_id), idempotent=True)
