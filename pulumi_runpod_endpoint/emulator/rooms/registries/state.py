"""Container registry credentials: a name and write-only credentials.

Rules (spec: createRegistry, getRegistry, deleteRegistry; evidence where marked):
  * ``username`` and ``password`` are write-only: kept here, never in an answer (the journal's
    copy of the request is redacted too: see ``rest_v2.py``). ``matches`` lets the control API
    tell a test whether a credential was stored without handing it back.
  * names are unique per account: RunPod's REST v1 spec, ``ContainerRegistryAuthCreateInput.name``:
    "The name must be unique." (runpod/docs api-reference/openapi.json); v2 states nothing, and
    writes to the same backend. A duplicate is a 400 (status guessed: the spec lists 400 for
    "conflicts with request rules").
  * a delete is refused (400) while a pod pulls with the credential; templates that reference it
    "silently lose the reference (``registry`` becomes null)" (spec: deleteRegistry). An endpoint's
    own container settings are its bound template upstream, so they lose it too (an inference:
    no evidence shows an endpoint read after its credential was deleted).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

from ...problems import BadRequest, NotFound
from ...world import World
from ..pods import PodStore

__all__ = ["IN_USE", "Registry", "RegistryStore"]

# The spec's words for the refusal (deleteRegistry, response 400).
IN_USE = "Registry credential is in use by a pod and cannot be deleted"


@dataclass
class Registry:
    id: str
    name: str
    username: str = field(repr=False)
    password: str = field(repr=False)

    def matches(self, username: str, password: str) -> bool:
        same_user = hmac.compare_digest(self.username.encode(), username.encode())
        same_password = hmac.compare_digest(self.password.encode(), password.encode())
        return same_user and same_password


class RegistryStore:
    def __init__(self, world: World, pods: PodStore) -> None:
        self.world = world
        self.pods = pods
        self._registries: dict[str, Registry] = {}
        self._on_delete: list[Callable[[str], None]] = []

    def on_delete(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(registry_id)`` after a credential is deleted (templates drop it)."""
        self._on_delete.append(callback)

    def get(self, registry_id: str) -> Registry:
        with self.world.lock:
            registry = self._registries.get(registry_id)
            if registry is None:
                raise NotFound(f"registry {registry_id} not found")
            return registry

    def exists(self, registry_id: str) -> bool:
        with self.world.lock:
            return registry_id in self._registries

    def all(self) -> list[Registry]:
        with self.world.lock:
            return list(self._registries.values())

    def create(self, name: str, username: str, password: str, *, registry_id: str | None = None) -> Registry:
        with self.world.lock:
            taken = [r.id for r in self._registries.values() if r.name == name and r.id != registry_id]
            if taken:
                raise BadRequest(
                    f"name: a registry credential named {name!r} already exists ({taken[0]}); names are unique"
                )
            registry = Registry(registry_id or self.world.new_id(10), name, username, password)
            self._registries[registry.id] = registry
            return registry

    def delete(self, registry_id: str) -> None:
        with self.world.lock:
            self.get(registry_id)
            pods = self.pods.pulling_with(registry_id)
            if pods:
                raise BadRequest(f"{IN_USE} (pods: {', '.join(pods)})")
            del self._registries[registry_id]
            for callback in self._on_delete:
                callback(registry_id)

    def reset(self) -> None:
        with self.world.lock:
            self._registries.clear()
