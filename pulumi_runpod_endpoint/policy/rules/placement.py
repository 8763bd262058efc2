"""Where workers and data may go: GPU pools and types, CPU flavors, data centers and regions.

Pools, the GPU types inside them and each data center's region come from the catalog shipped with
the package -- the same data the provider's ``check`` validates against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...api.catalog import Catalog, shipped_catalog
from ..facts import EndpointFacts, VolumeFacts
from ..settings import settings, strings

__all__ = ["allowed_data_centers", "allowed_gpus", "allowed_regions"]


def _listing(items: list[str] | set[str], limit: int = 12, *, quote: bool = False) -> str:
    ordered = [f"'{item}'" if quote else item for item in sorted(items)]
    return ", ".join(ordered[:limit]) + (f", ... ({len(ordered)} in all)" if len(ordered) > limit else "")


def allowed_gpus(facts: EndpointFacts, config: Mapping[str, Any], catalog: Catalog | None = None) -> list[str]:
    conf = settings(config, "allowed-gpus")
    pools, types, flavors = (
        set(strings(conf["allowedGpuPools"])),
        set(strings(conf["allowedGpuTypes"])),
        set(strings(conf["allowedCpuFlavors"])),
    )
    catalog = catalog or shipped_catalog()
    spec = facts.spec
    messages: list[str] = []
    if spec.is_cpu:
        field = "cpu" if spec.cpu else "cpu_flavor_ids"
        if flavors and facts.known("cpu", "cpu_flavor_ids"):
            for flavor in sorted({choice.flavor_id for choice in spec.cpu_choices()} - flavors):
                messages.append(
                    facts.say(
                        f"{field} includes '{flavor}', which is not an allowed CPU flavor (allowed-gpus).",
                        f"use only {_listing(flavors)}, or add '{flavor}' to allowedCpuFlavors.",
                    )
                )
        return messages
    if not facts.known("gpu_pools", "gpu_excluded_types"):
        return []
    chosen = list(spec.gpu_pools or ())
    if pools:
        for pool in chosen:
            if pool not in pools:
                messages.append(
                    facts.say(
                        f"gpu_pools includes '{pool}', which is not allowed (allowed-gpus).",
                        f"use only {_listing(pools)}, or add '{pool}' to allowedGpuPools.",
                    )
                )
    if types:
        excluded = set(spec.gpu_excluded_types or ())
        members = catalog.pools()
        for pool in chosen:
            if pools and pool not in pools:
                continue  # already refused as a whole
            landing = set(members.get(pool, ())) - excluded - types
            if landing:
                shown = _listing(landing, quote=True)
                messages.append(
                    facts.say(
                        f"gpu_pools '{pool}' lets workers land on {shown}, not allowed GPU types (allowed-gpus).",
                        f"add {shown} to gpu_excluded_types, drop '{pool}' from gpu_pools, or add them to "
                        "allowedGpuTypes.",
                    )
                )
    return messages


def allowed_data_centers(config: Mapping[str, Any], catalog: Catalog | None = None) -> set[str] | None:
    """The data centers allowed-regions accepts (both lists apply), or None when it accepts any."""
    conf = settings(config, "allowed-regions")
    centers, regions = set(strings(conf["allowedDataCenters"])), {r.upper() for r in strings(conf["allowedRegions"])}
    if not centers and not regions:
        return None
    catalog = catalog or shipped_catalog()
    known = set(catalog.data_center_ids()) | centers
    return {
        dc
        for dc in known
        if (not centers or dc in centers)
        and (not regions or str((catalog.data_center(dc) or {}).get("region", "")).upper() in regions)
    }


def _where(dc: str, catalog: Catalog) -> str:
    region = (catalog.data_center(dc) or {}).get("region")
    return f"'{dc}' ({region})" if region else f"'{dc}'"


def allowed_regions(
    facts: EndpointFacts | VolumeFacts, config: Mapping[str, Any], catalog: Catalog | None = None
) -> list[str]:
    """Endpoints run, and volumes keep their data, only in allowed data centers / regions."""
    catalog = catalog or shipped_catalog()
    allowed = allowed_data_centers(config, catalog)
    if allowed is None:
        return []
    choices = _listing(allowed) if allowed else "none (the config allows no known data center)"
    widen = "or widen the policy's allowedDataCenters / allowedRegions"
    if isinstance(facts, VolumeFacts):
        dc = facts.spec.data_center_id
        if not facts.known("data_center_id") or dc in allowed:
            return []
        return [
            facts.say(
                f"data_center_id is {_where(dc, catalog)}, which is not allowed (allowed-regions); the volume's "
                "data would live there.",
                f"create the volume in one of {choices} (a volume's data center is fixed: moving it means a new "
                f"volume), {widen}.",
            )
        ]
    if not facts.known("data_center_ids"):
        return []
    declared = facts.spec.data_center_ids
    if not declared:
        return [
            facts.say(
                "data_center_ids is not set, so workers may run in any data center (allowed-regions).",
                f"set data_center_ids to some of {choices}.",
            )
        ]
    return [
        facts.say(
            f"data_center_ids includes {_where(dc, catalog)}, which is not allowed (allowed-regions).",
            f"use only data centers among {choices}, {widen}.",
        )
        for dc in declared
        if dc not in allowed
    ]
