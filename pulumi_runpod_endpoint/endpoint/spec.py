"""What a program asks for: one Serverless endpoint, validated, with the provider's defaults.

One flat surface for every backend, shaped on REST v2 (the API RunPod keeps) in the snake_case style
users of Pulumi and Terraform RunPod providers know. ``EndpointSpec`` is the one parser of user input:
the provider's ``check`` and the policy pack both go through ``check_spec``, so an input is refused
everywhere or nowhere, with the same words, and always *before* any API call.

Defaults belong to the provider, not to the API: the live v2 API turns an omitted ``timeout`` into 0
and has no default for ``type`` or ``scaling``, and GraphQL's defaults differ from v2's. So every
field a program leaves out gets the default documented here and sent on every create, on every
backend: the same program makes the same endpoint everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt, ValidationError

from ..api.catalog import Catalog, shipped_catalog
from ..validation import (
    ID_PATTERN,
    INT32_MAX,
    MAX_LIST,
    NAME_MAX,
    FieldProblem,
    cuda_versions_problem,
    env_problem,
    field_problems,
    matching_fields,
    ports_problem,
    show,
    text_problem,
    unsendable,
)
from . import names

__all__ = [
    "DEFAULTS",
    "SPEC_FIELDS",
    "CpuChoice",
    "EndpointSpec",
    "check_spec",
    "cpu_selection",
]

EndpointType = Literal["QUEUE", "LOAD_BALANCER"]
ScalerType = Literal["QUEUE_DELAY", "REQUEST_COUNT"]
FlashBoot = Literal["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"]

MAX_GPUS_PER_WORKER = 8
_CUDA = re.compile(r"^\d{1,3}\.\d{1,3}\Z")

# Documented provider defaults (README "ServerlessEndpoint inputs"): sent on every create.
DEFAULTS: dict[str, Any] = {
    "type": "QUEUE",
    "gpu_count": 1,
    "vcpu_count": 2,
    "workers_min": 0,
    "workers_max": 3,
    "idle_timeout": 10,
    "scaler_value": 4,
    "execution_timeout_ms": 300_000,
    "flashboot": "OFF",
}


def _flashboot(value: Any) -> Any:
    """True/False are accepted as FLASHBOOT/OFF (the v1 boolean users know)."""
    if value is True:
        return "FLASHBOOT"
    if value is False:
        return "OFF"
    return value


class CpuChoice(BaseModel):
    """One eligible CPU configuration: a flavor at a vCPU count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    flavor_id: str
    vcpu_count: StrictInt


StrictNumber = StrictInt | StrictFloat


class EndpointSpec(BaseModel):
    """The desired state of one endpoint. Field docs are in ``ServerlessEndpointArgs``."""

    # hide_input_in_errors: env values (tokens) must never reach a message through pydantic's errors.
    model_config = ConfigDict(extra="forbid", validate_default=False, hide_input_in_errors=True)

    name: str
    type: EndpointType = "QUEUE"
    image: str | None = None
    template_id: str | None = None
    container_args: str | None = None
    container_disk_gb: StrictInt | None = Field(default=None, ge=1, le=INT32_MAX)
    ports: list[str] | None = None
    env: dict[str, str] | None = None
    registry_auth_id: str | None = None
    gpu_pools: list[str] | None = None
    gpu_excluded_types: list[str] | None = None
    gpu_count: StrictInt | None = Field(default=None, ge=1, le=MAX_GPUS_PER_WORKER)
    allowed_cuda_versions: list[str] | None = None
    min_cuda_version: str | None = None
    cpu_flavor_ids: list[str] | None = None
    vcpu_count: StrictInt | None = Field(default=None, ge=2, le=INT32_MAX)
    cpu: list[CpuChoice] | None = None
    workers_min: StrictInt = Field(default=0, ge=0, le=INT32_MAX)
    workers_max: StrictInt = Field(default=3, ge=0, le=INT32_MAX)
    idle_timeout: StrictInt | None = Field(default=None, ge=1, le=3600)
    scaler_type: ScalerType | None = None
    scaler_value: StrictNumber | None = Field(default=None, ge=0.5, le=INT32_MAX)
    data_center_ids: list[str] | None = None
    network_volume_ids: list[str] | None = None
    execution_timeout_ms: StrictInt = Field(default=300_000, ge=1000, le=INT32_MAX)
    flashboot: Annotated[FlashBoot, BeforeValidator(_flashboot)] = "OFF"

    # -- derived views ------------------------------------------------------------------------------
    @property
    def is_cpu(self) -> bool:
        return bool(self.cpu or self.cpu_flavor_ids)

    def cpu_choices(self) -> list[CpuChoice]:
        """The CPU selection in one shape, whichever form the program used."""
        return cpu_selection(self.cpu, self.cpu_flavor_ids, self.vcpu_count)

    def defaulted(self) -> EndpointSpec:
        """This spec with every documented default filled in (what ``check`` stores and sends)."""
        values = self.model_dump(exclude_none=True)
        values.setdefault("scaler_type", "REQUEST_COUNT" if self.type == "LOAD_BALANCER" else "QUEUE_DELAY")
        values.setdefault("scaler_value", DEFAULTS["scaler_value"])
        if not (values["type"] == "QUEUE" and values["scaler_type"] == "REQUEST_COUNT"):
            values.setdefault("idle_timeout", DEFAULTS["idle_timeout"])
        if self.is_cpu:
            if self.cpu_flavor_ids is not None:
                values.setdefault("vcpu_count", DEFAULTS["vcpu_count"])
        else:
            values.setdefault("gpu_count", DEFAULTS["gpu_count"])
        return EndpointSpec.model_validate(values)


SPEC_FIELDS = matching_fields(EndpointSpec, names.SPEC_FIELDS)


def cpu_selection(
    cpu: Iterable[CpuChoice | Mapping[str, Any]] | None, flavor_ids: Iterable[str] | None, vcpu_count: int | None
) -> list[CpuChoice]:
    if cpu:
        return [choice if isinstance(choice, CpuChoice) else CpuChoice.model_validate(choice) for choice in cpu]
    count = vcpu_count if vcpu_count is not None else DEFAULTS["vcpu_count"]
    return [CpuChoice(flavor_id=flavor, vcpu_count=count) for flavor in flavor_ids or []]


# -- check ----------------------------------------------------------------------------------------------
def check_spec(
    values: Mapping[str, Any], *, unknown: Iterable[str] = (), catalog: Catalog | None = None
) -> tuple[EndpointSpec | None, list[FieldProblem]]:
    """Validate program inputs; return the spec with defaults, or the problems (one per field).

    ``unknown`` names fields whose values a preview cannot know yet: they are not judged, and no rule
    that needs them is either; they are judged at ``pulumi up``, when they are known.
    """
    catalog = catalog or shipped_catalog()
    unknown = set(unknown)
    candidate = {key: value for key, value in values.items() if key not in unknown}
    if "name" in unknown:
        candidate["name"] = "unknown"
    problems = [p for p in _field_problems(candidate, catalog) if not (_FIELD_DEPENDS.get(p.field, set()) & unknown)]
    bad = {problem.field for problem in problems}
    spec = None
    for _ in range(2):  # the second pass validates what is left once pydantic's own refusals are out
        try:
            spec = EndpointSpec.model_validate(
                {"name": "unknown", **{k: v for k, v in candidate.items() if k not in bad}}
            )
            break
        except ValidationError as error:
            more = [p for p in field_problems(error) if p.field not in bad]
            problems += more
            bad |= {p.field for p in more}
    if spec is None:
        return None, problems
    # Rules that read several fields run on the fields that passed, so every bad field is named at once.
    skip = unknown | bad
    problems += [
        p for p in _rule_problems(spec.defaulted(), catalog) if not (_RULE_FIELDS.get(p.field, {p.field}) & skip)
    ]
    return (None if problems else spec.defaulted()), problems


def _field_problems(values: Mapping[str, Any], catalog: Catalog) -> list[FieldProblem]:
    """Checks of single values that pydantic's types and bounds do not express, in our words."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str | None) -> None:
        if message:
            problems.append(FieldProblem(field, message))

    name = values.get("name")
    if isinstance(name, str):
        add("name", text_problem(name, what="name", max_length=NAME_MAX))
    elif "name" in values:
        add("name", f"name must be a string of 1-{NAME_MAX} characters (got {show(name)})")
    else:  # never the placeholder a preview judges an unknown name with
        add("name", f"name is required: 1-{NAME_MAX} characters")
    for field in ("template_id", "registry_auth_id"):
        value = values.get(field)
        if value is not None and not (isinstance(value, str) and ID_PATTERN.match(value)):
            add(field, f"{field} must be a RunPod id (letters, digits, '-' or '_', at most 128; got {show(value)})")
    image = values.get("image")
    if image is not None:
        add(
            "image",
            text_problem(image, what="image", max_length=1024, allow_spaces=False)
            if isinstance(image, str)
            else f"image must be a container image reference such as 'runpod/worker:1.0' (got {show(image)})",
        )
    args = values.get("container_args")
    if isinstance(args, str) and (len(args) > 4096 or unsendable(args)):
        add("container_args", "container_args must be at most 4096 characters, without NUL or unpaired surrogates")
    add("ports", ports_problem(values.get("ports")))
    add("env", env_problem(values.get("env")))
    pools = values.get("gpu_pools")
    add("gpu_pools", _choices_problem("gpu_pools", pools, catalog.pools(), "serverless GPU pool", allow_empty=False))
    add("gpu_excluded_types", _excluded_problem(values.get("gpu_excluded_types"), pools, catalog))
    add("allowed_cuda_versions", cuda_versions_problem(values.get("allowed_cuda_versions")))
    floor = values.get("min_cuda_version")
    if floor is not None and not (isinstance(floor, str) and _CUDA.match(floor)):
        add(
            "min_cuda_version",
            f"min_cuda_version must be a CUDA version as major.minor, e.g. '12.4' (got {show(floor)})",
        )
    flavors = {flavor: flavor for flavor in catalog.cpu_flavor_ids()}
    add(
        "cpu_flavor_ids",
        _choices_problem("cpu_flavor_ids", values.get("cpu_flavor_ids"), flavors, "CPU flavor", allow_empty=False),
    )
    add("cpu", _cpu_problem(values.get("cpu"), catalog))
    centers = {dc: dc for dc in catalog.data_center_ids()}
    add(
        "data_center_ids",
        _choices_problem("data_center_ids", values.get("data_center_ids"), centers, "data center", allow_empty=True),
    )
    volumes = values.get("network_volume_ids")
    if volumes is not None:
        if not isinstance(volumes, list) or len(volumes) > MAX_LIST:
            add("network_volume_ids", f"network_volume_ids must be a list of at most {MAX_LIST} volume ids")
        else:
            bad = [v for v in volumes if not (isinstance(v, str) and ID_PATTERN.match(v))]
            if bad:
                add("network_volume_ids", f"network_volume_ids: {show(bad[0])} is not a network volume id")
            elif len(set(volumes)) != len(volumes):
                add("network_volume_ids", "network_volume_ids lists a volume twice")
    for field in ("workers_min", "workers_max", "gpu_count", "vcpu_count", "idle_timeout", "container_disk_gb",
                  "execution_timeout_ms", "scaler_value"):  # fmt: skip
        if isinstance(values.get(field), bool):
            add(field, f"{field} must be a number, not {values[field]!r}")
    return problems


def _choices_problem(field: str, value: Any, allowed: Mapping[str, Any], what: str, *, allow_empty: bool) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"{field} must be a list of strings (got {show(value)})"
    if not value and not allow_empty:
        return f"{field} must name at least one {what}; allowed values: {', '.join(allowed)}"
    if len(value) > MAX_LIST:
        return f"{field} has {len(value)} entries; at most {MAX_LIST} are allowed"
    for item in value:
        if item not in allowed:
            return f"{field}: {show(item)} is not a known {what}; allowed values: {', '.join(allowed)}"
    return None


def _excluded_problem(value: Any, pools: Any, catalog: Catalog) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"gpu_excluded_types must be a list of GPU type ids (got {show(value)})"
    chosen = [pool for pool in pools or [] if isinstance(pool, str)]
    inside = {gpu for pool in chosen for gpu in catalog.pools().get(pool, ())}
    for item in value:
        if item.strip().startswith("-"):
            return f"gpu_excluded_types: {show(item)} must be a GPU type id without a leading '-'"
        if item.strip() not in inside:
            where = ", ".join(chosen) or "(no gpu_pools)"
            return (
                f"gpu_excluded_types: {show(item)} is not a GPU type in the chosen pools ({where}); "
                f"types there: {', '.join(sorted(inside)) or 'none'}"
            )
    if inside and inside <= {item.strip() for item in value}:
        return "gpu_excluded_types excludes every GPU type in gpu_pools: keep at least one (or add a pool)"
    return None


def _cpu_problem(value: Any, catalog: Catalog) -> str | None:
    if value is None:
        return None
    if not isinstance(value, list) or not value or len(value) > MAX_LIST:
        return f"cpu must be a non-empty list of {{flavor_id, vcpu_count}} (got {show(value)})"
    seen: set[tuple[Any, Any]] = set()
    for item in value:
        if not isinstance(item, dict) or set(item) != {"flavor_id", "vcpu_count"}:
            return f"cpu: {show(item)} must be {{'flavor_id': 'cpu5c', 'vcpu_count': 4}}"
        flavor, count = item["flavor_id"], item["vcpu_count"]
        if catalog.cpu_flavor(flavor) is None:
            return f"cpu: {show(flavor)} is not a CPU flavor; allowed values: {', '.join(catalog.cpu_flavor_ids())}"
        problem = _vcpu_problem(flavor, count, catalog)
        if problem:
            return f"cpu: {problem}"
        if (flavor, count) in seen:
            return f"cpu lists {flavor} at {count} vCPUs twice"
        seen.add((flavor, count))
    return None


def _vcpu_problem(flavor: str, count: Any, catalog: Catalog) -> str | None:
    if isinstance(count, bool) or not isinstance(count, int):
        return f"vcpu_count must be a whole number (got {show(count)})"
    limits = (catalog.cpu_flavor(flavor) or {}).get("vcpu") or {}
    low, high = int(limits.get("min", 2)), int(limits.get("max", 256))
    if count < 2 or count & (count - 1):
        return f"{count} vCPUs for {flavor}: vCPUs must be a power of two, at least 2 (2, 4, 8, ...)"
    if not low <= count <= high:
        return f"{count} vCPUs for {flavor}: that flavor offers {low}-{high} vCPUs"
    return None


# Single-field checks that also read another field (skipped while that one is unknown).
_FIELD_DEPENDS: dict[str, set[str]] = {"gpu_excluded_types": {"gpu_pools"}}
# Which fields each cross-field rule reads: a rule is skipped while any of them is unknown.
_COMPUTE = {"gpu_pools", "gpu_excluded_types", "gpu_count", "allowed_cuda_versions", "min_cuda_version",
            "cpu", "cpu_flavor_ids", "vcpu_count"}  # fmt: skip
_RULE_FIELDS: dict[str, set[str]] = {
    "image": {"image", "template_id"},
    "gpu_pools": _COMPUTE,
    "cpu": _COMPUTE,
    "cpu_flavor_ids": _COMPUTE,
    "vcpu_count": _COMPUTE,
    "gpu_count": _COMPUTE,
    "min_cuda_version": {"allowed_cuda_versions", "min_cuda_version", *_COMPUTE},
    "allowed_cuda_versions": _COMPUTE,
    "workers_min": {"workers_min", "workers_max"},
    "scaler_type": {"type", "scaler_type"},
    "scaler_value": {"scaler_type", "scaler_value", "type"},
    "idle_timeout": {"type", "scaler_type", "idle_timeout"},
}


def _rule_problems(spec: EndpointSpec, catalog: Catalog) -> list[FieldProblem]:
    """The rules that need several fields at once (REST v2's prose, applied before any call)."""
    problems: list[FieldProblem] = []

    def add(field: str, message: str) -> None:
        problems.append(FieldProblem(field, message, cross_field=True))

    if spec.image is None and spec.template_id is None:
        add("image", "set image (a container image, e.g. 'runpod/worker-vllm:stable') or template_id")
    gpu_fields = [f for f in ("gpu_pools", "gpu_excluded_types", "allowed_cuda_versions", "min_cuda_version")
                  if getattr(spec, f)]  # fmt: skip
    if spec.cpu and (spec.cpu_flavor_ids or spec.vcpu_count is not None):
        add("cpu", "use either cpu (a list of {flavor_id, vcpu_count}) or cpu_flavor_ids + vcpu_count, not both")
    elif spec.vcpu_count is not None and not spec.cpu_flavor_ids:
        add("vcpu_count", "vcpu_count applies to cpu_flavor_ids; set cpu_flavor_ids too (or use gpu_pools for GPUs)")
    elif spec.is_cpu:
        if gpu_fields or spec.gpu_count is not None:
            field = (gpu_fields or ["gpu_count"])[0]
            add(field, f"{field} is a GPU setting but this endpoint is a CPU endpoint (cpu/cpu_flavor_ids): "
                       "an endpoint is either GPU or CPU")  # fmt: skip
        elif spec.cpu_flavor_ids:
            for flavor in spec.cpu_flavor_ids:
                problem = _vcpu_problem(flavor, spec.vcpu_count, catalog)
                if problem:
                    add("vcpu_count", problem)
                    break
    elif not spec.gpu_pools:
        add("gpu_pools", "choose the workers: gpu_pools (GPU pools, e.g. ['ADA_24']) for a GPU endpoint, or "
                         "cpu_flavor_ids + vcpu_count (or cpu) for a CPU endpoint")  # fmt: skip
    if spec.allowed_cuda_versions and spec.min_cuda_version:
        add("min_cuda_version", "set either allowed_cuda_versions (an exact set) or min_cuda_version (a floor), "
                                "not both")  # fmt: skip
    if spec.workers_min > spec.workers_max:
        add("workers_min", f"workers_min ({spec.workers_min}) must not be above workers_max ({spec.workers_max})")
    if spec.type == "LOAD_BALANCER" and spec.scaler_type != "REQUEST_COUNT":
        add("scaler_type", "a LOAD_BALANCER endpoint scales by REQUEST_COUNT only; set scaler_type='REQUEST_COUNT'")
    if (
        spec.scaler_type == "REQUEST_COUNT"
        and spec.scaler_value is not None
        and spec.scaler_value != int(spec.scaler_value)
    ):
        add(
            "scaler_value",
            f"scaler_value for REQUEST_COUNT is a whole number of requests per worker (got {spec.scaler_value})",
        )
    elif spec.scaler_type == "REQUEST_COUNT" and spec.scaler_value is not None and spec.scaler_value < 1:
        add("scaler_value", f"scaler_value for REQUEST_COUNT must be at least 1 (got {spec.scaler_value})")
    if spec.type == "QUEUE" and spec.scaler_type == "REQUEST_COUNT" and spec.idle_timeout is not None:
        add("idle_timeout", "idle_timeout does not apply to a QUEUE endpoint scaling on REQUEST_COUNT; remove it")
    return problems
