"""/v2/templates: defaults, PATCH semantics, unique names, registry credentials that must exist, and
the binding rules between templates and endpoints (v2 keeps no link; GraphQL- and console-made
endpoints are bound, their template cannot be deleted, and their v2 delete takes it along)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_runpod_endpoint.emulator import Emulator, ManualClock
from tests.emulator.helpers import create, gpu_body, operations, problem

IN_USE = "Template is in use by a pod or serverless endpoint and cannot be deleted"
SAVE = "mutation($input: EndpointInput!) { saveEndpoint(input: $input) { id templateId } }"
DELETE = "mutation($id: String!) { deleteEndpoint(id: $id) }"


@pytest.fixture
def control(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url="http://emulator") as client:
        yield client


def from_template(template_id: str) -> dict[str, Any]:
    """An endpoint body whose container settings all come from the template."""
    body = gpu_body(templateId=template_id)
    del body["image"]
    return body


def make(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    response = api.post("/v2/templates", json={"name": "worker", "image": "runpod/worker:1", **fields})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def patch(api: httpx.Client, template_id: str, body: dict[str, Any]) -> httpx.Response:
    return api.patch(f"/v2/templates/{template_id}", json=body)


def graphql_endpoint(api: httpx.Client, template_id: str) -> str:
    """An endpoint made through GraphQL: bound to the template it names."""
    data = {"name": "gql", "templateId": template_id, "gpuIds": "AMPERE_16", "workersMax": 0}
    answer = api.post("/graphql", json={"query": SAVE, "variables": {"input": data}}).json()
    assert answer["data"]["saveEndpoint"]["templateId"] == template_id, answer
    return str(answer["data"]["saveEndpoint"]["id"])


def console_endpoint(api: httpx.Client, control: httpx.Client, template_id: str) -> str:
    """An endpoint made in the console from a template: made through v2, then bound (control API)."""
    endpoint_id = str(create(api, from_template(template_id))["id"])
    bound = control.post(f"/_emulator/endpoints/{endpoint_id}/template", json={"templateId": template_id})
    assert bound.json() == {"id": endpoint_id, "templateId": template_id}
    return endpoint_id


# -- lifecycle and defaults ---------------------------------------------------------------------
def test_defaults_are_the_specs_with_no_ports(api: httpx.Client) -> None:
    made = make(api)
    assert made == {
        "id": made["id"],
        "name": "worker",
        "image": "runpod/worker:1",
        "args": "",
        "disk": 50,
        "mounts": {},
        "ports": [],
        "env": {},
        "registry": None,
        "serverless": False,
        "public": False,
        "category": "NVIDIA",
        "startSsh": True,
        "startJupyter": True,
        "allowedCudaVersions": [],
    }
    assert "readme" not in made


def test_every_field_is_kept(api: httpx.Client) -> None:
    registry = api.post("/v2/registries", json={"name": "r", "username": "u", "password": "p"}).json()["id"]
    fields = {
        "args": "python -u handler.py",
        "disk": 20,
        "mounts": {"persistent": {"size": 20, "path": "/workspace"}},
        "ports": ["8000/http"],
        "env": {"MODEL": "llama"},
        "registry": registry,
        "serverless": True,
        "public": True,
        "category": "AMD",
        "startSsh": False,
        "startJupyter": False,
        "allowedCudaVersions": ["12.8", "12.6"],
    }
    made = make(api, **fields)
    assert {key: made[key] for key in fields} == fields
    assert api.get(f"/v2/templates/{made['id']}").json() == made


def test_lifecycle_create_get_list_patch_delete(emulator: Emulator, api: httpx.Client) -> None:
    made = make(api)
    assert api.get("/v2/templates").json() == {"templates": [made]}
    updated = patch(api, made["id"], {"image": "runpod/worker:2"})
    assert (updated.status_code, updated.json()) == (200, {**made, "image": "runpod/worker:2"})
    assert api.delete(f"/v2/templates/{made['id']}").status_code == 204
    problem(api.get(f"/v2/templates/{made['id']}"), 404, f"template {made['id']} not found")
    problem(api.delete(f"/v2/templates/{made['id']}"), 404, "not found")
    problem(patch(api, made["id"], {"name": "x"}), 404, "not found")
    assert operations(emulator) == [
        "POST createTemplate 201",
        "GET listTemplates 200",
        "PATCH updateTemplate 200",
        "DELETE deleteTemplate 204",
        "GET getTemplate 404",
        "DELETE deleteTemplate 404",
        "PATCH updateTemplate 404",
    ]


# -- schema -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({"name": "t"}, "$: missing property 'image'", id="no-image"),
        pytest.param({"image": "i"}, "missing property 'name'", id="no-name"),
        pytest.param({"name": "", "image": "i"}, "$.name: length must be >= 1", id="empty-name"),
        pytest.param({"name": "t", "image": "i", "readme": "# hi"}, "additional properties 'readme'", id="readme"),
        pytest.param({"name": "t", "imageName": "i"}, "additional properties 'imageName'", id="v1-imageName"),
        pytest.param({"name": "t", "image": "i", "isServerless": True}, "'isServerless' not allowed", id="v1-flag"),
        pytest.param({"name": "t", "image": "i", "disk": 0}, "$.disk: must be >= 1 but found 0", id="disk"),
        pytest.param({"name": "t", "image": "i", "disk": 2**40}, "$.disk: must be <=", id="disk-huge"),
        pytest.param({"name": "t", "image": "i", "category": "GPU"}, "$.category: value must be one of", id="cat"),
        pytest.param(
            {"name": "t", "image": "i", "allowedCudaVersions": ["12"]}, "does not match pattern", id="cuda-format"
        ),
        pytest.param(
            {"name": "t", "image": "i", "mounts": {"persistent": {"size": 5, "path": "/w"}}},
            "$.mounts.persistent.size: must be >= 10",
            id="mount-floor",
        ),
        pytest.param(
            {"name": "t", "image": "i", "mounts": {"network": [{"volumeId": "v", "path": "/w"}]}},
            "$.mounts: additional properties 'network' not allowed",
            id="network-mount",
        ),
        pytest.param(
            {"name": "t", "image": "i", "mounts": {"persistent": {"size": 20}}}, "missing property 'path'", id="partial"
        ),
        pytest.param({"name": "t", "image": "i", "env": {"A": 1}}, "$.env.A: got integer, want string", id="env"),
    ],
)
def test_create_bodies_are_validated_against_the_spec_schema(
    api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    problem(api.post("/v2/templates", json=body), 422, fragment)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        pytest.param({"readme": "x"}, "additional properties 'readme'", id="readme"),
        pytest.param({"name": ""}, "$.name: length must be >= 1", id="empty-name"),
        pytest.param({"id": "other"}, "additional properties 'id'", id="id"),
    ],
)
def test_patch_bodies_are_validated_against_the_spec_schema(
    api: httpx.Client, body: dict[str, Any], fragment: str
) -> None:
    made = make(api)
    problem(patch(api, made["id"], body), 422, fragment)
    assert api.get(f"/v2/templates/{made['id']}").json() == made


def test_huge_env_maps_are_answered(api: httpx.Client) -> None:
    env = {f"K{index}": "v" * 100 for index in range(20_000)}
    assert len(make(api, env=env)["env"]) == 20_000


# -- PATCH semantics ----------------------------------------------------------------------------
def test_patch_changes_only_what_it_sends(api: httpx.Client) -> None:
    made = make(
        api,
        env={"A": "1", "B": "2"},
        ports=["8000/http"],
        mounts={"persistent": {"size": 20, "path": "/w"}},
        allowedCudaVersions=["12.8"],
        serverless=True,
    )
    assert patch(api, made["id"], {}).json() == made
    updated = patch(api, made["id"], {"env": {"C": "3"}, "mounts": {}, "allowedCudaVersions": []}).json()
    assert updated["env"] == {"C": "3"}  # the whole map is replaced
    assert updated["mounts"] == {"persistent": {"size": 20, "path": "/w"}}  # {} leaves it as it is
    assert updated["allowedCudaVersions"] == []  # an explicit [] clears the constraint
    assert (updated["ports"], updated["serverless"], updated["name"]) == (["8000/http"], True, "worker")


def test_registry_null_clears_the_credential(api: httpx.Client) -> None:
    registry = api.post("/v2/registries", json={"name": "r", "username": "u", "password": "p"}).json()["id"]
    made = make(api, registry=registry)
    assert patch(api, made["id"], {"registry": None}).json()["registry"] is None


def test_an_edit_never_reaches_endpoints_made_from_the_template(api: httpx.Client) -> None:
    made = make(api, serverless=True, image="img:1")
    endpoint = create(api, from_template(made["id"]))
    patch(api, made["id"], {"image": "img:2"})
    assert api.get(f"/v2/serverless/{endpoint['id']}").json()["image"] == "img:1"


# -- rules --------------------------------------------------------------------------------------
def test_names_are_unique_per_account(api: httpx.Client) -> None:
    first = make(api)
    problem(api.post("/v2/templates", json={"name": "worker", "image": "i"}), 400, f"already exists ({first['id']})")
    second = make(api, name="other")
    problem(patch(api, second["id"], {"name": "worker"}), 400, "template names are unique")
    assert patch(api, first["id"], {"name": "worker", "image": "i:2"}).status_code == 200  # its own name


def test_registry_must_name_an_existing_credential(api: httpx.Client) -> None:
    problem(api.post("/v2/templates", json={"name": "t", "image": "i", "registry": "nope"}), 400, "'nope'")
    made = make(api)
    problem(patch(api, made["id"], {"registry": "nope"}), 400, "no registry credential 'nope'")


def test_a_pod_template_for_an_endpoint_is_422_on_create_and_patch(api: httpx.Client) -> None:
    pod_template = make(api)
    problem(api.post("/v2/serverless", json=gpu_body(templateId=pod_template["id"])), 422, "not a serverless template")
    endpoint = create(api, gpu_body())
    problem(api.patch(f"/v2/serverless/{endpoint['id']}", json={"templateId": pod_template["id"]}), 422, "serverless")
    patch(api, pod_template["id"], {"serverless": True})
    assert create(api, from_template(pod_template["id"]))["image"] == "runpod/worker:1"


# -- public catalog templates -------------------------------------------------------------------
def test_a_public_catalog_template_is_readable_and_usable_but_not_yours(
    api: httpx.Client, control: httpx.Client
) -> None:
    seeded = {"id": "pub1", "name": "vLLM", "image": "runpod/vllm:1", "serverless": True, "registry": "theirs"}
    control.post("/_emulator/templates", json={**seeded, "catalog": True})
    read = api.get("/v2/templates/pub1").json()
    assert (read["public"], read["registry"]) == (True, None)  # "registry is always null for templates you don't own"
    assert api.get("/v2/templates").json() == {"templates": []}
    problem(patch(api, "pub1", {"name": "mine"}), 404, "not found among your templates")
    problem(api.delete("/v2/templates/pub1"), 404, "not found among your templates")
    assert create(api, from_template("pub1"))["image"] == "runpod/vllm:1"
    make(api, name="vLLM")  # someone else's name is not taken


# -- bound endpoints ----------------------------------------------------------------------------
def test_a_v2_endpoint_keeps_no_link_to_its_template(api: httpx.Client) -> None:
    made = make(api, serverless=True)
    endpoint = create(api, from_template(made["id"]))
    assert api.delete(f"/v2/templates/{made['id']}").status_code == 204
    assert api.get(f"/v2/serverless/{endpoint['id']}").json()["image"] == "runpod/worker:1"


def test_deleting_a_v2_endpoint_never_deletes_the_template_it_was_made_from(api: httpx.Client) -> None:
    made = make(api, serverless=True)
    endpoint = create(api, from_template(made["id"]))
    assert api.delete(f"/v2/serverless/{endpoint['id']}").status_code == 204
    assert api.get(f"/v2/templates/{made['id']}").json() == made


def test_a_template_bound_to_a_graphql_endpoint_cannot_be_deleted(api: httpx.Client, control: httpx.Client) -> None:
    made = make(api, serverless=True)
    endpoint_id = graphql_endpoint(api, made["id"])
    body = problem(api.delete(f"/v2/templates/{made['id']}"), 400)
    assert body["detail"] == f"{IN_USE} (bound to serverless endpoint(s) {endpoint_id})"
    (listed,) = control.get("/_emulator/templates").json()
    assert (listed["boundEndpoints"], listed["pods"]) == ([endpoint_id], [])


def test_a_graphql_delete_leaves_the_template_and_frees_it(api: httpx.Client) -> None:
    """Deleting a GraphQL-bound endpoint the way it was made keeps its template."""
    made = make(api, serverless=True)
    endpoint_id = graphql_endpoint(api, made["id"])
    assert api.post("/graphql", json={"query": DELETE, "variables": {"id": endpoint_id}}).json() == {
        "data": {"deleteEndpoint": None}
    }
    assert api.get(f"/v2/templates/{made['id']}").status_code == 200
    assert api.delete(f"/v2/templates/{made['id']}").status_code == 204


def test_a_v2_delete_of_a_bound_endpoint_deletes_its_bound_template(api: httpx.Client, control: httpx.Client) -> None:
    """ "Permanently deletes a serverless endpoint and its bound template" (spec: deleteEndpoint)."""
    made = make(api, serverless=True)
    endpoint_id = console_endpoint(api, control, made["id"])
    problem(api.delete(f"/v2/templates/{made['id']}"), 400, IN_USE)
    assert api.delete(f"/v2/serverless/{endpoint_id}").status_code == 204
    problem(api.get(f"/v2/templates/{made['id']}"), 404, "not found")


def test_a_v2_delete_takes_the_bound_template_even_from_endpoints_sharing_it(
    api: httpx.Client, control: httpx.Client
) -> None:
    """The pessimistic reading (no evidence either way): the hazard a client must avoid by deleting
    a bound endpoint the way it was made, never through v2 while others still use its template."""
    made = make(api, serverless=True)
    first = graphql_endpoint(api, made["id"])
    second = graphql_endpoint(api, made["id"])
    assert api.delete(f"/v2/serverless/{first}").status_code == 204
    problem(api.get(f"/v2/templates/{made['id']}"), 404, "not found")
    assert api.get(f"/v2/serverless/{second}").status_code == 200
    assert control.get("/_emulator/templates").json() == []


def test_binding_through_the_control_api_is_checked(api: httpx.Client, control: httpx.Client) -> None:
    made = make(api, serverless=True)
    endpoint = create(api, gpu_body())
    problem(control.post("/_emulator/endpoints/nope/template", json={"templateId": made["id"]}), 404, "nope")
    problem(control.post(f"/_emulator/endpoints/{endpoint['id']}/template", json={"templateId": "x"}), 404, "x")
    problem(control.post(f"/_emulator/endpoints/{endpoint['id']}/template", json={}), 400, "templateId")


# -- referenced by pods -------------------------------------------------------------------------
def test_a_template_a_pod_references_cannot_be_deleted_until_the_pod_is_gone(
    clock: ManualClock, api: httpx.Client, control: httpx.Client
) -> None:
    made = make(api)
    pod = control.post("/_emulator/pods", json={"templateId": made["id"], "seconds": 120}).json()
    body = problem(api.delete(f"/v2/templates/{made['id']}"), 400)
    assert body["detail"] == f"{IN_USE} (referenced by pod(s) {pod['id']})"
    clock.advance(120)
    assert api.delete(f"/v2/templates/{made['id']}").status_code == 204


# -- control API --------------------------------------------------------------------------------
def test_control_seeding_knows_every_v2_field_and_no_other(control: httpx.Client) -> None:
    seeded = control.post(
        "/_emulator/templates",
        json={"id": "t1", "name": "t", "image": "i", "category": "CPU", "startSsh": False, "mounts": {}},
    ).json()
    assert (seeded["category"], seeded["startSsh"], seeded["catalog"], seeded["disk"]) == ("CPU", False, False, 50)
    problem(control.post("/_emulator/templates", json={"readme": "x"}), 400, "unknown template field(s) readme")
    problem(control.post("/_emulator/templates", json={"disk": 0}), 400, "disk must be a whole number")
    problem(control.post("/_emulator/templates", json={"mounts": []}), 400, "mounts must be an object")
