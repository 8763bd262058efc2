"""GraphQL at /graphql: operations parsed and validated by graphql-core against the
(reconstructed) schema, then resolved against the state with the API's documented rules."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    execute,
    parse,
    validate,
)

from . import documents
from .state import GRAPHQL_DEFAULTS, ApiRuleError, EmulatorState, NotFoundError

__all__ = ["GraphQLApi", "ParsedOperation", "schema_for"]

REGION_CODES = ("CZ", "FR", "GB", "NO", "RO", "US")
SCALER_TYPES = ("QUEUE_DELAY", "REQUEST_COUNT")


@dataclass
class ParsedOperation:
    document: DocumentNode | None
    root_fields: list[str]
    errors: list[GraphQLError]


@cache
def schema_for(flavor: str) -> GraphQLSchema:
    return build_schema(documents.graphql_sdl(flavor))


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class GraphQLApi:
    """saveEndpoint, deleteEndpoint, myself { endpoint(id:), endpoints } for one flavor."""

    def __init__(self, state: EmulatorState, flavor: str = "runpod") -> None:
        self.state = state
        self.flavor = flavor
        self.schema = schema_for(flavor)
        self.workers_field = "clusters" if flavor == "tensorone" else "pods"

    def parse(self, query: Any) -> ParsedOperation:
        if not isinstance(query, str) or not query.strip():
            return ParsedOperation(None, [], [GraphQLError("Must provide query string.")])
        try:
            document = parse(query)
        except GraphQLError as error:
            return ParsedOperation(None, [], [error])
        errors = validate(self.schema, document)
        fields = [
            selection.name.value
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
            for selection in definition.selection_set.selections
            if isinstance(selection, FieldNode)
        ]
        return ParsedOperation(document, fields, list(errors))

    def execute(
        self,
        parsed: ParsedOperation,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        *,
        has_user: bool,
    ) -> ExecutionResult:
        assert parsed.document is not None
        root = {
            "myself": (lambda _info: self._myself()) if has_user else (lambda _info: None),
            "saveEndpoint": lambda _info, input: self.save(input),
            "deleteEndpoint": lambda _info, id: self.delete(id),
        }
        result = execute(
            self.schema,
            parsed.document,
            root_value=_Root(root),
            variable_values=variables,
            operation_name=operation_name,
        )
        assert isinstance(result, ExecutionResult)
        return result

    # -- resolvers -----------------------------------------------------------------------------
    def _myself(self) -> dict[str, Any]:
        return {
            "id": self.state.user_id,
            "endpoint": lambda _info, id: self._maybe_view(id),
            "endpoints": lambda _info: [self.view(r) for r in self.state.list()[: self.state.settings.list_cap]],
        }

    def _maybe_view(self, endpoint_id: str) -> dict[str, Any] | None:
        try:
            return self.view(self.state.get(endpoint_id))
        except NotFoundError:
            return None

    def save(self, data: dict[str, Any]) -> dict[str, Any]:
        nulls = sorted(key for key, value in data.items() if value is None)
        if nulls:
            # Explicit nulls fail validation on the real API (pulumi-runpod genqlient_fixup.go).
            raise GraphQLError(f"Invalid value null for field(s) {', '.join(nulls)} of EndpointInput")
        fields = self._fields(data)
        try:
            endpoint_id = data.get("id")
            if endpoint_id:
                record = self.state.replace(endpoint_id, fields, GRAPHQL_DEFAULTS)
            else:
                missing = [key for key in ("gpuIds", "name", "templateId") if key not in data]
                if missing:
                    raise ApiRuleError(f"{', '.join(missing)} required to create an endpoint")
                record = self.state.create(fields, GRAPHQL_DEFAULTS)
        except ApiRuleError as error:
            raise GraphQLError(str(error)) from error
        return self.view(record)

    def delete(self, endpoint_id: str) -> None:
        try:
            self.state.delete(endpoint_id)
        except ApiRuleError as error:
            raise GraphQLError(str(error)) from error

    def _fields(self, data: dict[str, Any]) -> dict[str, Any]:
        """EndpointInput -> canonical record fields, with the API's value rules."""
        fields: dict[str, Any] = {}
        simple = (
            "name",
            "templateId",
            "gpuCount",
            "idleTimeout",
            "scalerValue",
            "workersMin",
            "workersMax",
            "networkVolumeId",
            "executionTimeoutMs",
            "minCudaVersion",
        )
        for key in simple:
            if key in data:
                fields[key] = data[key]
        if "scalerType" in data:
            if data["scalerType"] not in SCALER_TYPES:
                raise GraphQLError(f"scalerType must be one of {', '.join(SCALER_TYPES)}")
            fields["scalerType"] = data["scalerType"]
        instances = data.get("instanceIds") or []
        if "gpuIds" in data:
            pools = _split(data["gpuIds"])
            gpu_types = set(documents.rest_enum("EndpointCreateInput", "gpuTypeIds"))
            for item in pools:
                if item.startswith("-") and item[1:] in gpu_types:
                    continue
                if item not in documents.gpu_pools():
                    raise GraphQLError(
                        f"Invalid gpuIds entry {item!r}: expected one of {', '.join(documents.gpu_pools())} "
                        "or -<GPU type id>"
                    )
            if not [p for p in pools if not p.startswith("-")] and not instances:
                raise GraphQLError("gpuIds must name at least one GPU pool")
            fields["gpuIds"] = ",".join(pools) or None
        if instances:
            fields["instanceIds"] = list(instances)
            fields["computeType"] = "CPU"
            fields["cpuFlavorIds"] = list(dict.fromkeys(i.split("-")[0] for i in instances))
        if "locations" in data:
            allowed = set(REGION_CODES) | set(documents.rest_enum("EndpointCreateInput", "dataCenterIds"))
            for item in _split(data["locations"]):
                if item not in allowed:
                    raise GraphQLError(f"Invalid location {item!r}")
            fields["locations"] = data["locations"] or None
        if "allowedCudaVersions" in data:
            cuda = set(documents.rest_enum("EndpointCreateInput", "allowedCudaVersions"))
            versions = _split(data["allowedCudaVersions"])
            bad = [v for v in versions if v not in cuda]
            if bad:
                raise GraphQLError(f"Invalid CUDA version {bad[0]!r}")
            fields["allowedCudaVersions"] = versions
        if fields.get("minCudaVersion") and fields["minCudaVersion"] not in documents.rest_enum(
            "EndpointCreateInput", "minCudaVersion"
        ):
            raise GraphQLError(f"Invalid minCudaVersion {fields['minCudaVersion']!r}")
        if "env" in data:
            fields["env"] = {item["key"]: item["value"] for item in data["env"] if item is not None}
        if "networkVolumeIds" in data:
            fields["networkVolumeIds"] = [v["networkVolumeId"] for v in data["networkVolumeIds"] if v]
        if "flashBootType" in data:
            fields["flashboot"] = data["flashBootType"] != "OFF"
        return fields

    def view(self, record: dict[str, Any]) -> dict[str, Any]:
        """The GraphQL Endpoint shape: comma-joined strings, env as pairs, never-null env."""
        answer = {
            key: record.get(key)
            for key in (
                "id",
                "name",
                "gpuIds",
                "gpuCount",
                "idleTimeout",
                "locations",
                "networkVolumeId",
                "scalerType",
                "scalerValue",
                "templateId",
                "workersMin",
                "workersMax",
                "executionTimeoutMs",
                "minCudaVersion",
                "instanceIds",
                "computeType",
                "createdAt",
                "version",
                "userId",
            )
        }
        answer["allowedCudaVersions"] = ",".join(record.get("allowedCudaVersions") or []) or None
        answer["env"] = [{"key": k, "value": v} for k, v in (record.get("env") or {}).items()]
        answer["flashBootType"] = "FLASHBOOT" if record.get("flashboot") else "OFF"
        answer["networkVolumeIds"] = [
            {"networkVolumeId": volume, "dataCenterId": None} for volume in record.get("networkVolumeIds") or []
        ]
        answer[self.workers_field] = [_pod(worker, record) for worker in record["workers"]]
        return answer


def _pod(worker: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """A Pod with its non-null fields filled, so any selection of them resolves."""
    return {
        "id": worker["id"],
        "desiredStatus": worker["desiredStatus"],
        "name": f"{record['id']}-worker",
        "machineId": "emulated",
        "costPerHr": 0.0,
        "adjustedCostPerHr": 0.0,
        "gpuCount": record.get("gpuCount") or 0,
        "gpuPowerLimitPercent": 100,
        "gpus": [],
        "memoryInGb": 0.0,
        "vcpuCount": 0.0,
        "volumeEncrypted": False,
    }


class _Root(dict[str, Any]):
    """Root value whose callables graphql-core's default resolver calls with (info, **args)."""
