"""The network volume lifecycle, made safe for production. Pulumi-free.

Calls per operation: create 1 (POST; an explicit name adds the list taken before it, see
``api/lifecycle.py``), read 1 (GET), update 1 PATCH (none when nothing mutable differs), delete 2
(DELETE, then GET to verify it is gone; a delete refused until the deadline adds one list of pods and
one of endpoints, to name what still mounts it), adopt 1 GET (+1 PATCH when the volume must be renamed or
grown). A create whose answer was lost never makes a second volume; a delete that RunPod refuses
(a volume still attached) is retried with backoff until ``delete_timeout``.

Adopting an existing volume never changes what cannot be changed: a volume in another data center,
of another tier, or bigger than the program asks, is refused before any write, saying what to set.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..api.lifecycle import AdoptionRefused, RecordLifecycle, Timing
from .spec import VolumeSpec
from .v2 import NetworkVolume, VolumeClient, create_body, patch_body

__all__ = ["VolumeService", "adoption_problems"]


def adoption_problems(current: NetworkVolume, spec: VolumeSpec) -> list[str]:
    """Why ``current`` cannot become the volume ``spec`` declares without losing data."""
    problems = []
    if current.data_center != spec.data_center_id:
        problems.append(
            f"it is in data center {current.data_center}, not {spec.data_center_id} (a volume cannot move): "
            f"set data_center_id='{current.data_center}'"
        )
    if spec.type is not None and current.type != spec.type:
        problems.append(f"its tier is {current.type}, not {spec.type} (a tier is fixed): set type='{current.type}'")
    if spec.size_gb < current.size:
        problems.append(f"it has {current.size} GB and cannot shrink to {spec.size_gb}: set size_gb={current.size}")
    return problems


class VolumeService:
    """create / adopt / read / update / delete of network volumes over REST v2."""

    def __init__(
        self,
        client: VolumeClient,
        *,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.records = RecordLifecycle(client, timing=timing, sleep=sleep, clock=clock)

    def create(self, spec: VolumeSpec, *, unique_name: bool) -> NetworkVolume:
        body = create_body(spec)
        return self.records.create(lambda: self.client.create(body), name=spec.name, unique_name=unique_name)

    def adopt(self, volume_id: str, spec: VolumeSpec) -> NetworkVolume:
        """Take over an existing volume: read it, refuse what would lose data, then rename or grow it."""
        current = self.client.get(volume_id)
        problems = adoption_problems(current, spec)
        if problems:
            raise AdoptionRefused(f"network volume {volume_id} cannot be adopted as declared: {'; '.join(problems)}")
        return self.update(volume_id, current, spec) or current

    def read(self, volume_id: str) -> NetworkVolume | None:
        return self.records.read(volume_id)

    def update(self, volume_id: str, current: NetworkVolume, spec: VolumeSpec) -> NetworkVolume | None:
        """One PATCH with what differs (name, a larger size); None when nothing needed sending."""
        body = patch_body(current, spec)
        return self.client.update(volume_id, body) if body else None

    def delete(self, volume_id: str) -> None:
        """Delete and verify; while RunPod refuses (the volume is mounted), retry until the deadline,
        then say which pods and endpoints still use it."""
        self.records.delete(volume_id, users=lambda: self.client.users_of(volume_id))
