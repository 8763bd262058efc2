"""The GraphQL documents public RunPod clients send for endpoints and templates, replayed unchanged.

Each document in tests/fixtures/graphql_documents is byte for byte what its client sends (see the
README there for sources and versions); the variables are the clients' own examples, with the ids of
endpoints this test made put in place of the examples' (a variable is data, not the document). Each
answer is checked against what the evidence says RunPod answers (the docstring of
emulator/rooms/endpoints/graphql.py names the evidence per rule).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "graphql_documents"
# Template ids the clients' examples use: made with exactly these ids, so documents that inline them
# (runpod-python's) run unchanged.
EXAMPLE_TEMPLATES = ("tpl123abc", "tpl-123", "tpl-456", "tpl456def")


def document(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def variables(name: str, **ids: str) -> dict[str, Any]:
    """A variables file with example ids replaced: ``variables(f, ep123abc=real_id)``."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for example, real in ids.items():
        text = text.replace(json.dumps(example), json.dumps(real))
    return json.loads(text)  # type: ignore[no-any-return]


def post(api: httpx.Client, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> httpx.Response:
    payload: dict[str, Any] = {"query": query, **extra}
    if variables is not None:
        payload["variables"] = variables
    return api.post("/graphql", json=payload)


def data(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


def no_aiapi(response: httpx.Response) -> None:
    """RunPod's answer for an endpoint id the caller cannot see (runpod-mcp 4c8e403)."""
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == ["No AiApi found"]


@pytest.fixture(autouse=True)
def example_templates(api: httpx.Client) -> None:
    for template_id in EXAMPLE_TEMPLATES:
        made = api.post(
            "/_emulator/templates",
            json={"id": template_id, "name": f"t-{template_id}", "image": f"img/{template_id}:1", "serverless": True},
        )
        assert made.status_code == 201


@pytest.fixture
def endpoint(api: httpx.Client) -> dict[str, Any]:
    """An endpoint made from an image (inline template), the way runpod/flash makes them."""
    made = post(
        api, document("flash__saveEndpoint.graphql"), variables("flash__saveEndpoint_create_gpu.variables.json")
    )
    return data(made)["saveEndpoint"]  # type: ignore[no-any-return]


# -- runpod-python 1.12.0: inline literals, no variables -----------------------------------------------
def test_runpod_python_create_endpoint(api: httpx.Client) -> None:
    made = data(post(api, document("runpod-python__create_endpoint.rendered.graphql")))["saveEndpoint"]
    assert made["name"] == "my-endpoint"  # flashBootType never decorates the name
    assert (made["flashBootType"], made["templateId"], made["gpuIds"]) == ("FLASHBOOT", "tpl123abc", "AMPERE_16")
    assert (made["idleTimeout"], made["scalerType"], made["scalerValue"]) == (5, "QUEUE_DELAY", 4)
    assert (made["workersMin"], made["workersMax"], made["gpuCount"]) == (0, 3, 1)
    assert (made["networkVolumeId"], made["locations"], made["allowedCudaVersions"]) == (None, None, None)


def test_runpod_python_create_endpoint_with_every_argument(api: httpx.Client) -> None:
    made = data(post(api, document("runpod-python__create_endpoint_all_args.rendered.graphql")))["saveEndpoint"]
    assert (made["gpuIds"], made["networkVolumeId"], made["locations"]) == ("AMPERE_16,ADA_24", "vol123", "EU-RO-1")
    assert (made["scalerType"], made["scalerValue"], made["workersMin"], made["workersMax"]) == (
        "REQUEST_COUNT",
        2,
        1,
        5,
    )
    assert (made["allowedCudaVersions"], made["gpuCount"], made["flashBootType"]) == ("12.4,12.5", 2, "OFF")


def test_runpod_python_get_endpoints(api: httpx.Client, endpoint: dict[str, Any]) -> None:
    (seen,) = data(post(api, document("runpod-python__get_endpoints.graphql")))["myself"]["endpoints"]
    assert seen["id"] == endpoint["id"]
    assert (seen["type"], seen["workersStandby"], seen["version"]) == ("QB", seen["workersMax"], 1)
    assert seen["env"] == [{"key": "MODEL_NAME", "value": "x"}]
    assert (seen["networkVolume"], seen["userId"].startswith("user_"), seen["createdAt"] is not None) == (
        None,
        True,
        True,
    )


def test_runpod_python_update_endpoint_template_of_an_endpoint_we_cannot_see(api: httpx.Client) -> None:
    """The rendered document names endpoint ``ep123abc``, which does not exist here."""
    no_aiapi(post(api, document("runpod-python__update_endpoint_template.rendered.graphql")))


@pytest.mark.parametrize(
    ("name", "serverless"),
    [
        ("runpod-python__create_template.rendered.graphql", True),
        ("runpod-python__create_template_defaults.rendered.graphql", False),
    ],
)
def test_runpod_python_create_template(api: httpx.Client, name: str, serverless: bool) -> None:
    made = data(post(api, document(name)))["saveTemplate"]
    assert (made["name"], made["imageName"], made["isServerless"], made["containerDiskInGb"]) == (
        "my-template",
        "runpod/worker:1.0",
        serverless,
        10,
    )


# -- runpod/flash ----------------------------------------------------------------------------------------
def test_flash_creates_a_gpu_endpoint_from_an_inline_template(endpoint: dict[str, Any]) -> None:
    assert endpoint["templateId"]  # the template made in the same call
    assert (endpoint["name"], endpoint["type"], endpoint["flashBootType"]) == ("demo-gpu", "QB", "FLASHBOOT")
    assert (endpoint["minCudaVersion"], endpoint["allowedCudaVersions"], endpoint["instanceIds"]) == ("12.8", None, [])
    assert (endpoint["workersStandby"], endpoint["workersMax"], endpoint["executionTimeoutMs"]) == (1, 1, 0)
    assert endpoint["networkVolumeIds"] is None


def test_flash_creates_a_cpu_endpoint_without_gpu_ids(api: httpx.Client) -> None:
    made = post(
        api, document("flash__saveEndpoint.graphql"), variables("flash__saveEndpoint_create_cpu.variables.json")
    )
    seen = data(made)["saveEndpoint"]
    assert (seen["gpuIds"], seen["instanceIds"]) == (None, ["cpu3g-2-8"])


def test_flash_updates_an_endpoint_then_its_template(api: httpx.Client, endpoint: dict[str, Any]) -> None:
    ids = {"ep123abc": endpoint["id"], "tpl123abc": endpoint["templateId"]}
    update = variables("flash__saveEndpoint_update.variables.json", **ids)
    seen = data(post(api, document("flash__saveEndpoint.graphql"), update))["saveEndpoint"]
    assert (seen["id"], seen["workersMax"], seen["templateId"], seen["version"]) == (
        endpoint["id"],
        2,
        endpoint["templateId"],
        1,
    )
    change = variables("flash__saveTemplate_update.variables.json", **ids)
    template = data(post(api, document("flash__saveTemplate.graphql"), change))["saveTemplate"]
    assert template["imageName"] == "runpod/worker-v1-vllm:v2.8.0"
    read = post(api, document("flash__getTemplate.graphql"), {"id": endpoint["templateId"]})
    assert data(read)["podTemplate"]["imageName"] == "runpod/worker-v1-vllm:v2.8.0"
    snapshot = post(api, document("flash__getEndpoint_exists.graphql"), {"id": endpoint["id"]})
    assert data(snapshot)["myself"]["endpoint"] == {"id": endpoint["id"]}
    query = "query($id: String!) { myself { endpoint(id: $id) { version template { imageName } } } }"
    assert data(post(api, query, {"id": endpoint["id"]}))["myself"]["endpoint"] == {
        "version": 2,  # the template change is a release
        "template": {"imageName": "runpod/worker-v1-vllm:v2.8.0"},
    }


def test_flash_existence_check_and_delete(api: httpx.Client, endpoint: dict[str, Any]) -> None:
    no_aiapi(
        post(api, document("flash__getEndpoint_exists.graphql"), variables("flash__getEndpoint_exists.variables.json"))
    )
    refused = post(api, document("flash__deleteEndpoint.graphql"), {"id": endpoint["id"]})
    assert "must both be 0" in refused.json()["errors"][0]["message"]  # workersMax 1 (docs: both must be 0)
    scale = variables("flash__saveEndpoint_update.variables.json", ep123abc=endpoint["id"])
    scale["input"]["workersMax"] = 0
    data(post(api, document("flash__saveEndpoint.graphql"), scale))
    response = post(api, document("flash__deleteEndpoint.graphql"), {"id": endpoint["id"]})
    assert response.json() == {"data": {"deleteEndpoint": None}}
    no_aiapi(post(api, document("flash__getEndpoint_exists.graphql"), {"id": endpoint["id"]}))


# -- runpodctl ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "compute"),
    [
        ("runpodctl__CreateEndpointGQL__template_gpu.variables.json", "GPU"),
        ("runpodctl__CreateEndpointGQL__cpu.variables.json", "CPU"),
        ("runpodctl__CreateEndpointGQL__hub_inline_template.variables.json", "GPU"),
        ("runpodctl__CreateEndpointGQL__volumes_scaling.variables.json", "GPU"),
    ],
)
def test_runpodctl_create(api: httpx.Client, name: str, compute: str) -> None:
    sent = variables(name)["input"]
    made = data(post(api, document("runpodctl__CreateEndpointGQL.graphql"), variables(name)))["saveEndpoint"]
    assert made["computeType"] == compute
    assert made["flashBootType"] == sent["flashBootType"]  # "flashBootType OFF/FLASHBOOT echo" (PR 284)
    if compute == "CPU":
        assert (made["gpuIds"], made["instanceIds"]) == (None, ["cpu3g-4-16"])
    if "networkVolumeIds" in sent:
        assert [v["networkVolumeId"] for v in made["networkVolumeIds"]] == ["vol-1", "vol-2"]
    assert made["workersMin"] == sent.get("workersMin", 0)


def test_runpodctl_update_models_echoes_the_whole_record(api: httpx.Client, endpoint: dict[str, Any]) -> None:
    sent = variables("runpodctl__UpdateEndpointModels.variables.json", **{"ep-123": endpoint["id"]})
    seen = data(post(api, document("runpodctl__UpdateEndpointModels.graphql"), sent))["saveEndpoint"]
    assert seen["templateId"] == endpoint["templateId"]  # templateId is read on create only
    assert seen["modelReferences"] == ["https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct:main"]
    assert (seen["minCudaVersion"], seen["locations"], seen["networkVolumeIds"]) == (None, None, None)
    assert (seen["idleTimeout"], seen["scalerValue"], seen["workersMax"]) == (42, 9, 5)


@pytest.mark.parametrize(
    ("document_name", "variables_name", "example_endpoint", "template_id"),
    [
        (
            "runpodctl__UpdateEndpointTemplate.graphql",
            "runpodctl__UpdateEndpointTemplate.variables.json",
            "ep-123",
            "tpl-456",
        ),
        (
            "runpodctl_legacy__UpdateEndpointTemplate.graphql",
            "runpodctl_legacy__UpdateEndpointTemplate.variables.json",
            "ep123abc",
            "tpl456def",
        ),
    ],
)
def test_runpodctl_update_endpoint_template_with_a_nullable_input(
    api: httpx.Client,
    endpoint: dict[str, Any],
    document_name: str,
    variables_name: str,
    example_endpoint: str,
    template_id: str,
) -> None:
    sent = variables(variables_name, **{example_endpoint: endpoint["id"]})
    seen = data(post(api, document(document_name), sent))["updateEndpointTemplate"]
    assert seen == {"id": endpoint["id"], "templateId": template_id}


def test_runpodctl_legacy_deploy(api: httpx.Client) -> None:
    template = data(
        post(
            api,
            document("runpodctl_legacy__saveTemplate.graphql"),
            variables("runpodctl_legacy__saveTemplate.variables.json"),
        )
    )["saveTemplate"]
    assert (template["volumeMountPath"], template["startSsh"]) == ("/runpod-volume", True)
    made = post(
        api,
        document("runpodctl_legacy__CreateEndpoint.graphql"),
        variables("runpodctl_legacy__CreateEndpoint.variables.json"),
    )
    assert data(made)["saveEndpoint"]["templateId"] == "tpl123abc"  # modelReferences: null accepted
    (listed,) = data(post(api, document("runpodctl_legacy__GetEndpoints.graphql"), {}))["myself"]["endpoints"]
    assert listed["workersStandby"] == listed["workersMax"] == 3


# -- runpod-mcp --------------------------------------------------------------------------------------------
def test_runpod_mcp_credential_check(api: httpx.Client) -> None:
    assert data(post(api, document("runpod-mcp__credential-check.graphql"), {}))["myself"]["id"].startswith("user_")


def test_runpod_mcp_snapshot_of_a_typo_is_no_aiapi_with_myself_null(api: httpx.Client) -> None:
    response = post(
        api,
        document("runpod-mcp_4c8e403__EndpointSnapshot.graphql"),
        variables("runpod-mcp_4c8e403__EndpointSnapshot.variables.json"),
    )
    no_aiapi(response)
    assert response.json()["data"] == {"myself": None}


def test_runpod_mcp_gpu_echo_update(api: httpx.Client, endpoint: dict[str, Any]) -> None:
    gpus = post(api, document("runpod-mcp_4c8e403__EndpointGpuIds.graphql"), {"id": endpoint["id"]})
    assert data(gpus)["myself"]["endpoint"]["gpuIds"] == endpoint["gpuIds"]
    sent = variables("runpod-mcp_4c8e403__saveEndpoint.variables.json", ep123abc=endpoint["id"])
    seen = data(post(api, document("runpod-mcp_4c8e403__saveEndpoint.graphql"), sent))["saveEndpoint"]
    assert (seen["gpuIds"], seen["workersMax"]) == ("AMPERE_16,-NVIDIA RTX A4500", 7)
    snapshot = post(api, document("runpod-mcp_4c8e403__EndpointSnapshot.graphql"), {"id": endpoint["id"]})
    seen = data(snapshot)["myself"]["endpoint"]
    assert (seen["idleTimeout"], seen["scalerValue"], seen["minCudaVersion"], seen["requestTTL"]) == (
        42,
        9,
        "12.4",
        None,
    )


@pytest.mark.parametrize(
    "name",
    [
        "runpod-mcp__set-endpoint-gpus__saveEndpoint.variables.json",
        "runpod-mcp__set-endpoint-gpus__saveEndpoint__with_volume.variables.json",
    ],
)
def test_runpod_mcp_set_endpoint_gpus(api: httpx.Client, endpoint: dict[str, Any], name: str) -> None:
    (listed,) = data(post(api, document("runpod-mcp__set-endpoint-gpus__read.graphql"), {}))["myself"]["endpoints"]
    assert (listed["compliance"], listed["modelReferences"], listed["networkVolumeIds"]) == ([], [], None)
    sent = variables(name, ep123abc=endpoint["id"])
    seen = data(post(api, document("runpod-mcp__set-endpoint-gpus__saveEndpoint.graphql"), sent))["saveEndpoint"]
    assert seen["gpuIds"] == sent["input"]["gpuIds"]
    (after,) = data(post(api, document("runpod-mcp__set-endpoint-gpus__read.graphql"), {}))["myself"]["endpoints"]
    assert after["templateId"] == endpoint["templateId"]  # the echoed templateId is ignored on update
    assert after["compliance"] == sent["input"].get("compliance", [])


def test_runpod_mcp_deploy_hub_repo(api: httpx.Client) -> None:
    sent = variables("runpod-mcp__deploy-hub-repo__saveEndpoint.variables.json")
    made = data(post(api, document("runpod-mcp__deploy-hub-repo__saveEndpoint.graphql"), sent))["saveEndpoint"]
    assert made["templateId"]
    assert made["workersMax"] == 3  # sent as null: the resolver's fallback (assumed; no record either way)
    assert (made["idleTimeout"], made["flashBootType"], made["name"]) == (5, "FLASHBOOT", "vLLM v2.7.0")


# -- pulumi-runpod (genqlient) -----------------------------------------------------------------------------
def test_pulumi_runpod_endpoint_operations(api: httpx.Client) -> None:
    operations = document("pulumi-runpod__endpoint_operations.graphql")
    sent = variables("pulumi-runpod__SaveEndpoint.variables.json")
    made = data(post(api, operations, sent, operationName="SaveEndpoint"))["saveEndpoint"]
    assert (made["instanceIds"], made["networkVolumeIds"], made["env"], made["modelReferences"]) == ([], None, [], [])
    listed = data(post(api, operations, {}, operationName="GetMyEndpoints"))["myself"]["endpoints"]
    assert [e["id"] for e in listed] == [made["id"]]
    no_aiapi(
        post(api, operations, variables("pulumi-runpod__DeleteEndpoint.variables.json"), operationName="DeleteEndpoint")
    )
    deleted = post(api, operations, {"id": made["id"]}, operationName="DeleteEndpoint")
    assert "must both be 0" in deleted.json()["errors"][0]["message"]  # workersMax 3: scale to zero first


def test_pulumi_runpod_template_operations(api: httpx.Client) -> None:
    operations = document("pulumi-runpod__template_operations.graphql")
    listed = data(post(api, operations, {}, operationName="GetMyTemplates"))["myself"]["podTemplates"]
    assert {t["id"] for t in listed} == set(EXAMPLE_TEMPLATES)
    deleted = post(api, operations, {"templateName": "t-tpl-123"}, operationName="DeleteTemplate")
    assert deleted.json() == {"data": {"deleteTemplate": None}}


# -- Tensor One's docs (against the tensorone flavor) ---------------------------------------------------------
def test_tensorone_docs_examples(t1_api: httpx.Client) -> None:
    made = t1_api.post("/_emulator/templates", json={"id": "xkhgg72fuo", "name": "t", "image": "img:1"})
    assert made.status_code == 201
    created = data(post(t1_api, document("tensorone-docs__create.graphql")))["saveEndpoint"]
    assert (created["name"], created["locations"], created["templateId"]) == (
        "Generated Endpoint -fb",
        "US",
        "xkhgg72fuo",
    )
    no_aiapi(post(t1_api, document("tensorone-docs__modify.graphql")))  # the docs' id is not one of ours
    no_aiapi(post(t1_api, document("tensorone-docs__delete.graphql")))
    listed = data(post(t1_api, document("tensorone-docs__list.graphql"), operationName="Endpoints"))["myself"]
    assert [e["id"] for e in listed["endpoints"]] == [created["id"]]
    assert listed["endpoints"][0]["clusters"] == []
