"""PATCH /v2/serverless/{id}: partial, but by groups, as the spec's descriptions say."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.helpers import cpu_body, create, gpu_body, patch, problem

PINNED = {"pools": ["AMPERE_24"], "excludedTypes": ["NVIDIA L4"], "allowedCudaVersions": ["12.8"]}


@pytest.fixture
def gpu_endpoint(api: httpx.Client) -> dict[str, Any]:
    return create(api, gpu_body(gpu=PINNED, env={"A": "1", "B": "2"}, workers={"min": 0, "max": 4, "idleTimeout": 20}))


def test_fields_left_out_are_untouched(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    updated = patch(api, gpu_endpoint["id"], {"name": "renamed"})
    assert updated["name"] == "renamed"
    unchanged = {k: v for k, v in updated.items() if k != "name"}
    assert unchanged == {k: v for k, v in gpu_endpoint.items() if k != "name"}


def test_pools_without_excluded_types_clear_the_exclusions(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    updated = patch(api, gpu_endpoint["id"], {"gpu": {"pools": ["AMPERE_24", "ADA_24"]}})
    assert updated["gpu"]["pools"] == ["AMPERE_24", "ADA_24"]
    assert "excludedTypes" not in updated["gpu"]
    assert updated["gpu"]["allowedCudaVersions"] == ["12.8"]  # another group: untouched


def test_pools_with_excluded_types_replace_the_selection(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    selection = {"pools": ["AMPERE_24"], "excludedTypes": ["NVIDIA RTX A5000"]}
    assert patch(api, gpu_endpoint["id"], {"gpu": selection})["gpu"]["excludedTypes"] == ["NVIDIA RTX A5000"]


def test_excluded_types_require_pools(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    response = api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json={"gpu": {"excludedTypes": ["NVIDIA L4"]}})
    problem(response, 422, "$.gpu: property 'pools' required, if 'excludedTypes' exists")


def test_excluded_types_are_checked_against_the_new_pools(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    response = api.patch(
        f"/v2/serverless/{gpu_endpoint['id']}", json={"gpu": {"pools": ["ADA_24"], "excludedTypes": ["NVIDIA L4"]}}
    )
    problem(response, 400, "'NVIDIA L4' is not a GPU type in pools ADA_24")


def test_a_cuda_change_alone_keeps_the_pinned_selection(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    updated = patch(api, gpu_endpoint["id"], {"gpu": {"allowedCudaVersions": ["12.9"]}})
    assert (updated["gpu"]["pools"], updated["gpu"]["excludedTypes"]) == (["AMPERE_24"], ["NVIDIA L4"])
    assert updated["gpu"]["allowedCudaVersions"] == ["12.9"]


def test_cuda_constraints_clear_only_explicitly(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    endpoint_id = gpu_endpoint["id"]
    assert patch(api, endpoint_id, {"gpu": {"count": 2}})["gpu"]["allowedCudaVersions"] == ["12.8"]
    assert patch(api, endpoint_id, {"gpu": {"allowedCudaVersions": []}})["gpu"]["allowedCudaVersions"] == []
    assert patch(api, endpoint_id, {"gpu": {"minCudaVersion": "12.1"}})["gpu"]["minCudaVersion"] == "12.1"
    assert patch(api, endpoint_id, {"gpu": {"minCudaVersion": ""}})["gpu"]["minCudaVersion"] is None


def test_setting_one_cuda_constraint_does_not_clear_the_other(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    response = api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json={"gpu": {"minCudaVersion": "12.1"}})
    problem(response, 400, "mutually exclusive")  # the endpoint still carries allowedCudaVersions ["12.8"]
    both = {"gpu": {"minCudaVersion": "12.1", "allowedCudaVersions": []}}
    updated = patch(api, gpu_endpoint["id"], both)
    assert (updated["gpu"]["allowedCudaVersions"], updated["gpu"]["minCudaVersion"]) == ([], "12.1")


def test_env_when_sent_replaces_the_whole_map(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    assert patch(api, gpu_endpoint["id"], {"env": {"C": "3"}})["env"] == {"C": "3"}
    assert patch(api, gpu_endpoint["id"], {"env": {}})["env"] == {}


def test_workers_merge_inside_the_group(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    updated = patch(api, gpu_endpoint["id"], {"workers": {"max": 9}})
    assert updated["workers"] == {"min": 0, "max": 9, "idleTimeout": 20}


def test_workers_min_above_max_is_400(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    problem(api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json={"workers": {"min": 5}}), 400, "cannot be greater")


def test_scaling_is_a_union_that_carries_its_type_and_value(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    endpoint_id = gpu_endpoint["id"]
    problem(api.patch(f"/v2/serverless/{endpoint_id}", json={"scaling": {"queueDelay": 2}}), 422, "$.scaling")
    problem(
        api.patch(f"/v2/serverless/{endpoint_id}", json={"scaling": {"type": "REQUEST_COUNT"}}), 422, "requestCount"
    )
    updated = patch(api, endpoint_id, {"scaling": {"type": "REQUEST_COUNT", "requestCount": 5}})
    assert updated["scaling"] == {"type": "REQUEST_COUNT", "requestCount": 5}
    assert "idleTimeout" not in updated["workers"]  # QUEUE + REQUEST_COUNT: omitted from reads


def test_idle_timeout_with_request_count_scaling_is_422_on_patch(
    api: httpx.Client, gpu_endpoint: dict[str, Any]
) -> None:
    body = {"scaling": {"type": "REQUEST_COUNT", "requestCount": 5}, "workers": {"idleTimeout": 9}}
    problem(api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json=body), 422, "idleTimeout does not apply")


def test_load_balancer_cannot_switch_to_queue_delay(api: httpx.Client) -> None:
    made = create(api, gpu_body(type="LOAD_BALANCER", scaling={"type": "REQUEST_COUNT", "requestCount": 2}))
    response = api.patch(f"/v2/serverless/{made['id']}", json={"scaling": {"type": "QUEUE_DELAY", "queueDelay": 2}})
    problem(response, 422, "load-balancing endpoints scale on request count")


def test_type_is_immutable(api: httpx.Client, gpu_endpoint: dict[str, Any]) -> None:
    response = api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json={"type": "LOAD_BALANCER"})
    problem(response, 422, "$: additional properties 'type' not allowed")


@pytest.mark.parametrize(
    ("make", "body", "fragment"),
    [
        pytest.param(
            gpu_body, {"cpu": [{"id": "cpu3c", "vcpuCount": 2}]}, "cpu cannot be set on a GPU endpoint", id="cpu-on-gpu"
        ),
        pytest.param(cpu_body, {"gpu": {"pools": ["ADA_24"]}}, "gpu cannot be set on a CPU endpoint", id="gpu-on-cpu"),
        pytest.param(gpu_body, {"gpu": {"count": 2}, "cpu": [{"id": "cpu3c", "vcpuCount": 2}]}, "not both", id="both"),
    ],
)
def test_the_compute_family_is_immutable(api: httpx.Client, make: Any, body: dict[str, Any], fragment: str) -> None:
    made = create(api, make())
    problem(api.patch(f"/v2/serverless/{made['id']}", json=body), 400, fragment)


def test_cpu_replaces_the_whole_selection(api: httpx.Client) -> None:
    made = create(api, cpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 2}, {"id": "cpu5c", "vcpuCount": 4}]))
    updated = patch(api, made["id"], {"cpu": [{"id": "cpu3g", "vcpuCount": 8}]})
    assert updated["cpu"] == [{"id": "cpu3g", "vcpuCount": 8, "memory": 32}]


def test_unknown_endpoint_is_404_after_a_valid_body(api: httpx.Client) -> None:
    problem(api.patch("/v2/serverless/nope", json={"name": "x"}), 404, "endpoint nope not found")


def test_a_template_patch_applies_its_settings_and_replaces_env(
    api: httpx.Client, gpu_endpoint: dict[str, Any]
) -> None:
    template = api.post(
        "/_emulator/templates", json={"name": "t", "serverless": True, "image": "tmpl:9", "env": {"T": "1"}}
    ).json()["id"]
    updated = patch(api, gpu_endpoint["id"], {"templateId": template, "env": {"B": "body"}})
    assert updated["image"] == "tmpl:9"
    assert updated["env"] == {"T": "1", "B": "body"}  # template + body, replacing the endpoint's A and B
    problem(api.patch(f"/v2/serverless/{gpu_endpoint['id']}", json={"templateId": "nope"}), 404, "template nope")
