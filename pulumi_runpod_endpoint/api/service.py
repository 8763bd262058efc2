"""Backend-agnostic endpoint operations with the safety rules production needs.

The clients in ``rest.py`` and ``graphql.py`` map one call to one request. This module decides
*which* API serves a spec, and makes the lifecycle safe:

* create is transactional: when the API may have created the endpoint but no answer came, it
  looks for it (by name, template and creation time) before it reports anything, so it never
  leaves an orphan billing in the dark nor creates a duplicate;
* delete scales to zero first (the API refuses to delete an endpoint with workers), retries
  while workers drain, and verifies that the endpoint is really gone (runpod/flash issue 367);
* reads pick the API that observes every declared field, in as few calls as possible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timezone

import httpx

from .enums import Backend
from .errors import NotFound, RunPodError, ValidationFailed
from .graphql import DEFAULT_GRAPHQL_URL, DEFAULT_TENSORONE_URL, GraphQLClient
from .models import Endpoint, EndpointSpec
from .rest import DEFAULT_REST_URL, RestClient
from .transport import RetryPolicy, Transport

__all__ = ["EndpointService"]

# How far the API's clock may be from ours when matching an endpoint created by a lost request.
_CLOCK_SKEW_SECONDS = 300.0


class EndpointService:
    """create / read / update / delete / find of endpoints on RunPod or Tensor One."""

    def __init__(
        self,
        api_key: str,
        *,
        backend: Backend | str = Backend.RUNPOD,
        graphql_url: str | None = None,
        rest_url: str | None = None,
        retry: RetryPolicy | None = None,
        delete_timeout: float = 600.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.backend = Backend(backend)
        self.transport = Transport(api_key, retry=retry, transport=transport, sleep=sleep)
        if self.backend is Backend.TENSORONE:
            self.graphql = GraphQLClient(self.transport, graphql_url or DEFAULT_TENSORONE_URL, flavor="tensorone")
            self.rest: RestClient | None = None
        else:
            self.graphql = GraphQLClient(self.transport, graphql_url or DEFAULT_GRAPHQL_URL, flavor="runpod")
            self.rest = RestClient(self.transport, rest_url or DEFAULT_REST_URL)
        self.delete_timeout = delete_timeout
        self._sleep = sleep
        self._clock = clock

    def close(self) -> None:
        self.transport.close()

    # -- which API ---------------------------------------------------------------------------
    def _rest_for_writes(self, spec: EndpointSpec) -> RestClient | None:
        """REST writes everything but the GraphQL-only fields; GraphQL the rest (and Tensor One)."""
        if self.rest is None or spec.api_surface == "graphql":
            return None
        return self.rest

    # -- create ------------------------------------------------------------------------------
    def create(self, spec: EndpointSpec) -> Endpoint:
        """Create the endpoint in one request; resolve a lost answer without duplicating."""
        started = self._clock()
        try:
            return self._create_once(spec)
        except RunPodError as error:
            if not error.maybe_committed:
                raise
            found = self.find_created(spec, since=started)
            if found is not None:
                return found
            # Looked, and the lost request did not create anything: one more try is safe.
            return self._create_once(spec)

    def _create_once(self, spec: EndpointSpec) -> Endpoint:
        rest = self._rest_for_writes(spec)
        if rest is not None:
            created = rest.create(spec)
            # REST answers carry no flashboot; the request just set it.
            return created.model_copy(update={"flashboot": spec.flashboot})
        return self.graphql.save(spec)

    def find_created(self, spec: EndpointSpec, *, since: float) -> Endpoint | None:
        """The endpoint a lost create request made, if any: same name and template, created
        after the request started. Several candidates are an error: guessing could adopt an
        endpoint someone else owns."""
        candidates = [
            endpoint
            for endpoint in self.list()
            if endpoint.name == spec.name
            and endpoint.template_id == spec.template_id
            and _created_after(endpoint.created_at, since - _CLOCK_SKEW_SECONDS)
        ]
        if len(candidates) > 1:
            ids = ", ".join(endpoint.id for endpoint in candidates)
            raise ValidationFailed(
                f"the create request for {spec.name!r} got no answer and {len(candidates)} matching "
                f"endpoints now exist ({ids}); keep one with `adopt_existing_id` and delete the others"
            )
        return candidates[0] if candidates else None

    def list(self) -> list[Endpoint]:
        if self.rest is not None:
            return self.rest.list()
        return self.graphql.list()

    # -- read --------------------------------------------------------------------------------
    def read(self, endpoint_id: str, spec: EndpointSpec | None = None, *, complete: bool = False) -> Endpoint | None:
        """The endpoint as the API sees it, or None if it is gone.

        REST v1 observes gpuTypeIds, cpu flavors and data centers but not FlashBoot; GraphQL
        observes FlashBoot, gpuIds, locations and env but not the REST-only fields. A spec
        that uses REST-only fields therefore needs both (two calls); any other needs one.
        ``complete`` asks for both when there is no spec to go by (reading an endpoint that
        this program did not create).
        """
        both = spec.api_surface == "rest" if spec is not None else complete
        try:
            if self.rest is not None and both:
                observed = self.rest.get(endpoint_id, include_template=True)
            else:
                return self.graphql.get(endpoint_id)
        except NotFound:
            return None
        try:
            return observed.merged(self.graphql.get(endpoint_id))
        except NotFound:
            # REST just saw it: a lagging GraphQL view must not make a live endpoint look gone
            # (a refresh would drop it from the state and the next up would create a twin).
            return observed

    # -- update ------------------------------------------------------------------------------
    def update(self, endpoint_id: str, spec: EndpointSpec) -> Endpoint:
        """Bring the endpoint to ``spec`` with one idempotent request (PATCH or saveEndpoint+id)."""
        rest = self._rest_for_writes(spec)
        if rest is not None:
            updated = rest.update(endpoint_id, spec)
            return updated.model_copy(update={"flashboot": spec.flashboot})
        return self.graphql.save(spec, endpoint_id)

    # -- delete ------------------------------------------------------------------------------
    def delete(self, endpoint_id: str, spec: EndpointSpec | None = None) -> None:
        """Scale to zero, delete, and verify; an endpoint that is already gone is success."""
        try:
            self.scale_to_zero(endpoint_id, spec)
        except NotFound:
            return
        deadline = self._clock() + self.delete_timeout
        delay = 1.0
        while True:
            try:
                self._delete_once(endpoint_id)
            except NotFound:
                return
            except ValidationFailed as refused:
                self._wait_or_give_up(endpoint_id, spec, refused, deadline, delay)
            else:
                if self.read(endpoint_id) is None:
                    return
                if self._clock() + delay > deadline:
                    raise ValidationFailed(
                        f"the API accepted the delete of endpoint {endpoint_id} but it still exists "
                        f"after {self.delete_timeout:.0f}s; check it in the console -- it may still bill"
                    )
            self._sleep(delay)
            delay = min(delay * 2, 15.0)

    def _wait_or_give_up(
        self, endpoint_id: str, spec: EndpointSpec | None, refused: ValidationFailed, deadline: float, delay: float
    ) -> None:
        """A refused delete is worth waiting for only while workers are configured or running."""
        observed = self.read(endpoint_id)
        if observed is None:
            return  # gone after all: the next delete attempt reports NotFound, which is success
        configured = bool(observed.workers_min or observed.workers_max)
        running = any(worker.desired_status == "RUNNING" for worker in observed.workers or [])
        if not (configured or running):
            raise refused  # refused for another reason: waiting will not help
        if configured:
            self.scale_to_zero(endpoint_id, spec)  # someone scaled it up again meanwhile
        if self._clock() + delay > deadline:
            raise ValidationFailed(
                f"endpoint {endpoint_id} could not be deleted within {self.delete_timeout:.0f}s: "
                f"{refused.message}. Its workers are scaled to zero and may still be draining; "
                "run `pulumi destroy` again later, or raise `runpod:deleteTimeout`."
            ) from refused

    def scale_to_zero(self, endpoint_id: str, spec: EndpointSpec | None = None) -> None:
        """workersMin = workersMax = 0: the API refuses to delete an endpoint with workers."""
        if self.rest is not None:
            self.rest.patch(endpoint_id, {"workersMin": 0, "workersMax": 0})
            return
        if spec is None:
            observed = self.graphql.get(endpoint_id)
            spec = spec_from_observed(observed)
        # saveEndpoint replaces the whole record, so it needs the full spec, at zero workers.
        self.graphql.save(spec.model_copy(update={"workers_min": 0, "workers_max": 0}), endpoint_id)

    def _delete_once(self, endpoint_id: str) -> None:
        if self.rest is not None:
            self.rest.delete(endpoint_id)
        else:
            self.graphql.delete(endpoint_id)


def spec_from_observed(endpoint: Endpoint) -> EndpointSpec:
    """A spec that reproduces an observed endpoint (for writes that need the whole record)."""
    fields = {
        name: value
        for name, value in endpoint.model_dump().items()
        if name in EndpointSpec.model_fields and value is not None
    }
    return EndpointSpec.model_validate(fields)


def _created_after(created_at: str | None, threshold: float) -> bool:
    if not created_at:
        return True
    try:
        stamp = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    except ValueError:
        return True
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.timestamp() >= threshold
