"""GraphQL (RunPod and Tensor One flavors) on the same canonical endpoints as REST v2, answering as
RunPod does per the evidence of issue 11 (see the docstring of emulator/rooms/endpoints/graphql.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator
from tests.conftest import API_KEY
from tests.emulator.helpers import cpu_body, create, gpu_body

FIELDS = """id name type gpuIds gpuCount idleTimeout locations networkVolumeId scalerType scalerValue templateId
  workersMin workersMax workersStandby executionTimeoutMs minCudaVersion allowedCudaVersions instanceIds computeType
  createdAt version env { key value } flashBootType networkVolumeIds { networkVolumeId } requestTTL compliance
  modelReferences template { id imageName env { key value } boundEndpointId }"""
SAVE = f"mutation Save($input: EndpointInput!) {{ saveEndpoint(input: $input) {{ {FIELDS} }} }}"
READ = f"query($id: String!) {{ myself {{ endpoint(id: $id) {{ {FIELDS} }} }} }}"
DELETE = "mutation($id: String!) { deleteEndpoint(id: $id) }"
UPDATE_TEMPLATE = (
    "mutation Mutation($input: UpdateEndpointTemplateInput) { updateEndpointTemplate(input: $input) "
    "{ id templateId version template { imageName } } }"
)
SAVE_TEMPLATE = (
    "mutation saveTemplate($input: SaveTemplateInput) { saveTemplate(input: $input) "
    "{ id name imageName env { key value } boundEndpointId } }"
)
INLINE = {"name": "svc__t", "imageName": "img:1", "containerDiskInGb": 10, "dockerArgs": "", "env": [], "config": {}}


def gql(http: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    return http.post("/graphql", json={"query": query, "variables": variables or {}})


def save(http: httpx.Client, data: dict[str, Any]) -> dict[str, Any]:
    return gql(http, SAVE, {"input": data}).json()  # type: ignore[no-any-return]


def saved(http: httpx.Client, data: dict[str, Any]) -> dict[str, Any]:
    answer = save(http, data)
    assert "errors" not in answer, answer
    return answer["data"]["saveEndpoint"]  # type: ignore[no-any-return]


def read(http: httpx.Client, endpoint_id: str) -> dict[str, Any]:
    answer = gql(http, READ, {"id": endpoint_id}).json()
    assert "errors" not in answer, answer
    return answer["data"]["myself"]["endpoint"]  # type: ignore[no-any-return]


def template(http: httpx.Client, image: str = "img:3", env: dict[str, str] | None = None) -> str:
    made = http.post(
        "/_emulator/templates", json={"name": f"t-{image}", "image": image, "env": env or {}, "serverless": True}
    )
    return str(made.json()["id"])


@pytest.fixture
def base(api: httpx.Client) -> dict[str, Any]:
    """A create input from a template: name, templateId, gpuIds (what Tensor One's docs require)."""
    return {"name": "svc", "templateId": template(api), "gpuIds": "AMPERE_16"}


# -- the two APIs share one record ----------------------------------------------------------------
def test_a_v2_endpoint_read_through_graphql(api: httpx.Client) -> None:
    made = create(
        api,
        gpu_body(
            gpu={"pools": ["AMPERE_24"], "excludedTypes": ["NVIDIA L4"], "count": 2, "allowedCudaVersions": ["12.8"]},
            env={"A": "1"},
            dataCenterIds=["US-KS-2", "EU-RO-1"],
            networkVolumes=["vol1"],
            workers={"min": 0, "max": 5, "idleTimeout": 30},
            timeout=600000,
            flashboot="FLASHBOOT",
        ),
    )
    seen = read(api, made["id"])
    assert seen["gpuIds"] == "AMPERE_24,-NVIDIA L4"
    assert (seen["gpuCount"], seen["allowedCudaVersions"], seen["minCudaVersion"]) == (2, "12.8", None)
    assert seen["locations"] == "US-KS-2,EU-RO-1"
    assert (seen["networkVolumeId"], seen["networkVolumeIds"]) == ("vol1", [{"networkVolumeId": "vol1"}])
    assert seen["env"] == [{"key": "A", "value": "1"}]
    assert (seen["workersMin"], seen["workersMax"], seen["idleTimeout"]) == (0, 5, 30)
    assert (seen["scalerType"], seen["scalerValue"], seen["executionTimeoutMs"]) == ("QUEUE_DELAY", 4, 600000)
    assert (seen["flashBootType"], seen["computeType"], seen["version"], seen["type"]) == ("FLASHBOOT", "GPU", 1, "QB")
    assert (seen["instanceIds"], seen["compliance"], seen["modelReferences"]) == ([], [], [])
    assert seen["createdAt"] == made["createdAt"]
    assert seen["templateId"] == seen["template"]["id"]  # the bound template, which v2 reads do not show
    assert seen["template"]["imageName"] == "runpod/worker:1"


def test_a_v2_cpu_endpoint_has_instance_ids_and_no_gpu_ids(api: httpx.Client) -> None:
    made = create(api, cpu_body(cpu=[{"id": "cpu3g", "vcpuCount": 4}, {"id": "cpu3c", "vcpuCount": 8}]))
    seen = read(api, made["id"])
    assert (seen["instanceIds"], seen["computeType"], seen["gpuIds"]) == (["cpu3g-4-16", "cpu3c-8-16"], "CPU", None)


def test_a_graphql_endpoint_read_through_v2(api: httpx.Client) -> None:
    data = {
        "name": "svc",
        "templateId": template(api, "img:3", {"K": "v"}),
        "gpuIds": "AMPERE_24,-NVIDIA L4",
        "locations": "EU-RO-1",
        "networkVolumeIds": [{"networkVolumeId": "v9"}],
        "allowedCudaVersions": "12.4,12.8",
        "executionTimeoutMs": 1000,
        "scalerType": "REQUEST_COUNT",
        "scalerValue": 3,
    }
    seen = api.get(f"/v2/serverless/{saved(api, data)['id']}").json()
    assert seen["gpu"] == {
        "pools": ["AMPERE_24"],
        "excludedTypes": ["NVIDIA L4"],
        "count": 1,
        "allowedCudaVersions": ["12.4", "12.8"],
        "minCudaVersion": None,
    }
    assert (seen["dataCenterIds"], seen["networkVolumes"], seen["env"]) == (["EU-RO-1"], ["v9"], {"K": "v"})
    assert (seen["timeout"], seen["image"]) == (1000, "img:3")
    assert seen["scaling"] == {"type": "REQUEST_COUNT", "requestCount": 3}
    assert "templateId" not in seen


def test_a_graphql_cpu_endpoint_read_through_v2(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(api, {**base, "gpuIds": None, "instanceIds": ["cpu3g-4-16"]})
    assert api.get(f"/v2/serverless/{made['id']}").json()["cpu"] == [{"id": "cpu3g", "vcpuCount": 4, "memory": 16}]


# -- unknown ids: "No AiApi found" ------------------------------------------------------------------
def test_an_unknown_endpoint_is_no_aiapi_found_and_myself_null(api: httpx.Client) -> None:
    response = gql(api, 'query { myself { endpoint(id: "nope") { id } } }')
    assert response.status_code == 200
    body = response.json()
    assert [e["message"] for e in body["errors"]] == ["No AiApi found"]
    assert body["data"] == {"myself": None}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (SAVE, {"input": {"id": "nope", "name": "svc", "gpuIds": "AMPERE_16"}}),
        (DELETE, {"id": "nope"}),
        (UPDATE_TEMPLATE, {"input": {"endpointId": "nope", "templateId": "whatever"}}),
    ],
    ids=["saveEndpoint", "deleteEndpoint", "updateEndpointTemplate"],
)
def test_every_endpoint_resolver_says_no_aiapi_found_for_an_unknown_id(
    api: httpx.Client, query: str, variables: dict[str, Any]
) -> None:
    response = gql(api, query, variables)
    assert response.status_code == 200
    assert [e["message"] for e in response.json()["errors"]] == ["No AiApi found"]


def test_a_key_without_user_gets_myself_null_and_no_errors(emulator: Emulator, api: httpx.Client) -> None:
    emulator.settings.keys_without_user = {API_KEY}
    response = gql(api, "{ myself { endpoints { id } } }")
    assert (response.status_code, response.json()) == (200, {"data": {"myself": None}})


def test_the_api_key_query_parameter_is_accepted(emulator: Emulator) -> None:
    with httpx.Client(transport=emulator.transport(), base_url="http://emu") as client:
        response = client.post(f"/graphql?api_key={API_KEY}", json={"query": "{ myself { id } }"})
    assert response.json()["data"]["myself"]["id"].startswith("user_")


# -- saveEndpoint with an id --------------------------------------------------------------------------
def test_an_update_resets_what_has_a_default_and_keeps_the_rest(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(
        api,
        {
            **base,
            "gpuIds": "AMPERE_16",
            "gpuCount": 2,
            "idleTimeout": 42,
            "scalerType": "REQUEST_COUNT",
            "scalerValue": 9,
            "workersMin": 1,
            "workersMax": 7,
            "locations": "EU-RO-1",
            "allowedCudaVersions": "12.4",
            "executionTimeoutMs": 5000,
            "requestTTL": 60000,
            "compliance": ["GDPR"],
            "modelReferences": ["https://huggingface.co/org/model:main"],
            "networkVolumeIds": [{"networkVolumeId": "v1"}],
            "type": "LB",
            "flashBootType": "FLASHBOOT",
        },
    )
    after = saved(api, {"id": made["id"], "name": "svc", "gpuIds": "ADA_24"})
    # reset: the input's defaults (runpodctl PR 281, runpod-mcp 8b80863, measured live) and the resolver's
    resets = ("idleTimeout", "scalerValue", "workersMax", "workersMin", "gpuCount", "scalerType", "locations")
    assert {k: after[k] for k in resets} == {
        "idleTimeout": 10,
        "scalerValue": 4,
        "workersMax": 3,
        "workersMin": 0,
        "gpuCount": 1,
        "scalerType": "QUEUE_DELAY",
        "locations": None,
    }
    kept = ("templateId", "allowedCudaVersions", "executionTimeoutMs", "requestTTL", "compliance", "modelReferences",
            "networkVolumeIds", "type", "flashBootType", "template")  # fmt: skip
    assert {k: after[k] for k in kept} == {k: made[k] for k in kept}
    assert after["gpuIds"] == "ADA_24"


def test_an_update_ignores_template_id_template_and_env(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(api, base)
    other = template(api, "other:9")
    env = [{"key": "X", "value": "1"}]
    after = saved(api, {"id": made["id"], "name": "svc", "gpuIds": "AMPERE_16", "templateId": other, "env": env})
    assert (after["templateId"], after["template"]["imageName"], after["env"]) == (base["templateId"], "img:3", [])
    after = saved(api, {"id": made["id"], "name": "svc", "gpuIds": "AMPERE_16", "template": INLINE})
    assert after["templateId"] == base["templateId"]


def test_workers_standby_is_forced_to_workers_max_and_is_no_input(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(api, {**base, "workersMin": 0, "workersMax": 5})
    assert made["workersStandby"] == 5
    assert saved(api, {**base, "id": made["id"], "workersMax": 2})["workersStandby"] == 2
    refused = gql(api, SAVE, {"input": {**base, "workersStandby": 0}})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"].endswith(
        'Field "workersStandby" is not defined by type "EndpointInput". Did you mean "workersMax" or "workersMin"?'
    )


def test_a_save_that_changes_what_workers_run_is_a_release(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, base)["id"]
    saved(api, {**base, "id": endpoint_id, "workersMax": 5})
    assert read(api, endpoint_id)["version"] == 1
    saved(api, {**base, "id": endpoint_id, "gpuIds": "ADA_24"})
    assert read(api, endpoint_id)["version"] == 2


def test_save_needs_a_name_even_with_an_id(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, base)["id"]
    response = gql(api, SAVE, {"input": {"id": endpoint_id, "gpuIds": "AMPERE_16"}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].endswith('Field "name" of required type "String!" was not provided.')


# -- updateEndpointTemplate -----------------------------------------------------------------------------
def test_update_endpoint_template_repoints_the_endpoint_with_a_release(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, base)["id"]
    other = template(api, "other:9", {"B": "2"})
    response = gql(api, UPDATE_TEMPLATE, {"input": {"endpointId": endpoint_id, "templateId": other}})
    assert response.status_code == 200
    assert response.json()["data"]["updateEndpointTemplate"] == {
        "id": endpoint_id,
        "templateId": other,
        "version": 2,
        "template": {"imageName": "other:9"},
    }
    assert read(api, endpoint_id)["env"] == [{"key": "B", "value": "2"}]


def test_update_endpoint_template_as_an_inline_literal(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, base)["id"]
    other = template(api, "other:9")
    literal = f'{{templateId: "{other}", endpointId: "{endpoint_id}"}}'
    query = f"mutation {{ updateEndpointTemplate(input: {literal}) {{ id templateId }} }}"
    assert gql(api, query).json() == {"data": {"updateEndpointTemplate": {"id": endpoint_id, "templateId": other}}}


def test_update_endpoint_template_with_an_unknown_template(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, base)["id"]
    answer = gql(api, UPDATE_TEMPLATE, {"input": {"endpointId": endpoint_id, "templateId": "nope"}}).json()
    assert [e["message"] for e in answer["errors"]] == ["template not found"]
    assert read(api, endpoint_id)["templateId"] == base["templateId"]


# -- creates: CPU, inline templates ---------------------------------------------------------------------
def test_a_cpu_endpoint_is_created_with_instance_ids_and_no_gpu_ids(api: httpx.Client, base: dict[str, Any]) -> None:
    data = {k: v for k, v in base.items() if k != "gpuIds"}
    made = saved(api, {**data, "instanceIds": ["cpu3g-4-16"], "workersMax": 1})
    assert (made["computeType"], made["gpuIds"], made["instanceIds"]) == ("CPU", None, ["cpu3g-4-16"])


def test_a_cpu_create_drops_gpu_ids_it_is_sent(api: httpx.Client, base: dict[str, Any]) -> None:
    assert saved(api, {**base, "gpuIds": "", "instanceIds": ["cpu3c-2-4"]})["gpuIds"] is None
    assert saved(api, {**base, "instanceIds": ["cpu3c-2-4"]})["gpuIds"] is None


def test_an_inline_template_makes_the_endpoints_own_template(api: httpx.Client) -> None:
    inline = {**INLINE, "env": [{"key": "A", "value": "1"}], "config": {"x": [1]}}
    made = saved(api, {"name": "svc", "gpuIds": "AMPERE_16", "template": inline})
    assert made["templateId"] == made["template"]["id"]
    assert made["template"] == {
        "id": made["templateId"],
        "imageName": "img:1",
        "env": [{"key": "A", "value": "1"}],
        "boundEndpointId": made["id"],
    }
    assert made["env"] == [{"key": "A", "value": "1"}]


def test_template_and_template_id_together_are_refused(api: httpx.Client, base: dict[str, Any]) -> None:
    answer = save(api, {**base, "template": INLINE})
    assert answer["errors"][0]["message"] == "You can only provide one of templateId or template."
    assert answer["data"] == {"saveEndpoint": None}
    assert gql(api, "{ myself { endpoints { id } } }").json()["data"]["myself"]["endpoints"] == []


def test_a_create_needs_a_template(api: httpx.Client) -> None:
    assert save(api, {"name": "svc", "gpuIds": "AMPERE_16"})["errors"]
    assert save(api, {"name": "svc", "gpuIds": "AMPERE_16", "templateId": "nope"})["errors"][0]["message"] == (
        "template not found"
    )


# -- saveTemplate on a bound template changes the endpoint --------------------------------------------
def test_save_template_on_the_bound_template_is_a_release(api: httpx.Client) -> None:
    made = saved(api, {"name": "svc", "gpuIds": "AMPERE_16", "template": INLINE})
    change = {"id": made["templateId"], "name": "svc__t", "imageName": "img:2", "containerDiskInGb": 10,
              "dockerArgs": "", "env": [{"key": "B", "value": "2"}], "volumeInGb": 0}  # fmt: skip
    answer = gql(api, SAVE_TEMPLATE, {"input": change}).json()["data"]["saveTemplate"]
    assert (answer["imageName"], answer["boundEndpointId"]) == ("img:2", made["id"])
    seen = read(api, made["id"])
    assert (seen["version"], seen["template"]["imageName"], seen["env"]) == (2, "img:2", [{"key": "B", "value": "2"}])


def test_save_template_needs_env(api: httpx.Client) -> None:
    change = {"name": "t", "imageName": "img:2", "containerDiskInGb": 10, "dockerArgs": "", "volumeInGb": 0}
    response = gql(api, SAVE_TEMPLATE, {"input": change})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].endswith(
        'Field "env" of required type "[EnvironmentVariableInput]!" was not provided.'
    )


def test_templates_are_read_listed_and_deleted_by_name(api: httpx.Client) -> None:
    data = {k: v for k, v in INLINE.items() if k != "config"}
    made = gql(api, SAVE_TEMPLATE, {"input": {**data, "volumeInGb": 0, "isServerless": True}}).json()
    template_id = made["data"]["saveTemplate"]["id"]
    one = gql(api, "query($id: String!) { podTemplate(id: $id) { id name } }", {"id": template_id}).json()
    assert one["data"]["podTemplate"] == {"id": template_id, "name": "svc__t"}
    listed = gql(api, "{ myself { podTemplates { id } } }").json()["data"]["myself"]["podTemplates"]
    assert {"id": template_id} in listed
    delete = "mutation($name: String) { deleteTemplate(templateName: $name) }"
    assert gql(api, delete, {"name": "svc__t"}).json() == {"data": {"deleteTemplate": None}}
    assert gql(api, delete, {"name": "svc__t"}).json()["errors"][0]["message"] == "template not found"


# -- explicit nulls, unknown fields, network volumes ---------------------------------------------------
def test_network_volume_ids_null_keeps_the_volumes(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(api, {**base, "networkVolumeIds": [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]})
    after = saved(api, {**base, "id": made["id"], "networkVolumeIds": None})
    assert after["networkVolumeIds"] == [{"networkVolumeId": "v1"}, {"networkVolumeId": "v2"}]
    cleared = saved(api, {**base, "id": made["id"], "networkVolumeIds": []})
    assert (cleared["networkVolumeIds"], cleared["networkVolumeId"]) == (None, None)


def test_nulls_for_declared_fields_behave_as_left_out(api: httpx.Client, base: dict[str, Any]) -> None:
    nulls = {"workersMax": None, "locations": None, "requestTTL": None, "allowedCudaVersions": None,
             "minCudaVersion": None, "modelReferences": None, "instanceIds": None, "env": None}  # fmt: skip
    made = saved(api, {**base, **nulls})
    assert (made["workersMax"], made["locations"], made["computeType"]) == (3, None, "GPU")


def test_repo_present_even_as_null_fails_the_repo_validation(api: httpx.Client, base: dict[str, Any]) -> None:
    answer = save(api, {**base, "repo": None})
    assert answer["errors"] and answer["data"] == {"saveEndpoint": None}


def test_an_unknown_input_field_is_a_400_even_when_null(api: httpx.Client, base: dict[str, Any]) -> None:
    response = gql(api, SAVE, {"input": {**base, "objectMounts": None}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        'Variable "$input" got invalid value { name: "svc", templateId: "'
        + base["templateId"]
        + '", gpuIds: "AMPERE_16", objectMounts: null }; Field "objectMounts" is not defined by type "EndpointInput".'
    )


def test_a_data_center_id_inside_network_volume_ids_is_refused_with_runpods_words(
    api: httpx.Client, base: dict[str, Any]
) -> None:
    volumes = [{"networkVolumeId": "v1", "dataCenterId": "EU-RO-1"}]
    response = gql(api, SAVE, {"input": {**base, "networkVolumeIds": volumes}})
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert message == (
        'Variable "$input" got invalid value { networkVolumeId: "v1", dataCenterId: "EU-RO-1" } at '
        '"input.networkVolumeIds[0]"; Field "dataCenterId" is not defined by type "NetworkVolumeIdsInput".'
    )


# -- compliance, FlashBoot, type ----------------------------------------------------------------------------
def test_compliance_is_an_enum_list_written_read_and_cleared(api: httpx.Client, base: dict[str, Any]) -> None:
    made = saved(api, {**base, "compliance": ["GDPR", "HIPAA"]})
    assert made["compliance"] == ["GDPR", "HIPAA"]
    assert saved(api, {**base, "id": made["id"]})["compliance"] == ["GDPR", "HIPAA"]  # left out: kept
    assert saved(api, {**base, "id": made["id"], "compliance": []})["compliance"] == []
    response = gql(api, SAVE, {"input": {**base, "compliance": ["gdpr"]}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].endswith(
        'Value "gdpr" does not exist in "Compliance" enum. Did you mean the enum value "GDPR"?'
    )


def test_flash_boot_type_does_not_decorate_the_name(api: httpx.Client, base: dict[str, Any]) -> None:
    query = (
        f'mutation {{ saveEndpoint(input: {{name: "a", templateId: "{base["templateId"]}", gpuIds: "AMPERE_16", '
        "flashBootType: FLASHBOOT}) { name flashBootType } }"
    )
    assert gql(api, query).json()["data"]["saveEndpoint"] == {"name": "a", "flashBootType": "FLASHBOOT"}
    assert gql(api, query.replace("FLASHBOOT}", "OFF}")).json()["data"]["saveEndpoint"]["flashBootType"] == "OFF"


def test_a_quoted_flash_boot_type_literal_is_refused_with_runpods_words(
    api: httpx.Client, base: dict[str, Any]
) -> None:
    """runpod/runpod-python 17ba8659 quotes RunPod's answer to ``flashBootType: "FLASHBOOT"``."""
    query = (
        f'mutation {{ saveEndpoint(input: {{name: "a", templateId: "{base["templateId"]}", gpuIds: "AMPERE_16", '
        'flashBootType: "FLASHBOOT"}) { name } }'
    )
    response = gql(api, query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith(
        'Enum "FlashBootType" cannot represent non-enum value: "FLASHBOOT"'
    )
    assert gql(api, query.replace('"FLASHBOOT"', "TURBO")).status_code == 400


def test_the_older_fb_name_convention_turns_flashboot_on_and_keeps_the_name(
    api: httpx.Client, base: dict[str, Any]
) -> None:
    made = saved(api, {**base, "name": "svc -fb"})
    assert (made["name"], made["flashBootType"]) == ("svc -fb", "FLASHBOOT")


def test_the_endpoint_type_is_qb_or_lb(api: httpx.Client, base: dict[str, Any]) -> None:
    assert saved(api, base)["type"] == "QB"
    made = saved(api, {**base, "type": "LB", "scalerType": "REQUEST_COUNT"})
    assert api.get(f"/v2/serverless/{made['id']}").json()["type"] == "LOAD_BALANCER"
    assert save(api, {**base, "type": "QUEUE"})["errors"]


# -- value rules ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        pytest.param({"gpuIds": "AMPERE_99"}, "Invalid gpuIds entry", id="pool"),
        pytest.param({"gpuIds": "-NVIDIA L4"}, "at least one GPU pool", id="only-exclusions"),
        pytest.param({"gpuIds": None}, "gpuIds or instanceIds", id="no-compute"),
        pytest.param({"scalerType": "FAST"}, "scalerType", id="scaler"),
        pytest.param({"scalerValue": 0}, "at least 1", id="scaler-value"),
        pytest.param({"locations": "MARS"}, "Invalid location", id="location"),
        pytest.param({"allowedCudaVersions": "10.1"}, "CUDA", id="cuda"),
        pytest.param({"workersMin": 3, "workersMax": 1}, "cannot be greater", id="workers"),
        pytest.param({"idleTimeout": 4000}, "between 1 and 3600", id="idle"),
        pytest.param({"instanceIds": ["cpu3g"]}, "Invalid instanceIds entry", id="instance"),
    ],
)
def test_save_value_rules(api: httpx.Client, base: dict[str, Any], extra: dict[str, Any], fragment: str) -> None:
    assert fragment in save(api, {**base, **extra})["errors"][0]["message"]


def test_region_codes_are_accepted_as_locations(api: httpx.Client, base: dict[str, Any]) -> None:
    assert saved(api, {**base, "locations": "US,EU-RO-1"})["locations"] == "US,EU-RO-1"


def test_integers_beyond_32_bits_are_refused_by_graphql_itself(api: httpx.Client, base: dict[str, Any]) -> None:
    response = gql(api, SAVE, {"input": {**base, "workersMax": 2**31}})
    assert response.status_code == 400
    assert "Int cannot represent non 32-bit signed integer value: 2147483648" in response.json()["errors"][0]["message"]


def test_validation_errors_are_400_in_graphql_js_words(api: httpx.Client) -> None:
    response = gql(api, "{ myself { endpoints { id noSuchField } } }")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == 'Cannot query field "noSuchField" on type "Endpoint".'
    assert gql(api, "{ myself {").status_code == 400
    missing = gql(api, "{ myself { endpoint { id } } }")
    assert missing.json()["errors"][0]["message"] == (
        'Field "endpoint" argument "id" of type "String!" is required, but it was not provided.'
    )
    absent = gql(api, "query($id: String!) { myself { endpoint(id: $id) { id } } }")
    assert (absent.status_code, absent.json()["errors"][0]["message"]) == (
        400,
        'Variable "$id" of required type "String!" was not provided.',
    )
    assert api.post("/graphql", content=b"nope").status_code == 400


# -- delete, list, workers ------------------------------------------------------------------------------------
def test_delete_needs_zero_workers_then_answers_null_and_the_endpoint_is_gone(
    api: httpx.Client, base: dict[str, Any]
) -> None:
    endpoint_id = saved(api, {**base, "workersMin": 1, "workersMax": 1})["id"]
    refused = gql(api, DELETE, {"id": endpoint_id}).json()
    assert "must both be 0" in refused["errors"][0]["message"]
    saved(api, {**base, "id": endpoint_id, "workersMin": 0, "workersMax": 0})
    assert gql(api, DELETE, {"id": endpoint_id}).json() == {"data": {"deleteEndpoint": None}}
    assert gql(api, READ, {"id": endpoint_id}).json()["errors"][0]["message"] == "No AiApi found"


def test_the_list_is_capped_at_400_oldest_first(api: httpx.Client) -> None:
    for index in range(401):
        create(api, gpu_body(name=f"e{index}"))
    names = [e["name"] for e in gql(api, "{ myself { endpoints { name } } }").json()["data"]["myself"]["endpoints"]]
    assert len(names) == 400
    assert (names[0], names[-1]) == ("e0", "e399")
    assert len(api.get("/v2/serverless").json()["endpoints"]) == 401


def test_workers_appear_as_pods(api: httpx.Client, base: dict[str, Any]) -> None:
    endpoint_id = saved(api, {**base, "workersMin": 2})["id"]
    query = "query($id: String!) { myself { endpoint(id: $id) { pods { desiredStatus costPerHr } } } }"
    pods = gql(api, query, {"id": endpoint_id}).json()["data"]["myself"]["endpoint"]["pods"]
    assert [p["desiredStatus"] for p in pods] == ["RUNNING", "RUNNING"]


def test_the_journal_names_the_root_fields(emulator: Emulator, api: httpx.Client, base: dict[str, Any]) -> None:
    emulator.journal.clear()
    saved(api, base)
    gql(api, "{ myself {")
    assert [(e.operation, e.status) for e in emulator.journal.entries()] == [("saveEndpoint", 200), ("invalid", 400)]


# -- Tensor One ---------------------------------------------------------------------------------------------
@pytest.fixture
def t1_base(t1_api: httpx.Client) -> dict[str, Any]:
    made = t1_api.post("/_emulator/templates", json={"name": "t", "image": "img:1", "serverless": True}).json()
    return {"name": "svc", "templateId": made["id"], "gpuIds": "AMPERE_16"}


def test_tensorone_uses_clusters_not_pods(t1_api: httpx.Client) -> None:
    assert gql(t1_api, "{ myself { endpoints { id clusters { desiredStatus } } } }").status_code == 200
    assert gql(t1_api, "{ myself { endpoints { id pods { desiredStatus } } } }").status_code == 400


@pytest.mark.parametrize("field", ["flashBootType", "compliance", "requestTTL", "minCudaVersion"])
def test_tensorone_has_only_the_older_surface(t1_api: httpx.Client, field: str) -> None:
    assert gql(t1_api, f"{{ myself {{ endpoints {{ {field} }} }} }}").status_code == 400


def test_tensorone_flashboot_is_the_name_suffix_on_and_off(t1_api: httpx.Client, t1_base: dict[str, Any]) -> None:
    query = "mutation($input: EndpointInput!) { saveEndpoint(input: $input) { id name } }"
    made = gql(t1_api, query, {"input": {**t1_base, "name": "svc -fb"}}).json()["data"]["saveEndpoint"]
    assert made["name"] == "svc -fb"
    gql(t1_api, query, {"input": {**t1_base, "id": made["id"]}})
    assert t1_api.get("/_emulator/journal").status_code == 200  # Tensor One serves no REST: check via GraphQL
    names = gql(t1_api, "{ myself { endpoints { name } } }").json()["data"]["myself"]["endpoints"]
    assert names == [{"name": "svc"}]


def test_tensorone_takes_an_inline_template_from_the_older_schema(t1_api: httpx.Client) -> None:
    query = "mutation($input: EndpointInput!) { saveEndpoint(input: $input) { id templateId } }"
    data = {"name": "svc", "gpuIds": "AMPERE_16", "template": INLINE}
    assert gql(t1_api, query, {"input": data}).json()["data"]["saveEndpoint"]["templateId"]
