"""Every resource the provider manages, on every API that serves it, as the fault suite sees it: how
to configure its provider, a program and a change of it, and what the emulator says exists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi_runpod_endpoint.dynamic.provider import BaseProvider
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from pulumi_runpod_endpoint.network_volume.provider import NetworkVolumeProvider
from pulumi_runpod_endpoint.registry_auth.provider import RegistryAuthProvider
from pulumi_runpod_endpoint.template.provider import TemplateProvider
from tests.reliability.harness import ENV_TOKEN, REGISTRY_PASSWORD, World

__all__ = ["ENDPOINT_KINDS", "KINDS", "RECORD_KINDS", "Kind", "Record"]


@dataclass(frozen=True)
class Record:
    """A record as the emulator reports it: its name and the one field the suite changes."""

    name: str
    marker: Any


@dataclass(frozen=True)
class Kind:
    """One resource on one API."""

    id: str
    provider: Callable[..., BaseProvider]
    flavor: str
    config: dict[str, str]
    program: dict[str, Any]
    changed: dict[str, Any]
    marker: str  # the program field ``changed`` sets, as its expected value is read: changed[marker]
    truth: Callable[[World], dict[str, Record]]
    create_operation: str  # the emulator's name for the create request (preludes match it)
    updatable: bool = True  # False: every change is a replacement (registry credentials)
    rollouts: bool = False  # the API reports releases, so a create can wait for its rollout
    unique_names: bool = False  # the API refuses a second record with a name (registries, templates)
    adopt_by_template: bool = False  # adopting keeps the endpoint's template (Tensor One reads no image back)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def wanted(self) -> Any:
        return self.changed[self.marker]

    def __str__(self) -> str:
        return self.id


# -- what the emulator holds ----------------------------------------------------------------------------
def _rest(collection: str, key: str, marker: Callable[[dict[str, Any]], Any]) -> Callable[[World], dict[str, Record]]:
    def read(world: World) -> dict[str, Record]:
        answer = world.truth.client.get(f"/v2/{collection}")
        assert answer.status_code == 200, answer.text
        return {item["id"]: Record(item["name"], marker(item)) for item in answer.json()[key]}

    return read


def _graphql_endpoints(world: World) -> dict[str, Record]:
    query = "query { myself { endpoints { id name workersMax } } }"
    answer = world.truth.client.post("/graphql", json={"query": query})
    assert answer.status_code == 200, answer.text
    items = answer.json()["data"]["myself"]["endpoints"]
    return {item["id"]: Record(item["name"].removesuffix(" -fb"), item["workersMax"]) for item in items}


ENDPOINT_PROGRAM: dict[str, Any] = {
    "name": "svc",
    "image": "runpod/worker:1.0",
    "gpu_pools": ["ADA_24"],
    "workers_max": 2,
    "env": {"MODEL": "small", "HF_TOKEN": ENV_TOKEN},
}
ENDPOINT_REST = Kind(
    id="endpoint/rest",
    provider=ServerlessEndpointProvider,
    flavor="runpod",
    config={},
    program=ENDPOINT_PROGRAM,
    changed={"workers_max": 4},
    marker="workers_max",
    truth=_rest("serverless", "endpoints", lambda item: item["workers"]["max"]),
    create_operation="createEndpoint",
    rollouts=True,
)
ENDPOINT_GRAPHQL = Kind(
    id="endpoint/graphql",
    provider=ServerlessEndpointProvider,
    flavor="runpod",
    config={"runpod:api": "graphql"},
    program=ENDPOINT_PROGRAM,
    changed={"workers_max": 4},
    marker="workers_max",
    truth=_graphql_endpoints,
    create_operation="saveEndpoint",
)
ENDPOINT_TENSORONE = Kind(
    id="endpoint/tensorone",
    provider=ServerlessEndpointProvider,
    flavor="tensorone",
    config={"runpod:backend": "tensorone"},
    program=ENDPOINT_PROGRAM,
    changed={"workers_max": 4},
    marker="workers_max",
    truth=_graphql_endpoints,
    create_operation="saveEndpoint",
    adopt_by_template=True,
)
VOLUME = Kind(
    id="network_volume",
    provider=NetworkVolumeProvider,
    flavor="runpod",
    config={},
    program={"name": "weights", "size_gb": 20, "data_center_id": "EU-RO-1"},
    changed={"size_gb": 40},
    marker="size_gb",
    truth=_rest("network-volumes", "networkVolumes", lambda item: item["size"]),
    create_operation="createNetworkVolume",
)
REGISTRY = Kind(
    id="registry_auth",
    provider=RegistryAuthProvider,
    flavor="runpod",
    config={},
    program={"name": "ghcr", "username": "robot", "password": REGISTRY_PASSWORD},
    changed={"name": "ghcr"},  # a credential cannot change: adopt/update keep the name
    marker="name",
    truth=_rest("registries", "registries", lambda item: item["name"]),
    create_operation="createRegistry",
    updatable=False,
    unique_names=True,
)
TEMPLATE = Kind(
    id="template",
    provider=TemplateProvider,
    flavor="runpod",
    config={},
    program={"name": "base", "image": "runpod/base:1.0", "env": {"A": "1", "HF_TOKEN": ENV_TOKEN}},
    changed={"image": "runpod/base:2.0"},
    marker="image",
    truth=_rest("templates", "templates", lambda item: item["image"]),
    create_operation="createTemplate",
    unique_names=True,
)

ENDPOINT_KINDS: tuple[Kind, ...] = (ENDPOINT_REST, ENDPOINT_GRAPHQL, ENDPOINT_TENSORONE)
RECORD_KINDS: tuple[Kind, ...] = (VOLUME, REGISTRY, TEMPLATE)
KINDS: tuple[Kind, ...] = (*ENDPOINT_KINDS, *RECORD_KINDS)
