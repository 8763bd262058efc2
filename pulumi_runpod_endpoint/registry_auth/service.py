"""The registry credential lifecycle, made safe for production. Pulumi-free.

Calls per operation: create 1 (POST; an explicit name adds the list taken before it, see
``api/lifecycle.py``), read 1 (GET), update none (the API has no update: every change is a
replacement, made before the old credential is deleted), delete 2 (DELETE, then GET to verify it is
gone), adopt 1 (GET). A create whose answer was lost never makes a second credential.

RunPod refuses to delete a credential while a pod pulls with it (400). During a replacement that is
the normal case -- the endpoints move to the new credential and their workers roll over -- so a
refused delete is retried with backoff until ``delete_timeout``, then fails naming what still uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ..api.lifecycle import AdoptionRefused, RecordLifecycle, Timing
from .spec import RegistryAuthSpec
from .v2 import Registry, RegistryClient

__all__ = ["RegistryService"]


class RegistryService:
    """create / adopt / read / delete of registry credentials over REST v2."""

    def __init__(
        self,
        client: RegistryClient,
        *,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.records = RecordLifecycle(client, timing=timing, sleep=sleep, clock=clock)

    def create(self, spec: RegistryAuthSpec, *, unique_name: bool) -> Registry:
        return self.records.create(lambda: self.client.create(spec), name=spec.name, unique_name=unique_name)

    def adopt(self, registry_id: str, spec: RegistryAuthSpec) -> Registry:
        """Take over an existing credential as it is: its name must be the one declared (RunPod cannot
        rename it), and its username and password cannot be read, so they are taken on trust."""
        current = self.client.get(registry_id)
        if current.name != spec.name:
            raise AdoptionRefused(
                f"registry credential {registry_id} is named {current.name!r}, not {spec.name!r}, and RunPod "
                f"cannot rename a credential: set name={current.name!r} to adopt it"
            )
        return current

    def read(self, registry_id: str) -> Registry | None:
        return self.records.read(registry_id)

    def delete(self, registry_id: str) -> None:
        self.records.delete(registry_id, users=lambda: self.client.users_of(registry_id))
