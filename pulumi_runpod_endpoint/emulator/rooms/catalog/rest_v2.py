"""``/v2/catalog/*`` served from the shipped catalog, with the documented filters.

Availability is not known offline, so it is modelled simply and deterministically: a GPU type
is available (HIGH, in every data center) for SERVERLESS when it is in a serverless pool and for
POD/CLUSTER when it is offered on the requested cloud; a CPU flavor is available at the vCPU
counts it offers. Query rules from the spec's parameter prose: ``product`` is required with
``include=AVAILABILITY`` and valid only with it (400 either way), as are the other availability
filters (400); ``cudaVersions`` and ``minCudaVersion`` together are a 400; a malformed value is
a 422. Unknown query parameters are ignored, as the live API does (breaking-changes.md).
"""

from __future__ import annotations

import re
from typing import Any

from ...catalog import CUDA_VERSIONS, country_of
from ...problems import BadRequest, NotFound, Unprocessable
from ...routing import Call, Operation, Reply
from ...validation import INT32_MAX
from ...world import World

__all__ = ["CatalogApi"]

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CUDA = re.compile(r"^\d+\.\d+$")
_MIN_CUDA = re.compile(r"^\d+(\.\d+)?$")
REGIONS = (
    "NORTH_AMERICA", "SOUTH_AMERICA", "EUROPE", "ASIA", "MIDDLE_EAST", "AFRICA", "OCEANIA", "ANTARCTICA", "UNKNOWN",
)  # fmt: skip
COMPLIANCE = (
    "GDPR", "ISO_IEC_27001", "ISO_14001", "PCI_DSS", "HITRUST", "SOC_1_TYPE_2", "SOC_2_TYPE_2", "SOC_3_TYPE_2",
    "ITAR", "FISMA_HIGH", "HIPAA", "RENEWABLE",
)  # fmt: skip


class _Query:
    """Query parameters checked one by one; every malformed value is collected for one 422."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self.errors: list[str] = []

    def enums(self, name: str, allowed: tuple[str, ...], max_items: int | None = None) -> list[str] | None:
        values = self.call.query_values(name)
        if values is None:
            return None
        for value in values:
            if value not in allowed:
                self.errors.append(f"$.{name}: value must be one of {', '.join(repr(a) for a in allowed)}")
        if max_items is not None and len(values) > max_items:
            self.errors.append(f"$.{name}: maximum {max_items} items required, but found {len(values)} items")
        return values

    def patterned(self, name: str, pattern: re.Pattern[str], many: bool = True) -> list[str] | None:
        values = self.call.query_values(name) if many else _single(self.call.query_value(name))
        for value in values or []:
            if not pattern.match(value):
                self.errors.append(f"$.{name}: '{value}' does not match pattern '{pattern.pattern}'")
        return values

    def integer(self, name: str, minimum: int) -> int | None:
        value = self.call.query_value(name)
        if value is None:
            return None
        if not re.fullmatch(r"-?\d+", value) or int(value) < minimum:
            self.errors.append(f"$.{name}: must be an integer >= {minimum}, got '{value}'")
            return None
        if int(value) > INT32_MAX:
            self.errors.append(f"$.{name}: must be <= {INT32_MAX} but found {value}")
            return None
        return int(value)

    def boolean(self, name: str) -> bool | None:
        value = self.call.query_value(name)
        if value is None:
            return None
        if value not in ("true", "false"):
            self.errors.append(f"$.{name}: got '{value}', want boolean")
            return None
        return value == "true"

    def done(self) -> None:
        if self.errors:
            raise Unprocessable("Request validation failed.", self.errors)


def _single(value: str | None) -> list[str] | None:
    return None if value is None else [value]


class CatalogApi:
    def __init__(self, world: World) -> None:
        self.catalog = world.catalog

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/catalog/gpus", "listGpuTypes", self.list_gpus),
            Operation("GET", "/v2/catalog/gpus/{id}", "getGpuType", self.get_gpu),
            Operation("GET", "/v2/catalog/cpus", "listCpuTypes", self.list_cpus),
            Operation("GET", "/v2/catalog/cpus/{id}", "getCpuType", self.get_cpu),
            Operation("GET", "/v2/catalog/datacenters", "listDataCenters", self.list_data_centers),
            Operation("GET", "/v2/catalog/datacenters/{id}", "getDataCenter", self.get_data_center),
        ]

    # -- GPU types -------------------------------------------------------------------------------
    def list_gpus(self, call: Call) -> Reply:
        options = self._gpu_options(call)
        gpus = [self._gpu_view(gpu, options) for gpu in self.catalog.gpus]
        if options is not None and options["countries"] is not None:
            gpus = [gpu for gpu in gpus if gpu.get("dataCenters")]  # "drops out entirely"
        return Reply(body={"gpus": gpus})

    def get_gpu(self, call: Call) -> Reply:
        options = self._gpu_options(call)
        gpu = self.catalog.gpu(call.path_params["id"])
        if gpu is None:
            raise NotFound(f"GPU type {call.path_params['id']} not found")
        return Reply(body=self._gpu_view(gpu, options))

    def _gpu_options(self, call: Call) -> dict[str, Any] | None:
        query = _Query(call)
        include = query.enums("include", ("AVAILABILITY",), max_items=1)
        products = query.enums("product", ("POD", "CLUSTER", "SERVERLESS"))
        count = query.integer("count", 1)
        cloud = query.enums("cloud", ("SECURE", "COMMUNITY"))
        countries = query.patterned("countryCodes", _COUNTRY)
        cuda = query.patterned("cudaVersions", _CUDA)
        min_cuda = query.patterned("minCudaVersion", _MIN_CUDA, many=False)
        query.done()
        filters = {"count": count, "cloud": cloud, "countryCodes": countries, "cudaVersions": cuda}
        filters["minCudaVersion"] = min_cuda
        return _availability_options(include, products, filters, cuda, min_cuda, countries, cloud)

    def _gpu_view(self, gpu: dict[str, Any], options: dict[str, Any] | None) -> dict[str, Any]:
        answer = dict(gpu)
        if options is None:
            return answer
        products, cloud = options["products"], options["cloud"]
        available = ("SERVERLESS" in products and gpu["pool"] is not None) or (
            bool({"POD", "CLUSTER"} & set(products)) and bool(gpu["secure" if cloud == "SECURE" else "community"])
        )
        places = self._data_centers_in(options["countries"]) if available else []
        answer["availability"] = "HIGH" if places else "NONE"
        if places:
            answer["dataCenters"] = [{"id": dc["id"], "name": dc["name"], "availability": "HIGH"} for dc in places]
        if gpu["manufacturer"] == "NVIDIA" and places:
            answer["cudaVersions"] = [
                {"version": version, "available": True}
                for version in _cuda_versions(options["cuda"], options["min_cuda"])
            ]
        return answer

    # -- CPU types -------------------------------------------------------------------------------
    def list_cpus(self, call: Call) -> Reply:
        options = self._cpu_options(call)
        return Reply(body={"cpus": [self._cpu_view(cpu, options) for cpu in self.catalog.cpus]})

    def get_cpu(self, call: Call) -> Reply:
        options = self._cpu_options(call)
        cpu = self.catalog.cpu(call.path_params["id"])
        if cpu is None:
            raise NotFound(f"CPU type {call.path_params['id']} not found")
        return Reply(body=self._cpu_view(cpu, options))

    def _cpu_options(self, call: Call) -> dict[str, Any] | None:
        query = _Query(call)
        include = query.enums("include", ("AVAILABILITY",), max_items=1)
        products = query.enums("product", ("POD", "SERVERLESS"))
        vcpus = query.integer("vcpuCount", 2)
        query.done()
        if vcpus is not None and vcpus & (vcpus - 1):
            raise BadRequest(f"vcpuCount must be a power of two, got {vcpus}")
        options = _availability_options(include, products, {"vcpuCount": vcpus}, None, None, None, None)
        if options is not None:
            options["vcpus"] = vcpus
        return options

    def _cpu_view(self, cpu: dict[str, Any], options: dict[str, Any] | None) -> dict[str, Any]:
        answer = dict(cpu)
        if options is None:
            return answer
        vcpus = options["vcpus"]
        available = vcpus is None or cpu["vcpu"]["min"] <= vcpus <= cpu["vcpu"]["max"]
        answer["availability"] = "HIGH" if available else "NONE"
        if available:
            answer["dataCenters"] = [
                {"id": dc["id"], "name": dc["name"], "availability": "HIGH"} for dc in self.catalog.data_centers
            ]
        return answer

    # -- data centers ----------------------------------------------------------------------------
    def list_data_centers(self, call: Call) -> Reply:
        query = _Query(call)
        include = query.enums("include", ("GPU_AVAILABILITY", "CPU_AVAILABILITY")) or []
        regions = query.enums("regions", REGIONS)
        volumes = query.enums("networkVolumeTypes", ("STANDARD", "HIGH_PERFORMANCE"))
        compliance = query.enums("compliance", COMPLIANCE)
        global_network = query.boolean("globalNetwork")
        query.done()
        found = []
        for dc in self.catalog.data_centers:
            if regions is not None and dc["region"] not in regions:  # OR within the filter
                continue
            if volumes is not None and not set(volumes) <= set(dc["networkVolumeTypes"]):  # AND
                continue
            if compliance is not None and not set(compliance) <= set(dc["compliance"]):  # AND
                continue
            if global_network is not None and dc["globalNetwork"] is not global_network:
                continue
            found.append(self._data_center_view(dc, include))
        return Reply(body={"dataCenters": found})

    def get_data_center(self, call: Call) -> Reply:
        query = _Query(call)
        include = query.enums("include", ("GPU_AVAILABILITY", "CPU_AVAILABILITY")) or []
        query.done()
        dc = self.catalog.data_center(call.path_params["id"])
        if dc is None:
            raise NotFound(f"data center {call.path_params['id']} not found")
        return Reply(body=self._data_center_view(dc, include))

    def _data_center_view(self, dc: dict[str, Any], include: list[str]) -> dict[str, Any]:
        answer = dict(dc)
        if "GPU_AVAILABILITY" in include:
            answer["gpuAvailability"] = [
                {"id": gpu["id"], "name": gpu["name"], "availability": "HIGH"} for gpu in self.catalog.gpus
            ]
        if "CPU_AVAILABILITY" in include:
            answer["cpuAvailability"] = [
                {"id": cpu["id"], "name": cpu["name"], "availability": "HIGH"} for cpu in self.catalog.cpus
            ]
        return answer

    def _data_centers_in(self, countries: list[str] | None) -> list[dict[str, Any]]:
        return [dc for dc in self.catalog.data_centers if countries is None or country_of(dc["id"]) in countries]


def _availability_options(
    include: list[str] | None,
    products: list[str] | None,
    filters: dict[str, Any],
    cuda: list[str] | None,
    min_cuda: list[str] | None,
    countries: list[str] | None,
    cloud: list[str] | None,
) -> dict[str, Any] | None:
    wants = bool(include)
    if not wants:
        given = sorted(name for name, value in {"product": products, **filters}.items() if value is not None)
        if given:
            raise BadRequest(f"{', '.join(given)}: valid only with include=AVAILABILITY")
        return None
    if not products:
        raise BadRequest("product is required with include=AVAILABILITY: availability differs by product")
    if cuda is not None and min_cuda is not None:
        raise BadRequest("cudaVersions and minCudaVersion are mutually exclusive: send one")
    return {
        "products": products,
        "cloud": (cloud or ["SECURE"])[-1],
        "countries": countries,
        "cuda": cuda,
        "min_cuda": min_cuda[0] if min_cuda else None,
    }


def _cuda_versions(exact: list[str] | None, floor: str | None) -> list[str]:
    if exact is not None:
        return [version for version in CUDA_VERSIONS if version in exact]
    if floor is None:
        return list(CUDA_VERSIONS)
    major, _, minor = floor.partition(".")

    def at_least(version: str) -> bool:
        v_major, v_minor = (int(part) for part in version.split("."))
        if not minor:
            return v_major >= int(major)
        return (v_major, v_minor) >= (int(major), int(minor))

    return [version for version in CUDA_VERSIONS if at_least(version)]
