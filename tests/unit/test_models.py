"""EndpointSpec: every field's rule, with the field and the allowed values in the message."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from pulumi_runpod_endpoint.api.models import Endpoint, EndpointSpec, field_problems

BASE: dict[str, Any] = {"name": "inference", "template_id": "tmpl12345"}


def problems(**fields: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        EndpointSpec.model_validate({**BASE, **fields})
    return {p.field: p.message for p in field_problems(caught.value)}


def test_defaults_are_the_documented_ones() -> None:
    spec = EndpointSpec.model_validate(BASE)
    assert spec.model_dump(exclude_none=True) == {
        "name": "inference",
        "template_id": "tmpl12345",
        "compute_type": "GPU",
        "gpu_count": 1,
        "idle_timeout": 5,
        "scaler_type": "QUEUE_DELAY",
        "scaler_value": 4,
        "workers_min": 0,
        "workers_max": 3,
        "flashboot": False,
        "env": {},
    }


def test_camel_case_wire_names_are_accepted() -> None:
    spec = EndpointSpec.model_validate({"name": "a", "templateId": "t1", "workersMax": 7, "gpuIds": "AMPERE_16,ADA_24"})
    assert (spec.template_id, spec.workers_max, spec.gpu_ids) == ("t1", 7, ["AMPERE_16", "ADA_24"])
    assert spec.model_dump(by_alias=True)["workersMax"] == 7


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        pytest.param({"gpu_ids": ["AMPERE_99"]}, "gpu_ids", "allowed values: AMPERE_16, AMPERE_24", id="unknown-pool"),
        pytest.param({"gpu_ids": ["-NVIDIA L4"]}, "gpu_ids", "at least one GPU pool", id="only-exclusions"),
        pytest.param({"gpu_ids": ["AMPERE_16", "-NVIDIA L9"]}, "gpu_ids", "GPU type id to exclude", id="bad-exclusion"),
        pytest.param({"gpu_type_ids": ["RTX 9999"]}, "gpu_type_ids", "NVIDIA GeForce RTX 4090", id="unknown-gpu-type"),
        pytest.param({"cpu_flavor_ids": ["cpu9x"]}, "cpu_flavor_ids", "cpu3c, cpu3g, cpu5c, cpu5g", id="cpu-flavor"),
        pytest.param({"data_center_ids": ["MARS-1"]}, "data_center_ids", "EU-RO-1", id="data-center"),
        pytest.param({"locations": ["XX"]}, "locations", "CZ, FR, GB, NO, RO, US", id="location"),
        pytest.param({"allowed_cuda_versions": ["10.0"]}, "allowed_cuda_versions", "12.9", id="cuda-list"),
        pytest.param({"min_cuda_version": "9.0"}, "min_cuda_version", "13.0", id="min-cuda"),
        pytest.param({"instance_ids": ["big-box"]}, "instance_ids", "cpu3g-4-16", id="instance-id"),
        pytest.param({"idle_timeout": -1}, "idle_timeout", "greater than or equal to 1", id="negative-idle"),
        pytest.param({"idle_timeout": 3601}, "idle_timeout", "less than or equal to 3600", id="idle-too-long"),
        pytest.param({"scaler_type": "CPU_LOAD"}, "scaler_type", "'QUEUE_DELAY' or 'REQUEST_COUNT'", id="scaler"),
        pytest.param({"scaler_value": 0}, "scaler_value", "greater than or equal to 1", id="scaler-value"),
        pytest.param({"workers_min": -1}, "workers_min", "greater than or equal to 0", id="negative-min"),
        pytest.param(
            {"workers_min": 5, "workers_max": 3},
            "workers_min",
            "workers_min (5) must be <= workers_max (3)",
            id="min-above-max",
        ),
        pytest.param({"gpu_count": 0}, "gpu_count", "greater than or equal to 1", id="gpu-count"),
        pytest.param({"execution_timeout_ms": 10}, "execution_timeout_ms", "1000", id="exec-timeout"),
        pytest.param({"name": ""}, "name", "at least 1 character", id="empty-name"),
        pytest.param({"name": "x" * 192}, "name", "at most 191", id="long-name"),
        pytest.param({"name": "svc -fb"}, "name", "flashboot=True", id="fb-suffix"),
        pytest.param({"env": {"1BAD": "x"}}, "env", "valid environment variable name", id="env-key"),
        pytest.param({"compute_type": "TPU"}, "compute_type", "'GPU' or 'CPU'", id="compute-type"),
        pytest.param(
            {"compute_type": "CPU", "gpu_ids": ["AMPERE_16"]},
            "compute_type",
            "GPU fields are set: gpu_ids",
            id="cpu-with-gpus",
        ),
        pytest.param(
            {"compute_type": "GPU", "cpu_flavor_ids": ["cpu3c"]},
            "compute_type",
            "CPU fields are set: cpu_flavor_ids",
            id="gpu-with-cpus",
        ),
        pytest.param(
            {"gpu_type_ids": ["NVIDIA L4"], "env": {"A": "b"}},
            "gpu_type_ids",
            "cannot be combined with env",
            id="rest-and-graphql-fields",
        ),
        pytest.param({"colour": "red"}, "colour", "unknown field 'colour'", id="unknown-field"),
    ],
)
def test_invalid_input_names_field_and_allowed_values(fields: dict[str, Any], field: str, fragment: str) -> None:
    found = problems(**fields)
    assert field in found, found
    assert fragment in found[field]


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(ValidationError) as caught:
        EndpointSpec.model_validate({})
    found = {p.field: p.message for p in field_problems(caught.value)}
    assert found == {"name": "name is required", "template_id": "template_id is required"}


@pytest.mark.parametrize(
    ("fields", "surface"),
    [
        pytest.param({}, "any", id="plain"),
        pytest.param({"gpu_ids": ["AMPERE_16"]}, "graphql", id="pools"),
        pytest.param({"env": {"A": "1"}}, "graphql", id="env"),
        pytest.param({"instance_ids": ["cpu3g-4-16"]}, "graphql", id="cpu-instances"),
        pytest.param({"gpu_type_ids": ["NVIDIA L4"]}, "rest", id="gpu-types"),
        pytest.param({"cpu_flavor_ids": ["cpu3c"], "vcpu_count": 4}, "rest", id="cpu-flavors"),
        pytest.param({"data_center_ids": ["EU-RO-1"]}, "rest", id="data-centers"),
    ],
)
def test_api_surface_follows_the_declared_fields(fields: dict[str, Any], surface: str) -> None:
    assert EndpointSpec.model_validate({**BASE, **fields}).api_surface == surface


def test_cpu_compute_type_is_inferred_from_cpu_fields() -> None:
    assert EndpointSpec.model_validate({**BASE, "instance_ids": ["cpu3g-4-16"]}).compute_type == "CPU"


def test_observed_endpoint_parses_comma_joined_and_list_shapes() -> None:
    as_string = Endpoint.model_validate({"id": "e1", "dataCenterIds": "EU-NL-1,EU-RO-1, EU-SE-1"})
    as_list = Endpoint.model_validate({"id": "e1", "dataCenterIds": ["EU-NL-1", "EU-RO-1", "EU-SE-1"]})
    assert as_string.data_center_ids == as_list.data_center_ids == ["EU-NL-1", "EU-RO-1", "EU-SE-1"]


def test_observed_endpoint_ignores_fields_it_does_not_know() -> None:
    assert Endpoint.model_validate({"id": "e1", "workersStandby": 1}).id == "e1"
