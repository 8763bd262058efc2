"""Declared pods: which template each references and which registry credential it pulls with.

A pod may be declared for a while (``seconds``): it then goes away by itself on the emulator's
clock, which is how a test makes a credential "in use" for a bounded time and watches a client's
retry succeed once the pod is gone (issue 17: "Its delete is refused (400) while a pod pulls with
it; retry with backoff for a bounded time").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...clock import iso
from ...problems import NotFound
from ...world import World

__all__ = ["Pod", "PodStore"]


@dataclass
class Pod:
    id: str
    template_id: str | None
    registry_id: str | None
    until: float | None
    """When the pod goes away by itself (emulator clock); None: when deleted."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "templateId": self.template_id,
            "registry": self.registry_id,
            "until": iso(self.until) if self.until is not None else None,
        }


class PodStore:
    def __init__(self, world: World) -> None:
        self.world = world
        self._pods: dict[str, Pod] = {}

    def add(self, template_id: str | None, registry_id: str | None, seconds: float | None) -> Pod:
        with self.world.lock:
            until = self.world.clock.now() + seconds if seconds is not None else None
            pod = Pod(self.world.new_id(14), template_id, registry_id, until)
            self._pods[pod.id] = pod
            return pod

    def remove(self, pod_id: str) -> None:
        with self.world.lock:
            if pod_id not in self.live_ids():
                raise NotFound(f"pod {pod_id} not found")
            del self._pods[pod_id]

    def live(self) -> list[Pod]:
        """The pods that still exist: those declared for a while go away when it is over."""
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
