"""check and diff: local rules, one failure per bad field, no API call."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_runpod_endpoint.api.enums import Backend
from pulumi_runpod_endpoint.properties import UNKNOWN, changed_fields, check_inputs
from pulumi_runpod_endpoint.provider import ServerlessEndpointProvider

BASE: dict[str, Any] = {"name": "inference", "template_id": "tmpl12345", "gpu_ids": ["AMPERE_16"]}


def failures(backend: Backend = Backend.RUNPOD, **fields: Any) -> dict[str, str]:
    _, problems = check_inputs({**BASE, **fields}, backend)
    return {p.field: p.message for p in problems}


def checked(**fields: Any) -> dict[str, Any]:
    inputs, problems = check_inputs({**BASE, **fields}, Backend.RUNPOD)
    assert problems == []
    return inputs


def test_check__applies_documented_defaults() -> None:
    assert checked() == {
        **BASE,
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


def test_check__through_the_provider_returns_check_failures() -> None:
    result = ServerlessEndpointProvider().check({}, {**BASE, "workers_min": 4, "workers_max": 1, "__provider": "x"})
    assert [(f.property, f.reason) for f in result.failures] == [
        ("workers_min", "workers_min (4) must be <= workers_max (1)")
    ]


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        pytest.param({"gpu_ids": ["AMPERE_99"]}, "gpu_ids", "AMPERE_16, AMPERE_24", id="unknown-pool"),
        pytest.param({"idle_timeout": -5}, "idle_timeout", "greater than or equal to 1", id="negative-idle"),
        pytest.param({"workers_max": -1}, "workers_max", "greater than or equal to 0", id="negative-max"),
        pytest.param({"scaler_type": "FAST"}, "scaler_type", "QUEUE_DELAY", id="scaler"),
        pytest.param({"template_id": ""}, "template_id", "at least 1", id="empty-template"),
        pytest.param({"adopt_existing_id": ""}, "adopt_existing_id", "non-empty endpoint id", id="empty-adopt"),
        pytest.param({"gpu_count": "two"}, "gpu_count", "valid integer", id="wrong-type"),
        pytest.param({"colour": "red"}, "colour", "unknown field 'colour'", id="unknown-field"),
    ],
)
def test_check__names_the_field_and_allowed_values(fields: dict[str, Any], field: str, fragment: str) -> None:
    found = failures(**fields)
    assert field in found, found
    assert fragment in found[field]


def test_check__every_bad_field_is_reported_at_once() -> None:
    found = failures(idle_timeout=0, scaler_value=0, gpu_count=0)
    assert set(found) == {"idle_timeout", "scaler_value", "gpu_count"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"gpu_ids": None, "gpu_type_ids": ["NVIDIA L4"]}, "gpu_type_ids", id="gpu-types"),
        pytest.param({"gpu_ids": None, "cpu_flavor_ids": ["cpu3c"]}, "cpu_flavor_ids", id="cpu-flavors"),
        pytest.param({"data_center_ids": ["EU-RO-1"], "gpu_ids": None}, "data_center_ids", id="data-centers"),
        pytest.param({"min_cuda_version": "12.4"}, "min_cuda_version", id="min-cuda"),
        pytest.param({"network_volume_ids": ["v1"]}, "network_volume_ids", id="volumes"),
        pytest.param({"gpu_ids": None}, "gpu_ids", id="gpu-pools-required"),
    ],
)
def test_check__tensorone_refuses_fields_it_does_not_have(fields: dict[str, Any], field: str) -> None:
    found = failures(Backend.TENSORONE, **fields)
    assert field in found, found
    assert "tensorone" in found[field]


def test_check__same_fields_are_fine_on_runpod() -> None:
    assert failures(gpu_ids=None, gpu_type_ids=["NVIDIA L4"], data_center_ids=["EU-RO-1"]) == {}


def test_check__unknown_values_are_not_judged_yet() -> None:
    inputs, problems = check_inputs(
        {**BASE, "template_id": UNKNOWN, "workers_max": UNKNOWN, "workers_min": 2}, Backend.RUNPOD
    )
    assert problems == []
    assert inputs["template_id"] == UNKNOWN
    assert inputs["workers_max"] == UNKNOWN


def test_check__known_bad_values_are_judged_beside_unknown_ones() -> None:
    _, problems = check_inputs({**BASE, "template_id": UNKNOWN, "idle_timeout": 0}, Backend.RUNPOD)
    assert [p.field for p in problems] == ["idle_timeout"]


# -- diff ------------------------------------------------------------------------------------------
def outputs(**overrides: Any) -> dict[str, Any]:
    """Old outputs as the provider stores them after a create of `checked()`."""
    inputs = checked()
    return {
        **inputs,
        "execution_timeout_ms": 600000,  # filled in by the API, not declared
        "managed_fields": sorted(inputs),
        "run_url": "https://api.runpod.ai/v2/e1/run",
        "version": 0,
        "__provider": "old-blob",
        **overrides,
    }


def test_diff__no_change() -> None:
    assert changed_fields(outputs(), {**checked(), "__provider": "new-blob"}) == []
    result = ServerlessEndpointProvider().diff("e1", outputs(), checked())
    assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"workers_max": 5}, "workers_max", id="workers"),
        pytest.param({"name": "renamed"}, "name", id="name"),
        pytest.param({"template_id": "tmpl99999"}, "template_id", id="template"),
        pytest.param({"gpu_ids": ["ADA_24", "AMPERE_16"]}, "gpu_ids", id="pool-priority"),
        pytest.param({"env": {"A": "1"}}, "env", id="env"),
        pytest.param({"flashboot": True}, "flashboot", id="flashboot"),
        pytest.param({"execution_timeout_ms": 1000}, "execution_timeout_ms", id="declared-over-api-default"),
    ],
)
def test_diff__each_field_change_is_an_in_place_update(change: dict[str, Any], field: str) -> None:
    assert changed_fields(outputs(), {**checked(), **change}) == [field]
    result = ServerlessEndpointProvider().diff("e1", outputs(), {**checked(), **change})
    assert (result.changes, result.replaces) == (True, [])


def test_diff__compute_type_change_replaces() -> None:
    news = checked(gpu_ids=None, instance_ids=["cpu3g-4-16"])
    result = ServerlessEndpointProvider().diff("e1", outputs(), news)
    assert result.changes
    assert result.replaces == ["compute_type"]


def test_diff__api_defaults_for_undeclared_fields_are_not_drift() -> None:
    assert "execution_timeout_ms" not in changed_fields(outputs(), checked())


def test_diff__removing_a_declared_field_is_a_change() -> None:
    olds = outputs(network_volume_id="vol1", managed_fields=[*sorted(checked()), "network_volume_id"])
    assert changed_fields(olds, checked()) == ["network_volume_id"]


def test_diff__order_of_set_like_lists_does_not_matter() -> None:
    olds = outputs(locations=["US", "RO"], managed_fields=[*sorted(checked()), "locations"])
    assert changed_fields(olds, checked(locations=["RO", "US"])) == []


def test_diff__unknown_new_value_is_a_change() -> None:
    assert changed_fields(outputs(), {**checked(), "template_id": UNKNOWN}) == ["template_id"]


def test_diff__a_decorated_name_is_never_drift() -> None:
    # outputs hold the name as the provider normalizes it (without " -fb")
    assert changed_fields(outputs(flashboot=True), checked(flashboot=True)) == []
