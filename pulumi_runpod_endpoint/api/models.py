"""pydantic models of a Serverless endpoint: what the user wants, and what the API reports.

Python names are snake_case; the wire names are camelCase aliases. ``EndpointSpec`` is the one
parser of user input: the provider's ``check`` and the policy pack both validate through it,
so an input is either accepted everywhere or refused everywhere, with the same message.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from .enums import (
    CPU_FLAVOR_IDS,
    CUDA_VERSIONS,
    DATA_CENTER_IDS,
    GPU_POOLS,
    GPU_TYPE_IDS,
    REGION_CODES,
    ComputeType,
    ScalerType,
)

__all__ = [
    "GRAPHQL_ONLY_FIELDS",
    "REST_ONLY_FIELDS",
    "TENSORONE_UNSUPPORTED_FIELDS",
    "UNORDERED_FIELDS",
    "Endpoint",
    "EndpointSpec",
    "FieldProblem",
    "Worker",
    "field_problems",
    "split_csv",
]

# Fields that only one of RunPod's two APIs can write (REST v1 EndpointCreateInput vs GraphQL
# EndpointInput). A spec may use one family or the other, never both: each family is written
# and read through its own API.
REST_ONLY_FIELDS: tuple[str, ...] = ("gpu_type_ids", "cpu_flavor_ids", "vcpu_count", "data_center_ids")
GRAPHQL_ONLY_FIELDS: tuple[str, ...] = ("gpu_ids", "instance_ids", "locations", "env")
# Tensor One documents the older RunPod GraphQL surface (before these fields existed).
TENSORONE_UNSUPPORTED_FIELDS: tuple[str, ...] = ("min_cuda_version", "network_volume_ids")
# Sets, not sequences: the API may return them in another order.
UNORDERED_FIELDS: frozenset[str] = frozenset(
    {"data_center_ids", "locations", "network_volume_ids", "allowed_cuda_versions", "instance_ids"}
)

_INSTANCE_ID = re.compile(r"^cpu[0-9][a-z]-[0-9]+-[0-9]+$")
FLASHBOOT_SUFFIX = " -fb"


def split_csv(value: Any) -> Any:
    """The API returns some lists as one comma-joined string: accept both shapes."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _allowed(values: list[str], allowed: tuple[str, ...] | dict[str, int], what: str) -> list[str]:
    for value in values:
        if value not in allowed:
            raise ValueError(f"{value!r} is not a {what}; allowed values: {', '.join(allowed)}")
    return values


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        use_enum_values=True,
        validate_default=True,
    )


class EndpointSpec(ApiModel):
    """The desired state of one endpoint, validated, with the API's documented defaults."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=191)
    template_id: str = Field(min_length=1)
    compute_type: ComputeType | None = None
    gpu_ids: list[str] | None = None
    gpu_type_ids: list[str] | None = None
    gpu_count: int = Field(default=1, ge=1, le=8)
    cpu_flavor_ids: list[str] | None = None
    instance_ids: list[str] | None = None
    vcpu_count: int | None = Field(default=None, ge=1)
    locations: list[str] | None = None
    data_center_ids: list[str] | None = None
    network_volume_id: str | None = None
    network_volume_ids: list[str] | None = None
    idle_timeout: int = Field(default=5, ge=1, le=3600)
    scaler_type: ScalerType = ScalerType.QUEUE_DELAY
    scaler_value: int = Field(default=4, ge=1)
    workers_min: int = Field(default=0, ge=0)
    workers_max: int = Field(default=3, ge=0)
    flashboot: bool = False
    execution_timeout_ms: int | None = Field(default=None, ge=1000)
    allowed_cuda_versions: list[str] | None = None
    min_cuda_version: str | None = None
    env: dict[str, str] = Field(default_factory=dict)

    @field_validator("gpu_ids", "locations", "data_center_ids", "allowed_cuda_versions", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return split_csv(value)

    @field_validator("gpu_ids")
    @classmethod
    def _gpu_ids(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for item in value:
            if item.startswith("-"):
                _allowed([item[1:]], GPU_TYPE_IDS, "GPU type id to exclude (after '-')")
            elif item not in GPU_POOLS:
                raise ValueError(
                    f"{item!r} is not a GPU pool; allowed values: {', '.join(GPU_POOLS)} "
                    "(or '-<GPU type id>' to exclude a type)"
                )
        if not any(not item.startswith("-") for item in value):
            raise ValueError("needs at least one GPU pool, not only exclusions")
        return value

    @field_validator("gpu_type_ids")
    @classmethod
    def _gpu_type_ids(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _allowed(value, GPU_TYPE_IDS, "GPU type id")

    @field_validator("cpu_flavor_ids")
    @classmethod
    def _cpu_flavors(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _allowed(value, CPU_FLAVOR_IDS, "CPU flavor id")

    @field_validator("data_center_ids")
    @classmethod
    def _data_centers(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _allowed(value, DATA_CENTER_IDS, "data center id")

    @field_validator("locations")
    @classmethod
    def _locations(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _allowed(value, REGION_CODES + DATA_CENTER_IDS, "location")

    @field_validator("allowed_cuda_versions")
    @classmethod
    def _cuda_list(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _allowed(value, CUDA_VERSIONS, "CUDA version")

    @field_validator("min_cuda_version")
    @classmethod
    def _cuda(cls, value: str | None) -> str | None:
        return None if value is None else _allowed([value], CUDA_VERSIONS, "CUDA version")[0]

    @field_validator("instance_ids")
    @classmethod
    def _instances(cls, value: list[str] | None) -> list[str] | None:
        for item in value or []:
            if not _INSTANCE_ID.match(item):
                raise ValueError(
                    f"{item!r} is not a CPU instance id; expected '<flavor>-<vCPUs>-<GiB>', e.g. 'cpu3g-4-16'"
                )
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        # The API decorates names with " -fb" when FlashBoot is on; declaring it is the old way
        # of asking for FlashBoot, and keeping it would make every refresh look like drift.
        if value.endswith(FLASHBOOT_SUFFIX):
            raise ValueError("do not end the name with ' -fb'; set flashboot=True instead")
        return value

    @field_validator("env")
    @classmethod
    def _env(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):
                raise ValueError(f"{key!r} is not a valid environment variable name (letters, digits, '_')")
        return value

    @model_validator(mode="after")
    def _cross_field(self) -> EndpointSpec:
        if self.workers_min > self.workers_max:
            raise ValueError(f"workers_min ({self.workers_min}) must be <= workers_max ({self.workers_max})")
        cpu_fields = [f for f in ("cpu_flavor_ids", "instance_ids", "vcpu_count") if getattr(self, f) is not None]
        gpu_fields = [
            f
            for f in ("gpu_ids", "gpu_type_ids", "allowed_cuda_versions", "min_cuda_version")
            if getattr(self, f) is not None
        ]
        if self.compute_type is None:
            self.compute_type = ComputeType.CPU.value if cpu_fields else ComputeType.GPU.value  # type: ignore[assignment]
        if self.compute_type == ComputeType.CPU.value and gpu_fields:
            raise ValueError(f"compute_type is 'CPU' but GPU fields are set: {', '.join(gpu_fields)}")
        if self.compute_type == ComputeType.GPU.value and cpu_fields:
            raise ValueError(
                f"compute_type is 'GPU' but CPU fields are set: {', '.join(cpu_fields)}; "
                "set compute_type='CPU' or remove them"
            )
        rest, graphql = self.rest_only_fields(), self.graphql_only_fields()
        if rest and graphql:
            raise ValueError(
                f"{', '.join(rest)} (REST API fields) cannot be combined with {', '.join(graphql)} "
                "(GraphQL API fields); use gpu_type_ids/cpu_flavor_ids/data_center_ids or "
                "gpu_ids/instance_ids/locations/env"
            )
        return self

    def rest_only_fields(self) -> list[str]:
        return [f for f in REST_ONLY_FIELDS if getattr(self, f) is not None]

    def graphql_only_fields(self) -> list[str]:
        return [f for f in GRAPHQL_ONLY_FIELDS if getattr(self, f) not in (None, {})]

    @property
    def api_surface(self) -> Literal["rest", "graphql", "any"]:
        """Which RunPod API can write (and observe) every field this spec declares."""
        if self.rest_only_fields():
            return "rest"
        if self.graphql_only_fields():
            return "graphql"
        return "any"


class Worker(ApiModel):
    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    desired_status: str | None = None


class Endpoint(ApiModel):
    """An endpoint as the API reports it, normalized across REST and GraphQL shapes."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str | None = None
    template_id: str | None = None
    compute_type: str | None = None
    gpu_ids: list[str] | None = None
    gpu_type_ids: list[str] | None = None
    gpu_count: int | None = None
    cpu_flavor_ids: list[str] | None = None
    instance_ids: list[str] | None = None
    vcpu_count: int | None = None
    locations: list[str] | None = None
    data_center_ids: list[str] | None = None
    network_volume_id: str | None = None
    network_volume_ids: list[str] | None = None
    idle_timeout: int | None = None
    scaler_type: str | None = None
    scaler_value: int | None = None
    workers_min: int | None = None
    workers_max: int | None = None
    flashboot: bool | None = None
    execution_timeout_ms: int | None = None
    allowed_cuda_versions: list[str] | None = None
    min_cuda_version: str | None = None
    env: dict[str, str] | None = None
    created_at: str | None = None
    version: int | None = None
    user_id: str | None = None
    template: dict[str, Any] | None = None
    workers: list[Worker] | None = None

    @field_validator("gpu_ids", "locations", "data_center_ids", "allowed_cuda_versions", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return split_csv(value)

    def merged(self, other: Endpoint) -> Endpoint:
        """This endpoint with the fields ``other`` observed filled in where this one has none."""
        mine = self.model_dump()
        for key, value in other.model_dump().items():
            if mine.get(key) is None and value is not None:
                mine[key] = value
        return Endpoint.model_validate(mine)


class FieldProblem(BaseModel):
    """One invalid input, named by its snake_case field path."""

    field: str
    message: str
    cross_field: bool = False  # a rule between fields, not about one value


def field_problems(error: ValidationError) -> list[FieldProblem]:
    """Turn pydantic's errors into one readable problem per field, snake_case paths."""
    problems: list[FieldProblem] = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        message = item["msg"].removeprefix("Value error, ")
        field = ".".join(_snake(part) for part in loc) or _field_named_by(message)
        if item["type"] == "extra_forbidden":
            message = f"unknown field {field!r}; see ServerlessEndpointArgs for the allowed fields"
        elif item["type"] == "missing":
            message = f"{field} is required"
        problems.append(FieldProblem(field=field, message=message, cross_field=not loc))
    return problems


def _field_named_by(message: str) -> str:
    """Cross-field messages start with the field they blame; use it as the problem's field."""
    first = message.split(" ", 1)[0].strip(",")
    return first if first in EndpointSpec.model_fields else "(endpoint)"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() if not name.isdigit() else name
