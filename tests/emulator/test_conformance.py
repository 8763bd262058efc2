"""Property-based conformance of the emulator against RunPod's v2 OpenAPI document.

schemathesis generates requests from the spec for every serverless, catalog, template, network
volume and registry operation, and for listing and reading pods (the pods the run declares
through the control API) (valid and invalid ones, a fixed seed, a bounded number of examples), sends them to the
emulator's ASGI app in-process, and checks every answer against the spec: status codes,
content types, headers and response schemas. On top of that, no schema-valid request may be
refused unless a rule the spec states in prose (or QUIRKS.md, where the live API differs)
says so: ``DOCUMENTED_REFUSALS`` lists each such rule with where it is written.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
)

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.conftest import API_KEY

AUTH = {"Authorization": f"Bearer {API_KEY}"}


@dataclass(frozen=True)
class Refusal:
    """A refusal of a schema-valid request that a documented rule allows."""

    status: int
    pattern: str
    """Found in the problem's detail or errors."""
    rule: str
    """The rule, quoted from where it is written."""


DOCUMENTED_REFUSALS = [
    Refusal(
        400,
        r"specify exactly one of gpu or cpu",
        "createEndpoint: 'Callers specify exactly one of gpu or cpu; neither or both returns 400.'",
    ),
    Refusal(
        400,
        r"cannot be set on a (CPU|GPU) endpoint|send gpu or cpu, not both",
        "updateEndpoint: '`gpu` on CPU, `cpu` on GPU, or both fields returns 400.'",
    ),
    Refusal(
        400,
        r"allowedCudaVersions and gpu.minCudaVersion are mutually exclusive",
        "CreateEndpointGpuConfig / UpdateEndpointGpuConfig: 'A non-empty set is mutually exclusive with "
        "minCudaVersion (400 if both are sent)'; 'Setting one does not clear the other'",
    ),
    Refusal(
        400,
        r"gpu.excludedTypes",
        "BaseEndpointGpuConfig.excludedTypes: 'Rejected with 400 if a value is not a GPU type in one of pools'; "
        "createEndpoint: 'upstream rejects a selection that leaves none'",
    ),
    Refusal(
        400,
        r"unknown GPU pool",
        "BaseEndpointGpuConfig.pools: 'Serverless GPU pool IDs (as returned by GET /v2/catalog/gpus in pool)'",
    ),
    Refusal(
        400, r"unknown CPU flavor", "BaseCpuConfig.id: 'CPU flavor identifier, as returned by GET /v2/catalog/cpus'"
    ),
    Refusal(
        400,
        r"vcpuCount",
        "BaseCpuConfig.vcpuCount: 'Must be valid for the selected CPU flavor and must be a power of two'; "
        "CpuVCPUCountFilter: 'Must be a power of two'",
    ),
    Refusal(
        400,
        r"unknown data center",
        "createEndpoint: data centers come from 'List data centers -- locations to constrain with dataCenterIds'",
    ),
    Refusal(
        400,
        r"cannot be greater than workers.max",
        "EndpointWorkers: min is the 'Minimum number of workers', max the 'Maximum number of workers'",
    ),
    Refusal(
        422,
        r"idleTimeout does not apply",
        "EndpointWorkers.idleTimeout: 'rejected on create/update' for a QUEUE endpoint scaling on requestCount; "
        "QUIRKS.md (REST v2): a 422",
    ),
    Refusal(
        422,
        r"load-balancing endpoints scale on request count",
        "EndpointScaling: 'QUEUE_DELAY (queue-based endpoints only)'; RequestCountScaling: 'Required for "
        "load-balancing endpoints'",
    ),
    Refusal(
        422,
        r"must be <= (2147483647|3\.40)",
        "numbers RunPod's backend cannot hold: its GraphQL Int is a signed 32-bit integer (the v2 front door "
        "writes through it); the spec's 'format: float'",
    ),
    Refusal(
        400,
        r"product is required with include=AVAILABILITY",
        "GpuProductFilter / CpuProductFilter: 'Required with include=AVAILABILITY, and valid only with it "
        "(400 either way)'",
    ),
    Refusal(
        400,
        r"valid only with include=AVAILABILITY",
        "GpuProductFilter, GpuCountFilter, GpuCloudFilter, CountryCodesFilter, CudaVersionsFilter, "
        "MinCudaVersionFilter, CpuVCPUCountFilter: 'Valid only with include=AVAILABILITY'",
    ),
    Refusal(
        400,
        r"cudaVersions and minCudaVersion are mutually exclusive",
        "CudaVersionsFilter / MinCudaVersionFilter: 'mutually exclusive with minCudaVersion (400 if both are sent)'",
    ),
    Refusal(
        400,
        r"^registry: no registry credential",
        "ContainerConfig.registry: 'Container registry credential ID (for private images)' -- an id of the "
        "account's credentials (the status is the emulator's guess: the spec lists 400 for rule conflicts)",
    ),
    Refusal(
        400,
        r"template names are unique per account",
        "runpod/docs sdks/graphql/manage-pod-templates.md: 'Template names must be unique as well'; REST v1 "
        "Template.name: 'The name needs to be unique'",
    ),
    Refusal(
        400,
        r"data centers with network volumes: |does not offer \w+ network volumes; it offers",
        "DataCenter.networkVolumeTypes: 'Network volume tiers this DC supports. Empty = none.'; runpod-migrate "
        "rest-v1-to-v2.md: 'Not every datacenter supports volumes -- a bad one returns 400'",
    ),
    Refusal(
        400,
        r"a network volume cannot shrink",
        "updateNetworkVolume: '`size` may only increase; attempts to reduce size will be rejected' (400)",
    ),
]

emulator = Emulator(api_key=API_KEY, clock=ManualClock(), rng=random.Random(1129))
SETUP = httpx.Client(transport=emulator.transport(), base_url="http://emulator", headers=AUTH)
"""Creates the endpoint each example may aim at (not part of the run)."""
schema = (
    schemathesis.openapi.from_asgi("/v2/openapi.json", emulator.app)
    .include(
        path_regex=r"^/v2/(serverless|catalog/(gpus|cpus|datacenters)|templates|network-volumes|registries(/\{id\})?$"
        r"|pods(/\{id\})?$)"
    )
    .exclude(operation_id=["createPod", "updatePod", "deletePod"])  # pods are declared, not made through the API
)
# ``format: uri`` is not enforced: the spec's own examples put ``{job_id}`` templates in
# ``requestUrls`` (QueueBasedRequestUrls), which RFC 3986 does not allow in a URI; the emulator
# answers as the examples show. ``date-time`` is checked below instead.
schema.config.checks.response_schema_conformance.validate_formats = False
# Requests carry the key themselves (below), and unknown query parameters are ignored as the live
# API does (breaking-changes.md, "Class 1"): neither is generated as "invalid" input.
schema.config.generation.update(with_security_parameters=False, allow_extra_parameters=False)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


SEEN: Counter[tuple[str, str, int]] = Counter()
"""(operationId, generation mode, status) of every answer in the run."""


def documented_refusals(ctx: Any, response: Any, case: Any) -> None:
    """A schema-valid request refused (other than 404, an id that does not exist) must match
    a documented rule."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return
    if response.status_code == 404:
        return
    body = response.json()
    text = f"{body.get('detail', '')} {' '.join(body.get('errors', []))}"
    for refusal in DOCUMENTED_REFUSALS:
        if response.status_code == refusal.status and re.search(refusal.pattern, text):
            return
    raise AssertionError(f"a schema-valid request was refused by no documented rule: {response.status_code} {text}")


def timestamps_are_rfc3339(ctx: Any, response: Any, case: Any) -> None:
    """What ``format: date-time`` asks of createdAt / startedAt, checked here (see above)."""
    if not response.headers.get("content-type", [""])[0].startswith("application/json"):
        return

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("createdAt", "startedAt") and item is not None:
                    assert RFC3339.match(item), f"{key} {item!r} is not RFC 3339"
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(response.json())


SSE_EVENT = re.compile(r"^id: (\S+)\ndata: (\{.*\})$")


def negative_data_rejection_unless_ambiguous(ctx: Any, response: Any, case: Any) -> Any:
    """Invalid requests must be refused -- except an empty form value: ``include=`` is both the
    valid empty list and the invalid list ``[""]`` (form style, explode false), and the emulator
    reads it as the empty list."""
    if any(value in ("", [], [""]) for value in (case.query or {}).values()):
        return None
    return negative_data_rejection(ctx, response, case)


def sse_events_as_documented(ctx: Any, response: Any, case: Any) -> None:
    """getWorkerLogs: the spec's schema is ``type: string`` for the whole stream, which schemathesis
    applies to each parsed event; the prose says each event is an ``id:`` line and a JSON ``data:``
    payload with source, line and ts, as the spec's example shows. That is checked here instead."""
    if response.status_code != 200:
        return
    for event in filter(None, response.text.split("\n\n")):
        match = SSE_EVENT.match(event)
        assert match, f"not an SSE event with id and data: {event!r}"
        data = json.loads(match.group(2))
        assert set(data) == {"ts", "source", "line"} and data["source"] in ("container", "system")
        assert RFC3339.match(data["ts"]) and match.group(1).startswith(data["ts"])


STEER = Counter[str]()


def steer(case: Any) -> None:
    """Every other example, aim the generated request at things that exist and mend what the
    prose forbids (pools, flavors and data centers from the catalog, one compute family...), so
    real endpoints, workers and catalog items -- success answers of every shape -- are checked
    against the spec as well as the refusals. The other half go out exactly as generated."""
    emulator.reset()
    setup = {
        "name": "g",
        "type": "QUEUE",
        "image": "i",
        "gpu": {"pools": ["ADA_24"]},
        "scaling": {"type": "QUEUE_DELAY", "queueDelay": 1},
        "workers": {"min": 1, "max": 2},
    }
    endpoint_id = SETUP.post("/v2/serverless", json=setup).json()["id"]
    registry_id = SETUP.post("/v2/registries", json={"name": "setup-registry", "username": "u", "password": "p"})
    registry_id = registry_id.json()["id"]
    template_id = SETUP.post("/v2/templates", json={"name": "setup-template", "image": "i"}).json()["id"]
    volume_id = SETUP.post(
        "/v2/network-volumes", json={"name": "setup-volume", "size": 10, "dataCenter": "US-KS-2"}
    ).json()["id"]
    # The pod uses a template and a credential of its own: those it uses cannot be deleted.
    pod_registry = SETUP.post("/v2/registries", json={"name": "setup-pod-registry", "username": "u", "password": "p"})
    pod_template = SETUP.post(
        "/v2/templates", json={"name": "setup-pod-template", "image": "i", "ports": ["8888/http", "22/tcp"]}
    )
    pod = {"name": "setup-pod", "templateId": pod_template.json()["id"], "registry": pod_registry.json()["id"],
           "networkVolumeId": volume_id}  # fmt: skip
    owned = {
        "/v2/serverless": endpoint_id,
        "/v2/registries": registry_id,
        "/v2/templates": template_id,
        "/v2/network-volumes": volume_id,
        "/v2/pods": SETUP.post("/_emulator/pods", json=pod).json()["id"],
    }
    operation = case.operation.definition.raw["operationId"]
    STEER[operation] += 1
    if STEER[operation] % 2:
        return
    path, params = case.operation.path, case.path_parameters or {}
    if "id" in params:
        collection = "/".join(path.split("/")[:3])
        if collection in owned:
            params["id"] = owned[collection]
        else:
            params["id"] = {"gpus": "NVIDIA L4", "cpus": "cpu3c"}.get(path.split("/")[3], "US-KS-2")
    if "workerId" in params:
        params["workerId"] = f"{endpoint_id}-1-0"
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return  # invalid requests stay invalid
    if isinstance(case.body, dict) and operation in ("createEndpoint", "updateEndpoint"):
        _mend_body(case.body, operation)
    if isinstance(case.body, dict) and operation in ("createTemplate", "updateTemplate"):
        if case.body.get("registry") is not None:
            case.body["registry"] = registry_id
        if case.body.get("name", "").startswith("setup-"):
            case.body["name"] = "x" + case.body["name"]
    if isinstance(case.body, dict) and operation == "createNetworkVolume":
        case.body["dataCenter"] = "US-KS-2"  # offers both tiers
    if isinstance(case.query, dict) and case.query:
        _mend_catalog_query(case.query)


def _mend_body(body: dict[str, Any], operation: str) -> None:
    if operation == "createEndpoint" and "gpu" in body and "cpu" in body:
        del body["cpu"]
    if operation == "updateEndpoint":
        body.pop("cpu", None)  # the endpoint above is a GPU endpoint
    gpu = body.get("gpu")
    if isinstance(gpu, dict):
        if "pools" in gpu:
            gpu["pools"] = ["AMPERE_24"]
            gpu["excludedTypes"] = ["NVIDIA L4"] if gpu.get("excludedTypes") else []
        if gpu.get("allowedCudaVersions") and gpu.get("minCudaVersion"):
            del gpu["minCudaVersion"]
        if operation == "updateEndpoint" and gpu.get("allowedCudaVersions") and "minCudaVersion" not in gpu:
            gpu["minCudaVersion"] = ""
    for index, item in enumerate(body.get("cpu") or []):
        item.update(id="cpu3g", vcpuCount=2 ** (index + 1))
    if "dataCenterIds" in body:
        body["dataCenterIds"] = ["EU-RO-1"][: len(body["dataCenterIds"])]
    body.pop("templateId", None)
    if operation == "createEndpoint":
        body.setdefault("image", "img")
    workers = body.get("workers")
    if isinstance(workers, dict):
        workers["min"] = 0
        workers["max"] = max(2, min(workers.get("max", 2), 100))
        if body.get("type") == "QUEUE" and body.get("scaling", {}).get("type") == "REQUEST_COUNT":
            workers.pop("idleTimeout", None)
    scaling = body.get("scaling")
    if operation == "updateEndpoint" and isinstance(scaling, dict) and scaling.get("type") == "REQUEST_COUNT":
        body.setdefault("workers", {}).pop("idleTimeout", None)


def _mend_catalog_query(query: dict[str, Any]) -> None:
    if "include" not in query:
        query.clear()
        return
    if not query.get("product"):
        query["product"] = ["SERVERLESS"]
    if "cudaVersions" in query and "minCudaVersion" in query:
        del query["minCudaVersion"]
    if "vcpuCount" in query:
        query["vcpuCount"] = 4


@pytest.fixture(scope="module", autouse=True)
def _close_setup_client() -> Any:
    yield
    SETUP.close()


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_emulator_conforms_to_the_v2_spec(case: Any) -> None:
    steer(case)
    response = case.call(headers=AUTH)
    mode = case.meta.generation.mode.value if case.meta else "explicit"
    SEEN[(case.operation.definition.raw["operationId"], mode, response.status_code)] += 1
    excluded = [positive_data_acceptance, negative_data_rejection]
    additional = [documented_refusals, negative_data_rejection_unless_ambiguous, timestamps_are_rfc3339]
    if case.operation.path.endswith("/logs"):
        excluded.append(response_schema_conformance)
        additional.append(sse_events_as_documented)
    if case.operation.path.startswith("/v2/pods"):
        # Only listPods and getPod are served at these paths: an OPTIONS is a 405 whose Allow lists
        # GET and HEAD, what the emulator supports, not the spec's createPod/updatePod/deletePod too.
        excluded.append(allow_header_conformance)
    case.validate_response(response, headers=AUTH, excluded_checks=excluded, additional_checks=additional)


def test_the_run_covers_every_operation_the_emulator_serves() -> None:
    covered = {
        result.ok().definition.raw["operationId"] for result in schema.get_all_operations() if result.ok() is not None
    }
    assert covered == {
        "listEndpoints", "createEndpoint", "getEndpoint", "updateEndpoint", "deleteEndpoint",
        "listEndpointWorkers", "listEndpointReleases", "getWorkerLogs",
        "listGpuTypes", "getGpuType", "listCpuTypes", "getCpuType", "listDataCenters", "getDataCenter",
        "listTemplates", "createTemplate", "getTemplate", "updateTemplate", "deleteTemplate",
        "listNetworkVolumes", "createNetworkVolume", "getNetworkVolume", "updateNetworkVolume",
        "deleteNetworkVolume", "listRegistries", "createRegistry", "getRegistry", "deleteRegistry",
        "listPods", "getPod",
    }  # fmt: skip


def test_the_run_saw_every_operation_succeed(capsys: Any) -> None:
    """Runs after the conformance test (file order): the run must have seen each operation
    answer with success, so success shapes were checked too, not only errors."""
    if not SEEN:
        pytest.skip("the conformance run did not run in this session")
    operations = {operation for operation, _mode, _status in SEEN}
    succeeded = {operation for operation, _mode, status in SEEN if status < 300}
    assert succeeded == operations
    total = sum(SEEN.values())
    ok = sum(count for (_op, _mode, status), count in SEEN.items() if status < 300)
    with capsys.disabled():
        print(
            f"\nconformance: {total} requests over {len(operations)} operations, {ok} answered 2xx, "
            f"{total - ok} refused; no answer violates the spec"
        )
