"""Network volumes: how big, and where they sit next to the endpoints that mount them.

A network volume lives in one data center, and a worker that mounts one runs in that data center
(RunPod: "Resources that mount it run in that data center"). An endpoint that lists a volume outside
its own ``data_center_ids`` can never mount it -- and when none of its volumes is inside, no worker
can start at all: the mistake behind runpodctl issue 181 (volumes created before knowing where the
GPUs are). An endpoint takes at most one volume per data center.

Which volumes an endpoint mounts is a stack question: the endpoint knows ids, the volumes know data
centers, and a resource in a policy has no id. The engine records which resources each input was
computed from (``propertyDependencies``), so ``network_volume_ids=[volume.id]`` links the endpoint to
that NetworkVolume -- in a preview too, while the id is still unknown. Volumes the stack does not
declare are known only through the rules' ``externalVolumes`` config (id -> data center).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..facts import EndpointFacts, StackFacts, VolumeFacts
from ..settings import number, settings

__all__ = [
    "PlacedVolume",
    "mounted_volumes",
    "one_volume_per_data_center",
    "volume_size_cap",
    "volumes_in_data_centers",
]


def volume_size_cap(facts: VolumeFacts, config: Mapping[str, Any]) -> list[str]:
    cap = int(number(settings(config, "volume-size-cap")["maxSizeGb"], 1024))
    size = facts.spec.size_gb
    if not facts.known("size_gb") or size <= cap:
        return []
    return [
        facts.say(
            f"size_gb is {size}, above the cap of {cap} GB (volume-size-cap); a network volume bills per GB "
            "per month until it is deleted, used or not.",
            f"set size_gb to {cap} or less, or raise the policy's maxSizeGb. (A volume never shrinks: for an "
            "existing one, create a smaller volume, copy what you need, then remove this one.)",
        )
    ]


@dataclass(frozen=True)
class PlacedVolume:
    """One volume an endpoint mounts, and its data center (None while unknown)."""

    label: str  # "NetworkVolume 'weights'" or "volume 'vol_abc' (externalVolumes)"
    data_center: str | None


def mounted_volumes(endpoint: EndpointFacts, stack: StackFacts, external: Mapping[str, Any]) -> list[PlacedVolume]:
    """The volumes behind an endpoint's ``network_volume_ids``: the stack's NetworkVolumes it depends
    on, and the ids the config places."""
    placed: list[PlacedVolume] = []
    for urn in endpoint.volume_urns:
        volume = stack.volumes.get(urn)
        if volume is not None:
            center = volume.spec.data_center_id if volume.known("data_center_id") else None
            placed.append(PlacedVolume(f"NetworkVolume '{volume.resource_name}'", center))
    if endpoint.known("network_volume_ids"):
        ids: Any = endpoint.spec.network_volume_ids or []
    else:  # a preview: the ids computed from volumes are unknown, literal ones are not
        ids = endpoint.props.partial.get("network_volume_ids") or []
    for volume_id in ids if isinstance(ids, list) else []:
        center = external.get(volume_id) if isinstance(volume_id, str) else None
        if isinstance(center, str):
            placed.append(PlacedVolume(f"volume '{volume_id}' (externalVolumes)", center))
    return placed


def _external(config: Mapping[str, Any], rule: str) -> Mapping[str, Any]:
    value = settings(config, rule)["externalVolumes"]
    return value if isinstance(value, Mapping) else {}


def volumes_in_data_centers(stack: StackFacts, config: Mapping[str, Any]) -> list[str]:
    """Every volume an endpoint mounts must sit in one of the endpoint's data centers."""
    external = _external(config, "volumes-in-endpoint-data-centers")
    messages: list[str] = []
    for endpoint in stack.endpoints:
        centers = endpoint.spec.data_center_ids
        if not endpoint.known("data_center_ids") or not centers:
            continue  # no data centers chosen: RunPod places the workers where the volumes are
        volumes = [v for v in mounted_volumes(endpoint, stack, external) if v.data_center is not None]
        outside = [v for v in volumes if v.data_center not in centers]
        if not outside:
            continue
        allowed = ", ".join(centers)
        if len(outside) == len(volumes):
            where = "; ".join(f"{v.label} is in {v.data_center}" for v in outside)
            places = ", ".join(sorted({str(v.data_center) for v in outside}))
            messages.append(
                endpoint.say(
                    f"none of the network volumes in network_volume_ids is in its data_center_ids [{allowed}]: "
                    f"{where} (volumes-in-endpoint-data-centers). Workers run only where their volume is, and "
                    "this endpoint allows none of those data centers, so no worker can start.",
                    f"add {places} to data_center_ids, or create the volumes in {allowed} (a volume's data center "
                    "is fixed: that means new volumes).",
                )
            )
            continue
        for volume in outside:
            messages.append(
                endpoint.say(
                    f"network_volume_ids includes {volume.label} in {volume.data_center}, outside its "
                    f"data_center_ids [{allowed}] (volumes-in-endpoint-data-centers): its workers can never "
                    "mount it.",
                    f"add {volume.data_center} to data_center_ids, or remove the volume from network_volume_ids "
                    f"(or replace it with one in {allowed}).",
                )
            )
    return messages


def one_volume_per_data_center(stack: StackFacts, config: Mapping[str, Any]) -> list[str]:
    """A worker mounts the one volume of its data center: two in the same one is a mistake."""
    external = _external(config, "one-volume-per-data-center")
    messages: list[str] = []
    for endpoint in stack.endpoints:
        by_center: dict[str, list[str]] = {}
        for volume in mounted_volumes(endpoint, stack, external):
            if volume.data_center is not None:
                by_center.setdefault(volume.data_center, []).append(volume.label)
        for center, labels in sorted(by_center.items()):
            if len(labels) > 1:
                messages.append(
                    endpoint.say(
                        f"network_volume_ids has {len(labels)} volumes in {center} ({', '.join(labels)}) "
                        "(one-volume-per-data-center): an endpoint mounts at most one network volume per data "
                        "center.",
                        f"keep one volume in {center} in network_volume_ids (put what the others hold on it), "
                        "or move the others' data to volumes in other data centers.",
                    )
                )
    return messages
