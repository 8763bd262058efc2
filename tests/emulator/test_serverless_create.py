"""POST /v2/serverless: the spec's schemas, the rules in its prose, the live API's defaults."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator
from tests.emulator.helpers import cpu_body, create, gpu_body, problem


def test_gpu_queue_endpoint_with_the_live_apis_defaults(api: httpx.Client) -> None:
    made = create(api, gpu_body())
    assert made["type"] == "QUEUE"
    assert made["gpu"] == {"pools": ["ADA_24"], "count": 1, "allowedCudaVersions": [], "minCudaVersion": None}
    assert "cpu" not in made
    assert made["workers"] == {"min": 0, "max": 3, "idleTimeout": 10}
    assert made["flashboot"] == "OFF"
    assert made["timeout"] == 0  # documented 300000; the live API stores 0 (QUIRKS.md)
    assert (made["args"], made["ports"], made["env"], made["registry"]) == ("", [], {}, None)
    assert (made["dataCenterIds"], made["networkVolumes"]) == ([], [])
    assert made["createdAt"] == "2026-11-29T12:00:00Z"  # the manual clock's start
    assert "templateId" not in made


def test_cpu_endpoint_memory_comes_from_the_flavors_ram_multiplier(api: httpx.Client) -> None:
    made = create(api, cpu_body(cpu=[{"id": "cpu3g", "vcpuCount": 4}, {"id": "cpu3c", "vcpuCount": 8}]))
    assert made["cpu"] == [
        {"id": "cpu3g", "vcpuCount": 4, "memory": 16},
        {"id": "cpu3c", "vcpuCount": 8, "memory": 16},
    ]
    assert "gpu" not in made


def test_queue_endpoints_get_job_urls(api: httpx.Client) -> None:
    made = create(api, gpu_body())
    base = f"https://api.runpod.ai/v2/{made['id']}"
    assert made["requestUrls"] == {
        "run": f"{base}/run",
        "runSync": f"{base}/runsync",
        "status": f"{base}/status/{{job_id}}",
        "stream": f"{base}/stream/{{job_id}}",
        "cancel": f"{base}/cancel/{{job_id}}",
        "retry": f"{base}/retry/{{job_id}}",
        "purgeQueue": f"{base}/purge-queue",
        "health": f"{base}/health",
    }


def test_load_balancer_urls_follow_health_check_path(api: httpx.Client) -> None:
    body = gpu_body(type="LOAD_BALANCER", scaling={"type": "REQUEST_COUNT", "requestCount": 3})
    made = create(api, body)
    assert made["requestUrls"] == {
        "base": f"https://{made['id']}.api.runpod.ai",
        "health": f"https://{made['id']}.api.runpod.ai/ping",
    }
    custom = create(api, {**body, "env": {"HEALTH_CHECK_PATH": "/healthz"}})
    assert custom["requestUrls"]["health"].endswith(".api.runpod.ai/healthz")


def test_load_balancers_scale_only_on_request_count(api: httpx.Client) -> None:
    problem(api.post("/v2/serverless", json=gpu_body(type="LOAD_BALANCER")), 422, "$.scaling")


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        pytest.param(gpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 2}]), 400, "exactly one of gpu or cpu", id="both"),
        pytest.param(
            {k: v for k, v in gpu_body().items() if k != "gpu"}, 400, "exactly one of gpu or cpu", id="neither"
        ),
        pytest.param(
            {**gpu_body(), "bogus": 1}, 422, "$: additional properties 'bogus' not allowed", id="unknown-field"
        ),
        pytest.param(gpu_body(containerDiskInGb=20), 422, "'containerDiskInGb' not allowed", id="v1-leftover"),
        pytest.param(gpu_body(flashboot=True), 422, "$.flashboot", id="v1-boolean-flashboot"),
        pytest.param(
            {k: v for k, v in gpu_body().items() if k != "image"}, 422, "missing property 'image'", id="image"
        ),
        pytest.param({k: v for k, v in gpu_body().items() if k != "scaling"}, 422, "'scaling'", id="scaling"),
        pytest.param({k: v for k, v in gpu_body().items() if k != "type"}, 422, "'type'", id="type"),
        pytest.param(gpu_body(gpu={"pools": []}), 422, "$.gpu.pools: minimum 1 items", id="no-pools"),
        pytest.param(gpu_body(gpu={"pools": ["ADA_24"], "count": 0}), 422, "$.gpu.count: must be >= 1", id="count"),
        pytest.param(
            gpu_body(gpu={"pools": ["ADA_24"], "excludedTypes": ["-NVIDIA L4"]}), 422, "does not match", id="minus"
        ),
        pytest.param(gpu_body(workers={"idleTimeout": 0}), 422, "$.workers.idleTimeout: must be >= 1", id="idle-low"),
        pytest.param(gpu_body(workers={"idleTimeout": 3601}), 422, "must be <= 3600", id="idle-high"),
        pytest.param(gpu_body(scaling={"type": "QUEUE_DELAY", "queueDelay": 0.4}), 422, "must be >= 0.5", id="delay"),
        pytest.param(
            gpu_body(scaling={"type": "REQUEST_COUNT", "requestCount": 1.5}), 422, "want integer", id="count-int"
        ),
        pytest.param(
            gpu_body(scaling={"type": "QUEUE_DELAY"}), 422, "missing property 'queueDelay'", id="scaling-value"
        ),
        pytest.param(gpu_body(scaling={"type": "SOON", "queueDelay": 1}), 422, "$.scaling.type", id="scaling-type"),
        pytest.param(
            cpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 2, "memory": 4}]), 422, "'memory' not allowed", id="cpu-memory"
        ),
        pytest.param(cpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 2}] * 2), 422, "unique", id="cpu-duplicates"),
        pytest.param(cpu_body(allowedCudaVersions=["12.1"]), 422, "'allowedCudaVersions'", id="cuda-top-level"),
        pytest.param(
            gpu_body(gpu={"pools": ["ADA_24"], "minCudaVersion": "12"}), 422, "does not match", id="cuda-format"
        ),
        pytest.param(gpu_body(workers={"min": 4, "max": 2}), 400, "workers.min (4) cannot be greater", id="min-max"),
        pytest.param(gpu_body(gpu={"pools": ["AMPERE_99"]}), 400, "unknown GPU pool 'AMPERE_99'", id="pool"),
        pytest.param(gpu_body(dataCenterIds=["MARS-1"]), 400, "unknown data center 'MARS-1'", id="data-center"),
        pytest.param(cpu_body(cpu=[{"id": "cpu9x", "vcpuCount": 2}]), 400, "unknown CPU flavor 'cpu9x'", id="flavor"),
        pytest.param(cpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 6}]), 400, "power of two", id="vcpu-power"),
        pytest.param(cpu_body(cpu=[{"id": "cpu3c", "vcpuCount": 64}]), 400, "not offered by cpu3c", id="vcpu-range"),
    ],
)
def test_create_rules(api: httpx.Client, body: dict[str, Any], status: int, fragment: str) -> None:
    problem(api.post("/v2/serverless", json=body), status, fragment)


def test_a_missing_field_also_reports_its_branch_siblings_as_the_live_api_does(api: httpx.Client) -> None:
    body = {k: v for k, v in gpu_body().items() if k != "name"}
    errors = problem(api.post("/v2/serverless", json=body), 422)["errors"]
    assert "$: missing property 'name'" in errors
    assert any("additional properties" in error and "'gpu'" in error for error in errors)


def test_validation_failures_carry_the_spec_detail(api: httpx.Client) -> None:
    body = problem(api.post("/v2/serverless", json={**gpu_body(), "bogus": 1}), 422)
    assert body["title"] == "Unprocessable Entity"
    assert body["detail"] == "Request validation failed."


@pytest.mark.parametrize(
    "gpu",
    [
        {"pools": ["ADA_24"], "allowedCudaVersions": ["12.8"], "minCudaVersion": "12.1"},
    ],
)
def test_a_cuda_set_and_floor_together_are_400(api: httpx.Client, gpu: dict[str, Any]) -> None:
    problem(api.post("/v2/serverless", json=gpu_body(gpu=gpu)), 400, "mutually exclusive")


def test_an_empty_cuda_set_may_accompany_a_floor(api: httpx.Client) -> None:
    made = create(api, gpu_body(gpu={"pools": ["ADA_24"], "allowedCudaVersions": [], "minCudaVersion": "12.1"}))
    assert (made["gpu"]["allowedCudaVersions"], made["gpu"]["minCudaVersion"]) == ([], "12.1")


def test_excluded_types_are_trimmed_and_must_be_inside_the_pools(api: httpx.Client) -> None:
    pools = ["AMPERE_24", "ADA_24"]
    made = create(api, gpu_body(gpu={"pools": pools, "excludedTypes": [" NVIDIA L4", "NVIDIA L4 "]}))
    assert made["gpu"]["excludedTypes"] == ["NVIDIA L4"]
    outside = gpu_body(gpu={"pools": pools, "excludedTypes": ["NVIDIA H100 PCIe"]})
    problem(api.post("/v2/serverless", json=outside), 400, "'NVIDIA H100 PCIe' is not a GPU type in pools")
    every = gpu_body(gpu={"pools": ["ADA_24"], "excludedTypes": ["NVIDIA GeForce RTX 4090"]})
    problem(api.post("/v2/serverless", json=every), 400, "keep at least one")


def test_idle_timeout_on_a_queue_endpoint_scaling_on_request_count_is_422(api: httpx.Client) -> None:
    body = gpu_body(scaling={"type": "REQUEST_COUNT", "requestCount": 2}, workers={"idleTimeout": 5})
    problem(api.post("/v2/serverless", json=body), 422, "idleTimeout does not apply to queue-based endpoints")
    made = create(api, gpu_body(scaling={"type": "REQUEST_COUNT", "requestCount": 2}))
    assert made["workers"] == {"min": 0, "max": 3}  # omitted from reads for that combination
    balancer = gpu_body(type="LOAD_BALANCER", scaling={"type": "REQUEST_COUNT", "requestCount": 2})
    assert create(api, {**balancer, "workers": {"idleTimeout": 5}})["workers"]["idleTimeout"] == 5


def test_fractional_queue_delay_is_kept(api: httpx.Client) -> None:
    made = create(api, gpu_body(scaling={"type": "QUEUE_DELAY", "queueDelay": 0.5}))
    assert made["scaling"] == {"type": "QUEUE_DELAY", "queueDelay": 0.5}


def test_everything_sent_comes_back(api: httpx.Client) -> None:
    body = gpu_body(
        args="--serve",
        disk=30,
        ports=["8000/http"],
        env={"A": "1"},
        registry="reg123",
        gpu={"pools": ["AMPERE_24"], "count": 2, "allowedCudaVersions": ["12.8"], "excludedTypes": ["NVIDIA L4"]},
        workers={"min": 0, "max": 5, "idleTimeout": 30},
        dataCenterIds=["US-KS-2", "EU-RO-1"],
        networkVolumes=["vol1"],
        timeout=600000,
        flashboot="PRIORITY_FLASHBOOT",
    )
    made = create(api, body)
    for key in ("args", "disk", "ports", "env", "registry", "dataCenterIds", "networkVolumes", "timeout", "flashboot"):
        assert made[key] == body[key], key
    assert made["gpu"] == {**body["gpu"], "minCudaVersion": None}
    assert made["workers"] == body["workers"]


# -- templates ----------------------------------------------------------------------------------
def add_template(emulator: Emulator, api: httpx.Client, **fields: Any) -> str:
    response = api.post("/_emulator/templates", json={"name": "t", "serverless": True, **fields})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_a_template_is_applied_once_with_body_fields_winning(emulator: Emulator, api: httpx.Client) -> None:
    template = add_template(
        emulator, api, image="tmpl:1", args="--a", disk=50, env={"A": "t", "B": "t"}, allowedCudaVersions=["12.4"]
    )
    body = gpu_body(templateId=template, env={"B": "body", "C": "body"}, disk=10)
    del body["image"]
    made = create(api, body)
    assert (made["image"], made["args"], made["disk"]) == ("tmpl:1", "--a", 10)
    assert made["env"] == {"A": "t", "B": "body", "C": "body"}  # merged per key, body wins
    assert made["gpu"]["allowedCudaVersions"] == ["12.4"]  # seeded from the template
    assert "templateId" not in made
    api.post("/_emulator/templates", json={"id": template, "name": "t", "serverless": True, "image": "tmpl:2"})
    assert api.get(f"/v2/serverless/{made['id']}").json()["image"] == "tmpl:1"  # later edits do not reach it


def test_a_template_does_not_seed_cuda_beside_a_floor(emulator: Emulator, api: httpx.Client) -> None:
    template = add_template(emulator, api, image="tmpl:1", allowedCudaVersions=["12.4"])
    made = create(api, gpu_body(templateId=template, gpu={"pools": ["ADA_24"], "minCudaVersion": "12.1"}))
    assert (made["gpu"]["allowedCudaVersions"], made["gpu"]["minCudaVersion"]) == ([], "12.1")


def test_unknown_template_is_404_and_a_pod_template_422(emulator: Emulator, api: httpx.Client) -> None:
    problem(api.post("/v2/serverless", json=gpu_body(templateId="nope")), 404, "template nope not found")
    pod_template = add_template(emulator, api, image="x", serverless=False)
    problem(api.post("/v2/serverless", json=gpu_body(templateId=pod_template)), 422, "not a serverless template")


# -- numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(gpu_body(workers={"min": 0, "max": 2**31}), id="workers"),
        pytest.param(gpu_body(timeout=10**20), id="timeout"),
        pytest.param(gpu_body(scaling={"type": "REQUEST_COUNT", "requestCount": 2**40}), id="request-count"),
        pytest.param(gpu_body(scaling={"type": "QUEUE_DELAY", "queueDelay": 1e300}), id="float"),
    ],
)
def test_numbers_beyond_32_bits_are_refused(api: httpx.Client, body: dict[str, Any]) -> None:
    problem(api.post("/v2/serverless", json=body), 422, "must be <=")


def test_non_json_bodies_are_400(api: httpx.Client) -> None:
    problem(api.post("/v2/serverless", content=b"{nope"), 400, "not valid JSON")
    problem(api.post("/v2/serverless", content=b'{"timeout": NaN}'), 400, "not valid JSON")
    problem(api.post("/v2/serverless", content=b""), 400, "request body is required")
    problem(api.post("/v2/serverless", content=b"[" * 100_000 + b"]" * 100_000), 400, "not valid JSON")
