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
    """The reconstructed schema, completed where reconstruction lost things.

    * ``User.endpoint`` takes ``id: String!`` (field arguments were lost; public clients call
      ``myself { endpoint(id: $id) }``, e.g. runpod/runpod-mcp).
    * Tensor One: an endpoint's workers are ``clusters`` (docs.tensorone.ai), and only the
      older documented surface exists -- the PART C additions (flashBootType, minCudaVersion,
      networkVolumeIds...) post-date the RunPod docs Tensor One copies.
    """
    sdl = read_spec("runpod_graphql_schema_RECONSTRUCTED_2025-09.graphql")
    sdl = _replace_in_type(sdl, "type User {", "  endpoint: Endpoint\n", "  endpoint(id: String!): Endpoint\n")
    if flavor == "tensorone":
        sdl = _replace_in_type(sdl, "type Endpoint {", "  pods: [Pod]\n", "  clusters: [Pod]\n")
        sdl = _PART_C.sub("", sdl)
    return sdl


def _replace_in_type(sdl: str, header: str, old: str, new: str) -> str:
    start = sdl.index("\n" + header) + 1
    end = sdl.index("\n}\n", start)
    block = sdl[start:end]
    if old not in block:
        raise ValueError(f"schema file changed: {old.strip()!r} not in {header}")
    return sdl[:start] + block.replace(old, new, 1) + sdl[end:]
