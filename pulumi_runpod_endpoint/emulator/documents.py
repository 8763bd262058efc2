"""The published documents the emulator is built from: copies in ``specs/`` (see SOURCES.txt)
and RunPod's catalog in ``pulumi_runpod_endpoint/data/catalog.json``.

The emulator reads its schemas, enums and catalog from these files -- never from the client
package -- so that it stays an independent oracle. The v2 OpenAPI document is loaded once into a
``referencing`` registry, so request bodies are validated against the spec's own schemas with
their ``$ref``s resolved, not against hand-copied fragments.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["V2_URI", "catalog", "graphql_sdl", "openapi_v2", "v2_registry", "v2_schema_ref"]

_PACKAGE = "pulumi_runpod_endpoint.emulator"
V2_URI = "urn:runpod:rest-v2-openapi"


def read_spec(name: str) -> str:
    return (resources.files(_PACKAGE) / "specs" / name).read_text(encoding="utf-8")


@cache
def openapi_v2() -> dict[str, Any]:
    return json.loads(read_spec("runpod_rest_v2_openapi.json"))  # type: ignore[no-any-return]


@cache
def v2_registry() -> Registry[Any]:
    """The whole v2 document as one JSON Schema 2020-12 resource (OpenAPI 3.1's dialect)."""
    resource: Resource[Any] = DRAFT202012.create_resource(openapi_v2())
    registry: Registry[Any] = Registry().with_resource(V2_URI, resource)
    return registry


def v2_schema_ref(name: str) -> dict[str, Any]:
    """A schema that is exactly ``#/components/schemas/<name>`` of the v2 spec."""
    if name not in openapi_v2()["components"]["schemas"]:
        raise KeyError(f"no schema {name!r} in the v2 spec")
    return {"$ref": f"{V2_URI}#/components/schemas/{name}"}


@cache
def catalog() -> dict[str, Any]:
    """RunPod's catalog (gpus, cpus, dataCenters), shipped with the package: a fact about the world."""
    text = (resources.files("pulumi_runpod_endpoint") / "data" / "catalog.json").read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


_PART_C = re.compile(r"extend (input EndpointInput|type Endpoint) \{.*?\n\}\n", re.DOTALL)


@cache
def graphql_sdl(flavor: str) -> str:
    """The reconstructed schema, completed where reconstruction lost things real clients use.

    Each patch is a place where the reconstructed file refuses a document a public client sends
    to RunPod successfully (the documents are replayed unchanged in tests/fixtures/graphql_documents):

    * ``User.endpoint`` takes ``id: String!`` (arguments were lost; runpod/flash ``getEndpoint``,
      runpod/runpod-mcp ``EndpointSnapshot``). It is non-null: an unknown or foreign id is a
      ``findFirstOrThrow`` rejection, "No AiApi found", and RunPod answers ``data: {myself: null}``
      (runpod-mcp 4c8e403), which is exactly how graphql propagates an error on a non-null field.
    * ``Query.podTemplate(id:)`` (flash ``getTemplate``); ``Mutation.deleteTemplate(templateName:)``
      (runpod/pulumi-runpod ``DeleteTemplate``).
    * ``updateEndpointTemplate(input: UpdateEndpointTemplateInput)`` takes a *nullable* input:
      runpodctl declares ``$input: UpdateEndpointTemplateInput`` (PR 266, tested live), which graphql
      refuses in a non-null position.
    * ``EndpointTemplateInput.config`` is ``JSON`` (flash sends ``config: {}``; pulumi-runpod's
      schema.graphql says ``config: JSON``).
    * Network volumes are written as ``NetworkVolumeIdsInput {networkVolumeId: String!}`` and read as
      ``NetworkVolumeIds {networkVolumeId dataCenterId}`` (runpod-mcp 8b80863 quotes the server's
      'Field "dataCenterId" is not defined by type "NetworkVolumeIdsInput"'; pulumi-runpod schema).
    * ``requestTTL`` and ``compliance: [Compliance]`` on Endpoint and EndpointInput (runpod-mcp reads
      and writes both); ``Compliance`` has ``HIPAA`` (pulumi-runpod schema).
    * EndpointInput's input defaults (pulumi-runpod schema.graphql: idleTimeout 10, scalerValue 4,
      workersMax 3, workersMin 0, workersPFBTarget 0, gpuCount 1, bindEndpoint true): graphql fills
      them in for omitted fields, which is why saveEndpoint with an ``id`` resets exactly those
      (runpodctl PR 281 and runpod-mcp 8b80863, measured live).

    Tensor One: an endpoint's workers are ``clusters`` (docs.tensorone.ai), and only the older
    documented surface exists -- the PART C additions (flashBootType, minCudaVersion,
    networkVolumeIds...) and the later requestTTL/compliance post-date the RunPod docs Tensor One copies.
    """
    sdl = read_spec("runpod_graphql_schema_RECONSTRUCTED_2025-09.graphql")
    sdl = "scalar JSON\n\n" + sdl
    sdl = _replace_in_type(sdl, "type User {", "  endpoint: Endpoint\n", "  endpoint(id: String!): Endpoint!\n")
    sdl = _replace_in_type(
        sdl, "type Query {", "  myself: User\n", "  myself: User\n  podTemplate(id: String!): PodTemplate\n"
    )
    sdl = _replace_in_type(
        sdl,
        "type Mutation {",
        "  updateEndpointTemplate(input: UpdateEndpointTemplateInput!): Endpoint\n",
        "  updateEndpointTemplate(input: UpdateEndpointTemplateInput): Endpoint\n"
        "  deleteTemplate(templateName: String): Boolean\n",
    )
    sdl = _replace_in_type(sdl, "input EndpointTemplateInput {", "  config: String\n", "  config: JSON\n")
    sdl = _replace_in_type(
        sdl,
        "input EndpointNetworkVolumeIdInput {",
        "  networkVolumeId: String\n  dataCenterId: String\n",
        "  networkVolumeId: String!\n",
    )
    sdl = sdl.replace("input EndpointNetworkVolumeIdInput {", "input NetworkVolumeIdsInput {", 1)
    sdl = sdl.replace("[EndpointNetworkVolumeIdInput]", "[NetworkVolumeIdsInput]", 1)
    sdl = sdl.replace("type EndpointNetworkVolumeId {", "type NetworkVolumeIds {", 1)
    sdl = sdl.replace("[EndpointNetworkVolumeId]", "[NetworkVolumeIds]", 1)
    sdl = _replace_in_type(sdl, "enum Compliance {", "  FISMA_HIGH\n", "  FISMA_HIGH\n  HIPAA\n")
    for name, default in _INPUT_DEFAULTS.items():
        kind = "Boolean" if name == "bindEndpoint" else "Int"
        sdl = _replace_in_type(sdl, "input EndpointInput {", f"  {name}: {kind}\n", f"  {name}: {kind} = {default}\n")
    if flavor == "tensorone":
        sdl = _replace_in_type(sdl, "type Endpoint {", "  pods: [Pod]\n", "  clusters: [Pod]\n")
        sdl = _PART_C.sub("", sdl)
    else:
        for header in ("extend input EndpointInput {", "extend type Endpoint {"):
            sdl = _replace_in_type(
                sdl,
                header,
                "  modelReferences: [String]\n",
                "  modelReferences: [String]\n  requestTTL: Int\n  compliance: [Compliance]\n",
            )
    return sdl


# EndpointInput's defaults as RunPod declares them (runpod/pulumi-runpod provider/pkg/runpod/schema.graphql).
_INPUT_DEFAULTS = {
    "idleTimeout": "10",
    "scalerValue": "4",
    "workersMax": "3",
    "workersMin": "0",
    "workersPFBTarget": "0",
    "gpuCount": "1",
    "bindEndpoint": "true",
}


def _replace_in_type(sdl: str, header: str, old: str, new: str) -> str:
    start = sdl.index("\n" + header) + 1
    end = sdl.index("\n}\n", start)
    block = sdl[start : end + 1]
    if old not in block:
        raise ValueError(f"schema file changed: {old.strip()!r} not in {header}")
    return sdl[:start] + block.replace(old, new, 1) + sdl[end + 1 :]
