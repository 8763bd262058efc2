"""GraphQL client (api.runpod.io/graphql, api.tensorone.ai/graphql) for Serverless endpoints.

The operation documents are constants, sent with variables (never string-built from user
input). RunPod and Tensor One serve the same API except that Tensor One lists an endpoint's
workers as ``clusters`` where RunPod says ``pods``, and documents only the older FlashBoot
convention; ``flavor`` selects the shape.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import NotFound, Unauthorized, ValidationFailed
from .models import Endpoint, EndpointSpec
from .transport import Transport
from .wire import Flavor, endpoint_from_graphql, graphql_input

__all__ = [
    "DEFAULT_GRAPHQL_URL",
    "DEFAULT_TENSORONE_URL",
    "GraphQLClient",
    "endpoint_fields",
]

DEFAULT_GRAPHQL_URL = "https://api.runpod.io/graphql"
DEFAULT_TENSORONE_URL = "https://api.tensorone.ai/graphql"

_COMMON_FIELDS = (
    "id name templateId gpuIds gpuCount idleTimeout locations networkVolumeId scalerType scalerValue "
    "workersMin workersMax executionTimeoutMs allowedCudaVersions instanceIds computeType "
    "env { key value } createdAt version userId"
)
_RUNPOD_ONLY_FIELDS = "flashBootType minCudaVersion networkVolumeIds { networkVolumeId dataCenterId }"


def endpoint_fields(flavor: Flavor, *, workers: bool = True) -> str:
    """The selection set that observes every field this flavor's API exposes."""
    fields = _COMMON_FIELDS
    if flavor == "runpod":
        fields += " " + _RUNPOD_ONLY_FIELDS
    if workers:
        fields += " clusters { id desiredStatus }" if flavor == "tensorone" else " pods { id desiredStatus }"
    return fields


class GraphQLClient:
    """saveEndpoint / deleteEndpoint / myself { endpoint(id:) } / myself { endpoints }."""

    def __init__(self, transport: Transport, url: str = DEFAULT_GRAPHQL_URL, *, flavor: Flavor = "runpod") -> None:
        self._transport = transport
        self._url = url
        self.flavor: Flavor = flavor
        fields = endpoint_fields(flavor)
        self.save_document = (
            f"mutation SaveEndpoint($input: EndpointInput!) {{ saveEndpoint(input: $input) {{ {fields} }} }}"
        )
        self.get_document = f"query Endpoint($id: String!) {{ myself {{ endpoint(id: $id) {{ {fields} }} }} }}"
        self.list_document = f"query Endpoints {{ myself {{ endpoints {{ {fields} }} }} }}"
        self.delete_document = "mutation DeleteEndpoint($id: String!) { deleteEndpoint(id: $id) }"

    def execute(self, document: str, variables: dict[str, Any] | None = None, *, idempotent: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {"query": document}
        if variables is not None:
            payload["variables"] = variables
        response = self._transport.request("POST", self._url, json=payload, idempotent=idempotent)
        body = response.json()
        errors = body.get("errors")
        if errors:
            raise _graphql_error(errors, self._transport.redact)
        data = body.get("data")
        if not isinstance(data, dict):
            raise ValidationFailed("GraphQL answer had neither data nor errors")
        return data

    def _myself(self, data: dict[str, Any]) -> dict[str, Any]:
        myself = data.get("myself")
        if myself is None:
            # HTTP 200, no errors, myself: null -- the key authenticates but has no user.
            raise Unauthorized("the API key has no user behind it (GraphQL myself is null); use a user API key")
        return myself  # type: ignore[no-any-return]

    def get(self, endpoint_id: str) -> Endpoint:
        data = self.execute(self.get_document, {"id": endpoint_id}, idempotent=True)
        found = self._myself(data).get("endpoint")
        if found is None:
            raise NotFound(f"endpoint {endpoint_id} not found", status=404)
        return endpoint_from_graphql(found, self.flavor)

    def list(self) -> list[Endpoint]:
        """Every endpoint of the user -- at most 400, oldest first (the API caps the list)."""
        data = self.execute(self.list_document, idempotent=True)
        return [endpoint_from_graphql(item, self.flavor) for item in self._myself(data).get("endpoints") or []]

    def save(self, spec: EndpointSpec, endpoint_id: str | None = None) -> Endpoint:
        """Create (no id) or replace the whole record (id). Only a replace is safe to repeat."""
        variables = {"input": graphql_input(spec, self.flavor, endpoint_id)}
        return self.save_input(variables["input"], idempotent=endpoint_id is not None)

    def save_input(self, data: dict[str, Any], *, idempotent: bool) -> Endpoint:
        result = self.execute(self.save_document, {"input": data}, idempotent=idempotent)
        saved = result.get("saveEndpoint")
        if saved is None:
            raise ValidationFailed("saveEndpoint returned no endpoint")
        return endpoint_from_graphql(saved, self.flavor)

    def delete(self, endpoint_id: str) -> None:
        self.execute(self.delete_document, {"id": endpoint_id}, idempotent=True)


def _graphql_error(errors: list[Any], redact: Callable[[str], str]) -> Exception:
    messages = redact("; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors))
    codes = {str((e.get("extensions") or {}).get("code", "")).upper() for e in errors if isinstance(e, dict)}
    lowered = messages.lower()
    if codes & {"UNAUTHENTICATED", "FORBIDDEN"} or "unauthorized" in lowered:
        return Unauthorized(messages)
    if "NOT_FOUND" in codes or "not found" in lowered:
        return NotFound(messages, status=404)
    return ValidationFailed(messages)
