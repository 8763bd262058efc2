"""REST v1 /v1/endpoints: request bodies validated against the OpenAPI schemas, answers in
the shape of the spec's examples (including ``dataCenterIds`` as a comma-joined string)."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema

from . import documents
from .state import REST_DEFAULTS, ApiRuleError, EmulatorState

__all__ = ["RestApi"]


@cache
def _validator(schema_name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(documents.openapi_schema(schema_name, strict=True))


def validate_body(schema_name: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiRuleError("request body must be a JSON object")
    errors = sorted(_validator(schema_name).iter_errors(body), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.path) or "body"
        raise ApiRuleError(f"invalid {schema_name}: {where}: {first.message}")
    return body


class RestApi:
    """Translate REST requests into state calls and records into REST answers."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def create(self, body: Any) -> dict[str, Any]:
        fields = dict(validate_body("EndpointCreateInput", body))
        if "dataCenterIds" not in fields:
            fields["dataCenterIds"] = documents.rest_enum("EndpointCreateInput", "dataCenterIds")
        if fields.get("computeType", "GPU") == "CPU":
            for gpu_field in ("gpuTypeIds", "gpuCount", "allowedCudaVersions", "minCudaVersion"):
                fields.pop(gpu_field, None)  # "properties related to GPUs ... will be ignored"
        else:
            fields.pop("cpuFlavorIds", None)
            fields.pop("vcpuCount", None)
        if fields.get("computeType") == "CPU" and not fields.get("cpuFlavorIds"):
            fields["cpuFlavorIds"] = ["cpu3c"]
        return self.view(self.state.create(fields, REST_DEFAULTS), template=False, workers=False)

    def update(self, endpoint_id: str, body: Any) -> dict[str, Any]:
        fields = dict(validate_body("EndpointUpdateInput", body))
        self.state.get(endpoint_id)
        if "networkVolumeId" in fields and fields["networkVolumeId"] == "":
            fields["networkVolumeId"] = None
        return self.view(self.state.merge(endpoint_id, fields), template=False, workers=False)

    def get(self, endpoint_id: str, *, template: bool, workers: bool) -> dict[str, Any]:
        return self.view(self.state.get(endpoint_id), template=template, workers=workers)

    def list(self, *, template: bool, workers: bool) -> list[dict[str, Any]]:
        return [self.view(record, template=template, workers=workers) for record in self.state.list()]

    def delete(self, endpoint_id: str) -> None:
        self.state.delete(endpoint_id)

    @staticmethod
    def view(record: dict[str, Any], *, template: bool, workers: bool) -> dict[str, Any]:
        """The Endpoint schema: no flashboot field (QUIRKS.md), dataCenterIds comma-joined."""
        answer: dict[str, Any] = {
            key: record.get(key)
            for key in (
                "allowedCudaVersions",
                "computeType",
                "createdAt",
                "env",
                "executionTimeoutMs",
                "gpuCount",
                "gpuTypeIds",
                "id",
                "idleTimeout",
                "instanceIds",
                "minCudaVersion",
                "name",
                "networkVolumeId",
                "networkVolumeIds",
                "scalerType",
                "scalerValue",
                "templateId",
                "userId",
                "version",
                "workersMax",
                "workersMin",
            )
        }
        if record.get("dataCenterIds"):
            answer["dataCenterIds"] = ",".join(record["dataCenterIds"])
        answer = {key: value for key, value in answer.items() if value is not None}
        if template:
            answer["template"] = {
                "id": record.get("templateId"),
                "name": f"template {record.get('templateId')}",
                "imageName": "runpod/worker:emulated",
                "isServerless": True,
                "env": {},
            }
        if workers:
            answer["workers"] = [
                {"id": w["id"], "desiredStatus": w["desiredStatus"], "endpointId": record["id"]}
                for w in record["workers"]
            ]
        return answer
