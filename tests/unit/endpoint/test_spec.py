"""check's rules for endpoint inputs: one failure per bad field, naming it and what is allowed."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_runpod_endpoint.endpoint.spec import DEFAULTS, check_spec

GPU = {"name": "api", "image": "runpod/worker:1", "gpu_pools": ["ADA_24"]}
CPU = {"name": "api", "image": "runpod/worker:1", "cpu_flavor_ids": ["cpu3c"], "vcpu_count": 4}


def problems(values: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    spec, found = check_spec(values, **kwargs)
    assert (spec is None) == bool(found)
    return {p.field: p.message for p in found}


def test_a_minimal_gpu_endpoint_gets_every_documented_default() -> None:
    spec, found = check_spec(GPU)
    assert found == []
    assert spec is not None
    assert spec.type == "QUEUE"
    assert spec.gpu_count == DEFAULTS["gpu_count"] == 1
    assert (spec.workers_min, spec.workers_max) == (0, 3)
    assert spec.idle_timeout == 10
    assert (spec.scaler_type, spec.scaler_value) == ("QUEUE_DELAY", 4)
    assert spec.execution_timeout_ms == 300_000  # the live API makes an omitted timeout 0: always sent
    assert spec.flashboot == "OFF"


def test_a_load_balancer_defaults_to_request_count_scaling() -> None:
    spec, _ = check_spec({**GPU, "type": "LOAD_BALANCER"})
    assert spec is not None and spec.scaler_type == "REQUEST_COUNT" and spec.idle_timeout == 10


def test_a_queue_endpoint_on_request_count_gets_no_idle_timeout() -> None:
    spec, _ = check_spec({**GPU, "scaler_type": "REQUEST_COUNT"})
    assert spec is not None and spec.idle_timeout is None


def test_a_cpu_endpoint_gets_no_gpu_count() -> None:
    spec, _ = check_spec(CPU)
    assert spec is not None and spec.gpu_count is None and spec.vcpu_count == 4


@pytest.mark.parametrize(
    ("flag", "mode"), [(True, "FLASHBOOT"), (False, "OFF"), ("PRIORITY_FLASHBOOT", "PRIORITY_FLASHBOOT")]
)
def test_flashboot_accepts_the_v1_boolean(flag: object, mode: str) -> None:
    spec, _ = check_spec({**GPU, "flashboot": flag})
    assert spec is not None and spec.flashboot == mode


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"name": "api", "gpu_pools": ["ADA_24"]}, "image", "template_id"),
        ({"name": "api", "image": "i"}, "gpu_pools", "cpu_flavor_ids"),
        ({**GPU, "gpu_pools": ["ADA_25"]}, "gpu_pools", "AMPERE_16"),
        ({**GPU, "gpu_excluded_types": ["NVIDIA A40"]}, "gpu_excluded_types", "NVIDIA GeForce RTX 4090"),
        ({**GPU, "gpu_excluded_types": ["-NVIDIA GeForce RTX 4090"]}, "gpu_excluded_types", "leading '-'"),
        ({**GPU, "gpu_excluded_types": ["NVIDIA GeForce RTX 4090"]}, "gpu_excluded_types", "at least one"),
        ({**GPU, "allowed_cuda_versions": ["12.8"], "min_cuda_version": "12.4"}, "min_cuda_version", "not both"),
        ({**GPU, "allowed_cuda_versions": ["twelve"]}, "allowed_cuda_versions", "major.minor"),
        ({**CPU, "vcpu_count": 3}, "vcpu_count", "power of two"),
        ({**CPU, "cpu_flavor_ids": ["cpu9x"]}, "cpu_flavor_ids", "cpu3c"),
        ({**CPU, "gpu_pools": ["ADA_24"]}, "gpu_pools", "either GPU or CPU"),
        ({**CPU, "cpu": [{"flavor_id": "cpu5c", "vcpu_count": 4}]}, "cpu", "not both"),
        ({**GPU, "workers_min": 4, "workers_max": 2}, "workers_min", "workers_max (2)"),
        ({**GPU, "type": "LOAD_BALANCER", "scaler_type": "QUEUE_DELAY"}, "scaler_type", "REQUEST_COUNT"),
        ({**GPU, "scaler_type": "REQUEST_COUNT", "scaler_value": 2.5}, "scaler_value", "whole number"),
        ({**GPU, "scaler_value": 0.25}, "scaler_value", "0.5"),
        ({**GPU, "scaler_type": "REQUEST_COUNT", "idle_timeout": 5}, "idle_timeout", "does not apply"),
        ({**GPU, "idle_timeout": 0}, "idle_timeout", "1"),
        ({**GPU, "type": "SERVERLESS"}, "type", "QUEUE"),
        ({**GPU, "flashboot": "ON"}, "flashboot", "PRIORITY_FLASHBOOT"),
        ({**GPU, "data_center_ids": ["MOON-1"]}, "data_center_ids", "EU-RO-1"),
        ({**GPU, "ports": ["8000"]}, "ports", "port/protocol"),
        ({**GPU, "env": {"A": None}}, "env", "must be a string"),
        ({**GPU, "gpu_count": True}, "gpu_count", "not True"),
        ({**GPU, "workers_max": 2**31}, "workers_max", "2147483647"),
        ({**GPU, "name": "  "}, "name", "empty"),
        ({**GPU, "name": "a\nb"}, "name", "control characters"),
        ({**GPU, "template_id": " " * 3}, "template_id", "RunPod id"),
        ({**GPU, "network_volume_ids": [""]}, "network_volume_ids", "not a network volume id"),
        ({**GPU, "execution_timeout_ms": 10}, "execution_timeout_ms", "1000"),
        ({**GPU, "bogus": 1}, "bogus", "not an input"),
    ],
)
def test_each_bad_input_is_named_with_what_is_allowed(values: dict[str, Any], field: str, words: str) -> None:
    found = problems(values)
    assert field in found, found
    assert words in found[field]


def test_every_bad_field_is_named_at_once() -> None:
    found = problems({**GPU, "name": "", "gpu_count": 0, "workers_min": 5, "workers_max": 1, "env": {"x y": "1"}})
    assert {"name", "gpu_count", "workers_min", "env"} <= set(found)


def test_huge_values_are_refused_quickly_and_briefly() -> None:
    found = problems({**GPU, "env": {f"V{i}": "x" for i in range(10_000)}, "image": "i" * 100_000})
    assert "at most 256" in found["env"]
    assert len(found["image"]) < 300
    big = problems({**GPU, "env": {"BIG": "x" * 1_000_000}})
    assert "at most 32768" in big["env"]


def test_runpod_secret_references_pass_unchanged() -> None:
    spec, found = check_spec({**GPU, "env": {"TOKEN": "{{ RUNPOD_SECRET_hf_token }}"}})
    assert found == [] and spec is not None and spec.env == {"TOKEN": "{{ RUNPOD_SECRET_hf_token }}"}


def test_unknown_values_are_not_judged_nor_the_rules_that_need_them() -> None:
    values = {**GPU, "name": Unknown(), "gpu_pools": Unknown(), "gpu_excluded_types": ["NVIDIA L40"]}
    spec, found = check_spec(values, unknown={"name", "gpu_pools"})
    assert found == [] and spec is not None


def test_an_unknown_image_does_not_trigger_the_image_or_template_rule() -> None:
    _, found = check_spec({"name": "x", "gpu_pools": ["ADA_24"]}, unknown={"image"})
    assert found == []


def test_known_bad_values_are_still_refused_during_a_preview() -> None:
    found = problems({**GPU, "name": Unknown(), "gpu_count": 0}, unknown={"name"})
    assert set(found) == {"gpu_count"}
