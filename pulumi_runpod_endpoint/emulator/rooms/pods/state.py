"""Declared pods: what each is called, which template it was made from, which registry credential
it pulls with, which network volume it mounts, and what runs in it.

Pods are not created through ``/v2/pods`` here: tests declare them (control API). A declared pod
is RUNNING from the moment it is declared, on a GPU in one data center (its network volume's, or
the spec's example data center), and is listed and read through ``GET /v2/pods`` and
``GET /v2/pods/{id}`` (``rest_v2.py`` translates it to the spec's ``Pod``).

A pod may be declared for a while (``seconds``): it then goes away by itself on the emulator's
clock, which is how a test makes a credential "in use" for a bounded time and watches a client's
retry succeed once the pod is gone (issue 17: "Its delete is refused (400) while a pod pulls with
it; retry with backoff for a bounded time"). A pod that has gone away is neither listed nor read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...clock import iso
from ...problems import NotFound
from ...world import World

__all__ = ["DEFAULT_DATA_CENTER", "DEFAULT_IMAGE", "Container", "Pod", "PodStore"]

# The spec's example pod (listPods, getPod): its image and its data center.
DEFAULT_IMAGE = "runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404"
DEFAULT_DATA_CENTER = "US-KS-2"
DEFAULT_DISK_GB = 50


@dataclass(frozen=True)
class Container:
    """What runs in a pod: the settings of the template it was made from, or these defaults."""

    image: str = DEFAULT_IMAGE
    args: str = ""
    disk: int = DEFAULT_DISK_GB
    ports: tuple[str, ...] = ()
    cuda_versions: tuple[str, ...] = ()
    """The CUDA versions the template allows (empty: any): the pod's host reports one of them."""


@dataclass
class Pod:
    id: str
    template_id: str | None
    registry_id: str | None
    until: float | None
    """When the pod goes away by itself (emulator clock); None: when deleted."""
    name: str = ""
    created_at: float = 0.0
    network_volume_id: str | None = None
    data_center_id: str = DEFAULT_DATA_CENTER
    container: Container = field(default_factory=Container)

    def to_json(self) -> dict[str, Any]:
        """The control API's view (``/_emulator/pods``)."""
        return {
            "id": self.id,
            "name": self.name,
            "templateId": self.template_id,
            "registry": self.registry_id,
            "networkVolumeId": self.network_volume_id,
            "until": iso(self.until) if self.until is not None else None,
        }


class PodStore:
    def __init__(self, world: World) -> None:
        self.world = world
        self._pods: dict[str, Pod] = {}

    def add(
        self,
        template_id: str | None,
        registry_id: str | None,
        seconds: float | None,
        *,
        name: str | None = None,
        network_volume_id: str | None = None,
        data_center_id: str | None = None,
        container: Container | None = None,
    ) -> Pod:
        """Declare a pod (named ``pod-<id>`` unless ``name`` is given), live from now."""
        with self.world.lock:
            now = self.world.clock.now()
            until = now + seconds if seconds is not None else None
            pod_id = self.world.new_id(14)
            pod = Pod(
                pod_id,
                template_id,
                registry_id,
                until,
                name=name if name is not None else f"pod-{pod_id}",
                created_at=now,
                network_volume_id=network_volume_id,
                data_center_id=data_center_id or DEFAULT_DATA_CENTER,
                container=container or Container(),
            )
            self._pods[pod.id] = pod
            return pod

    def get(self, pod_id: str) -> Pod:
        """A live pod (404 if it was never declared, was deleted or has gone away)."""
        with self.world.lock:
            for pod in self.live():
                if pod.id == pod_id:
                    return pod
            raise NotFound(f"pod {pod_id} not found")

    def remove(self, pod_id: str) -> None:
        with self.world.lock:
            self.get(pod_id)
            del self._pods[pod_id]

    def live(self) -> list[Pod]:
        """The pods that still exist, oldest first: those declared for a while go away when it is over."""
        with self.world.lock:
            now = self.world.clock.now()
            for pod_id in [p.id for p in self._pods.values() if p.until is not None and p.until <= now]:
                del self._pods[pod_id]
            return list(self._pods.values())

    def live_ids(self) -> set[str]:
        return {pod.id for pod in self.live()}

    def referencing_template(self, template_id: str) -> list[str]:
        return [pod.id for pod in self.live() if pod.template_id == template_id]

    def pulling_with(self, registry_id: str) -> list[str]:
        return [pod.id for pod in self.live() if pod.registry_id == registry_id]

    def reset(self) -> None:
        with self.world.lock:
            self._pods.clear()
