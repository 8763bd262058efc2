"""The published API documents the emulator is built from (copies of ../shared/specs).

The emulator reads its enums, defaults and schemas from these files -- never from the
client package -- so that it stays an independent oracle.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["gpu_pools", "graphql_sdl", "openapi", "openapi_schema", "rest_enum"]

_PACKAGE = "pulumi_runpod_endpoint.emulator"


def _read(name: str) -> str:
    return (resources.files(_PACKAGE) / "specs" / name).read_text(encoding="utf-8")


@cache
def openapi() -> dict[str, Any]:
    return json.loads(_read("runpod_rest_v1_openapi.json"))  # type: ignore[no-any-return]


def openapi_schema(name: str, *, strict: bool) -> dict[str, Any]:
    """A component schema as a standalone JSON Schema.

    ``strict`` adds ``additionalProperties: false``: the spec does not say whether RunPod
    ignores unknown fields, and a typo ignored in tests would be a bug shipped to users.
    """
    schema = dict(openapi()["components"]["schemas"][name])
    if strict:
        schema["additionalProperties"] = False
    return schema


def rest_enum(schema: str, field: str) -> list[str]:
    prop = openapi()["components"]["schemas"][schema]["properties"][field]
    values = prop.get("items", prop).get("enum", [])
    return list(dict.fromkeys(values))


@cache
def gpu_pools() -> dict[str, Any]:
    return json.loads(_read("runpod_gpu_pools_DERIVED.json"))["pools"]  # type: ignore[no-any-return]


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
    sdl = _read("runpod_graphql_schema_RECONSTRUCTED_2025-09.graphql")
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
