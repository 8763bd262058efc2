"""State written by the previous release (REST v1 / GraphQL field names), read as today's fields.

Why: a stack made with 0.1 keeps its old outputs until its next update. If diff and read did not
understand them, upgrading the package would show every endpoint's fields as changed -- and a
changed compute family as a *replacement*, which deletes a serving endpoint. So old names are
translated here, once, wherever old props can come in (diff's olds, read's and delete's props):

=====================  =====================================================================
0.1 field              today
=====================  =====================================================================
gpu_ids                gpu_pools (pool ids) + gpu_excluded_types (the ``-<GPU type>`` entries)
gpu_type_ids           gpu_pools holding those types + gpu_excluded_types for the rest of them
instance_ids           cpu ``[{flavor_id, vcpu_count}]`` (``cpu3g-4-16`` -> cpu3g at 4 vCPUs)
locations              data_center_ids (data center ids kept; region codes have no v2 equal)
network_volume_id      network_volume_ids ``[id]``
flashboot (bool)       flashboot ``FLASHBOOT`` / ``OFF``
compute_type           dropped (the compute family follows from the CPU or GPU fields)
=====================  =====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..api.catalog import shipped_catalog
from ..dynamic.tokens import MANAGED_FIELDS

__all__ = ["LEGACY_FIELDS", "upgrade_props"]

LEGACY_FIELDS: tuple[str, ...] = (
    "gpu_ids",
    "gpu_type_ids",
    "instance_ids",
    "locations",
    "network_volume_id",
    "compute_type",
    "template",
    "version",
)
_INSTANCE = re.compile(r"^(cpu\d[a-z])-(\d+)-\d+$")


def upgrade_props(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with every 0.1 field translated; today's props come back unchanged."""
    if not any(name in values for name in LEGACY_FIELDS) and not isinstance(values.get("flashboot"), bool):
        return dict(values)
    props = {name: value for name, value in values.items() if name not in LEGACY_FIELDS}
    props.setdefault("type", "QUEUE")  # 0.1 made queue endpoints only; a missing type must not read as a change
    renames: dict[str, list[str]] = {}
    gpu_ids = values.get("gpu_ids")
    if isinstance(gpu_ids, list) and gpu_ids:
        props["gpu_pools"] = [item for item in gpu_ids if not str(item).startswith("-")]
        excluded = [str(item)[1:] for item in gpu_ids if str(item).startswith("-")]
        if excluded:
            props["gpu_excluded_types"] = excluded
        renames["gpu_ids"] = ["gpu_pools", *(["gpu_excluded_types"] if excluded else [])]
    types = values.get("gpu_type_ids")
    if isinstance(types, list) and types and "gpu_pools" not in props:
        pools = shipped_catalog().pools()
        chosen = [pool for pool, members in pools.items() if set(members) & set(types)]
        props["gpu_pools"] = chosen
        rest = sorted({gpu for pool in chosen for gpu in pools[pool]} - set(types))
        if rest:
            props["gpu_excluded_types"] = rest
        renames["gpu_type_ids"] = ["gpu_pools", *(["gpu_excluded_types"] if rest else [])]
    instances = values.get("instance_ids")
    if isinstance(instances, list) and instances and not values.get("cpu_flavor_ids"):
        parsed = [_INSTANCE.match(str(item)) for item in instances]
        if all(parsed):
            props["cpu"] = [{"flavor_id": m.group(1), "vcpu_count": int(m.group(2))} for m in parsed if m]
            renames["instance_ids"] = ["cpu"]
    locations = values.get("locations")
    if isinstance(locations, list) and locations and not props.get("data_center_ids"):
        known = set(shipped_catalog().data_center_ids())
        centers = [item for item in locations if item in known]
        if centers:
            props["data_center_ids"] = centers
            renames["locations"] = ["data_center_ids"]
    volume = values.get("network_volume_id")
    if isinstance(volume, str) and volume and not props.get("network_volume_ids"):
        props["network_volume_ids"] = [volume]
        renames["network_volume_id"] = ["network_volume_ids"]
    if isinstance(values.get("flashboot"), bool):
        props["flashboot"] = "FLASHBOOT" if values["flashboot"] else "OFF"
    is_cpu = values.get("compute_type") == "CPU" or bool(instances) or bool(values.get("cpu_flavor_ids"))
    if is_cpu:
        props.pop("gpu_count", None)  # 0.1 recorded a GPU count (1) even on CPU endpoints
    managed = values.get(MANAGED_FIELDS)
    if isinstance(managed, list):
        upgraded: list[str] = []
        for name in managed:
            if is_cpu and name == "gpu_count":
                continue
            upgraded += renames.get(name, [] if name in LEGACY_FIELDS else [name])
        props[MANAGED_FIELDS] = list(dict.fromkeys(upgraded))
    return props
