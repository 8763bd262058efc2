"""The template lifecycle, made safe for production. Pulumi-free.

Calls per operation: create 1 (POST; an explicit name adds the list taken before it, see
``api/lifecycle.py``), read 1 (GET), update 1 PATCH of what changed (none when nothing differs),
delete 2 (DELETE, then GET to verify it is gone), adopt 1 GET (+1 PATCH when it differs from the
program). A create whose answer was lost never makes a second template.

RunPod refuses to delete a template a pod references or a serverless endpoint is bound to (400). In
a ``pulumi destroy`` the endpoints built from it go first (they depend on it), so the refusal is
usually an endpoint still being torn down: retried with backoff until ``delete_timeout``, then a
failure naming the pods that still reference it. A template already gone (an endpoint made through
GraphQL deletes its bound template with it) is a delete done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Set
from typing import Any

from ..api.errors import NotFound
from ..api.lifecycle import AdoptionRefused, RecordLifecycle, Timing
from .spec import TemplateSpec
from .v2 import Template, TemplateClient, create_body, flat, patch_body

__all__ = ["TemplateService"]


class TemplateService:
    """create / adopt / read / update / delete of templates over REST v2."""

    def __init__(
        self,
        client: TemplateClient,
        *,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.records = RecordLifecycle(client, timing=timing, sleep=sleep, clock=clock)

    def create(self, spec: TemplateSpec, *, unique_name: bool) -> Template:
        body = create_body(spec)
        return self.records.create(lambda: self.client.create(body), name=spec.name, unique_name=unique_name)

    def adopt(self, template_id: str, spec: TemplateSpec, *, only: Set[str] | None = None) -> Template:
        """Take over a template of this account: read it, then PATCH what differs among the fields the
        program declares (``only``; everything else stays as it is), pod flags off."""
        current = self.client.get(template_id)
        observed = {**flat(current), "start_ssh": current.start_ssh, "start_jupyter": current.start_jupyter}
        body = patch_body(observed, spec, pod_flags=True, only=only)
        if not body:
            return current
        try:
            return self.client.update(template_id, body)
        except NotFound:
            raise AdoptionRefused(
                f"template {template_id} can be read but not changed by this API key: it is a public template "
                "of another account (only its owner may change or delete it); use its id as an endpoint's "
                "template_id, or Template.get() to read it"
            ) from None

    def read(self, template_id: str) -> Template | None:
        return self.records.read(template_id)

    def update(
        self, template_id: str, current: Mapping[str, Any], spec: TemplateSpec, *, cleared: Set[str] = frozenset()
    ) -> Template | None:
        """One PATCH with what differs from ``current`` (flat, as last read); None when nothing did."""
        body = patch_body(current, spec, cleared=cleared)
        return self.client.update(template_id, body) if body else None

    def delete(self, template_id: str) -> None:
        self.records.delete(template_id, users=lambda: self.client.users_of(template_id))
