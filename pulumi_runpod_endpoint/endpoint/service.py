"""The endpoint lifecycle, made safe for production, over any backend. Pulumi-free.

What is written here once, whatever API serves the endpoint:

* **create never duplicates and never orphans.** When a create's answer is lost after it may have
  reached the API, we look for the endpoint it made before trying again. "Ours" must be certain: an
  auto-named endpoint carries a random suffix no one else has, so its exact name is enough; for an
  explicit name we list the endpoints *before* creating (one extra call) and only an endpoint that
  was not there before can be ours -- never one another stack or a person made with the same name.
* **delete scales to zero first** (GraphQL refuses to delete an endpoint with workers; on every API
  it stops billing at once), deletes, then **verifies** the endpoint is gone (a delete has reported
  success while the endpoint stayed billable: runpod/flash issue 367), retrying with backoff while
  workers drain, up to a deadline.
* **rollouts can be waited for**: after a create or an update, poll until no worker is stale, at
  least ``workers_min`` run the latest release and none is unhealthy. A create whose rollout times
  out is undone (scaled to zero, deleted, verified) before we fail, because the dynamic-provider
  host keeps no partial state: an endpoint left behind would be unknown to the state and billing
  (should the undo itself fail, the error names the endpoint left and how to delete or adopt it).
  An update that times out leaves the state on the old inputs; the next run reads first and waits
  for the release already under way instead of starting a second one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from ..api.errors import DeleteTimedOut, LeftBehind, NotFound, RolloutTimedOut, RunPodError, ValidationFailed
from ..api.lifecycle import RecordLifecycle, Timing
from .backend import Change, EndpointBackend, Observed, RolloutState
from .spec import EndpointSpec

__all__ = ["EndpointService", "Timing"]  # Timing is the shared lifecycle's


class _Endpoints:
    """The backend seen as one collection of named records, for the shared create and read rules."""

    noun = "endpoint"

    def __init__(self, backend: EndpointBackend) -> None:
        self.backend = backend

    def list(self) -> list[Observed]:
        return self.backend.list()

    def get(self, record_id: str) -> Observed:
        return self.backend.get(record_id)

    def delete(self, record_id: str) -> None:
        self.backend.delete(record_id)


class EndpointService:
    """create / read / update / delete / rollout waits of endpoints, on one backend."""

    def __init__(
        self,
        backend: EndpointBackend,
        *,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.timing = timing or Timing()
        self.records = RecordLifecycle(_Endpoints(backend), timing=self.timing, sleep=sleep, clock=clock)
        self._sleep = sleep
        self._clock = clock

    # -- create -------------------------------------------------------------------------------------
    def create(self, spec: EndpointSpec, *, unique_name: bool) -> Observed:
        """One create request; a lost answer is resolved by looking, never by guessing (``RecordLifecycle``)."""
        return self.records.create(lambda: self.backend.create(spec), name=spec.name, unique_name=unique_name)

    def create_and_wait(
        self, spec: EndpointSpec, *, unique_name: bool, timeout: float
    ) -> tuple[Observed, RolloutState | None]:
        """Create, then wait for the rollout; on timeout undo the create, then fail with the progress."""
        created = self.create(spec, unique_name=unique_name)
        try:
            state = self.wait_for_rollout(created.id, workers_min=spec.workers_min, timeout=timeout)
        except RolloutTimedOut as late:
            try:
                # It was made through v2 moments ago: bound to no template, so the plain v2 delete.
                self.delete(created.id, {**created.fields, "bound_template": created.bound_template})
            except RunPodError as undo:
                # The host keeps no partial state: unless the message names it, this endpoint is lost to
                # the stack, and the next `up` makes a second one beside it.
                raise LeftBehind(
                    f"endpoint {spec.name!r} ({created.id}) was created, but its release was not serving after "
                    f"{timeout:.0f}s ({late.progress}), and undoing the create failed ({undo.message}): endpoint "
                    f"{created.id} is left, scaled to zero workers unless that failed too. Delete it in the RunPod "
                    f"console, or keep it, before creating it again",
                    resource_id=created.id,
                ) from None
            raise RolloutTimedOut(
                f"endpoint {spec.name!r} ({created.id}) was created, but its release was not serving after "
                f"{timeout:.0f}s ({late.progress}); it was scaled to zero and deleted, so nothing is left billing",
                progress=late.progress,
            ) from None
        return created, state

    # -- read ---------------------------------------------------------------------------------------
    def read(self, endpoint_id: str) -> Observed | None:
        """The endpoint, or None when the API itself says it no longer exists."""
        return self.records.read(endpoint_id)

    # -- update -------------------------------------------------------------------------------------
    def update(
        self, endpoint_id: str, change: Change, *, wait_timeout: float | None = None
    ) -> tuple[Observed | None, RolloutState | None]:
        """Apply the change in one request (none if nothing differs); optionally wait for its rollout.

        When waiting, the endpoint is read first: if a previous run already applied this change and
        timed out waiting, the PATCH is empty and we wait for the release under way.
        """
        current = self.backend.get(endpoint_id) if wait_timeout is not None else None
        observed = self.backend.update(endpoint_id, change, current=current)
        state = None
        if wait_timeout is not None:
            state = self.wait_for_rollout(endpoint_id, workers_min=change.new.workers_min, timeout=wait_timeout)
        return (observed or current), state

    def wait_for_rollout(self, endpoint_id: str, *, workers_min: int, timeout: float) -> RolloutState | None:
        """Poll until the latest release serves (no stale worker, enough on it, none unhealthy)."""
        deadline = self._clock() + timeout
        delay = self.timing.first_poll
        while True:
            state = self.backend.rollout(endpoint_id)
            if state is None or state.done(workers_min):
                return state
            if self._clock() + delay > deadline:
                raise RolloutTimedOut(
                    f"the release of endpoint {endpoint_id} was not serving after {timeout:.0f}s: {state.describe()}",
                    progress=state.describe(),
                )
            self._sleep(delay)
            delay = min(delay * 2, self.timing.max_poll)

    # -- delete -------------------------------------------------------------------------------------
    def delete(self, endpoint_id: str, last_known: Mapping[str, Any] | None = None) -> None:
        """Scale to zero, delete, verify; an endpoint that is already gone is success."""
        deadline = self._clock() + self.timing.delete_timeout
        try:
            self.backend.scale_to_zero(endpoint_id, last_known)
        except NotFound:
            return
        delay = self.timing.first_poll
        while True:
            try:
                self.backend.delete(endpoint_id, last_known)
            except NotFound:
                return
            except ValidationFailed as refused:
                reason = refused.message
                observed = self.read(endpoint_id)
                if observed is None:
                    return
                if observed.has_workers_configured:
                    self.backend.scale_to_zero(endpoint_id, observed.fields)  # scaled up again meanwhile
            else:
                if self.read(endpoint_id) is None:
                    return
                reason = "the API accepted the delete, but the endpoint still exists"
            if self._clock() + delay > deadline:
                raise DeleteTimedOut(
                    f"endpoint {endpoint_id} could not be deleted within {self.timing.delete_timeout:.0f}s: {reason}. "
                    "It is scaled to zero workers, so no worker bills while it waits"
                )
            self._sleep(delay)
            delay = min(delay * 2, self.timing.max_poll)
