"""The REST v2 backend: the flat spec <-> v2's nested shapes, over ``ServerlessClient``.

Every operation is one request: v2 reads return every field (no second API to ask), PATCH is partial
(``v2.build_patch`` sends only the groups that changed, with explicit clears), and releases are
reported (``/releases`` + ``/workers``) so an ``up`` can wait for a rollout.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import replace
from typing import Any

from ..api.errors import ApiRetired, RunPodError
from ..api.graphql import GraphQLExecutor
from ..api.rest import RestCollection
from ..api.session import Session
from ..validation import FieldProblem
from .backend import ENDPOINT_MISSING, Change, Observed, RolloutState
from .spec import EndpointSpec, cpu_selection
from .v2 import CpuConfig, Endpoint, EndpointConfig, GpuSelection, Scaling, ServerlessClient, Workers, build_patch

__all__ = ["RestBackend", "desired_config", "observed_fields"]

_GRAPHQL_DELETE = "mutation DeleteEndpoint($id: String!) { deleteEndpoint(id: $id) }"

_URL_KEYS = {
    "run": "run",
    "runSync": "run_sync",
    "status": "status",
    "stream": "stream",
    "cancel": "cancel",
    "retry": "retry",
    "purgeQueue": "purge_queue",
    "health": "health",
    "base": "base",
}


def desired_config(
    values: Mapping[str, Any] | EndpointSpec, *, cleared: Set[str] = frozenset(), env: dict[str, str] | None = None
) -> EndpointConfig:
    """A v2 config from flat fields: a checked spec (what to send) or previous outputs (what was)."""
    flat = values.model_dump(exclude_none=True) if isinstance(values, EndpointSpec) else dict(values)

    def take(name: str, clear: Any) -> Any:
        return clear if name in cleared else flat.get(name)

    is_cpu = bool(flat.get("cpu") or flat.get("cpu_flavor_ids"))
    gpu = None
    if not is_cpu and (
        flat.get("gpu_pools") or cleared & {"gpu_excluded_types", "allowed_cuda_versions", "min_cuda_version"}
    ):
        gpu = GpuSelection(
            pools=flat.get("gpu_pools"),
            excluded_types=take("gpu_excluded_types", []),
            count=flat.get("gpu_count"),
            allowed_cuda_versions=take("allowed_cuda_versions", []),
            min_cuda_version=take("min_cuda_version", ""),
        )
    cpu = None
    if is_cpu:
        choices = cpu_selection(flat.get("cpu"), flat.get("cpu_flavor_ids"), flat.get("vcpu_count"))
        cpu = [CpuConfig(id=c.flavor_id, vcpu_count=c.vcpu_count) for c in choices]
    scaling = None
    if flat.get("scaler_type") is not None and flat.get("scaler_value") is not None:
        scaling = Scaling.of(flat["scaler_type"], flat["scaler_value"])
    workers = None
    if flat.get("workers_min") is not None or flat.get("workers_max") is not None:
        workers = Workers(
            min=flat.get("workers_min"), max=flat.get("workers_max"), idle_timeout=flat.get("idle_timeout")
        )
    return EndpointConfig(
        name=flat.get("name"),
        type=flat.get("type"),
        image=flat.get("image"),
        args=take("container_args", ""),
        disk=flat.get("container_disk_gb"),
        ports=take("ports", []),
        env=env if env is not None else take("env", {}),
        registry=take("registry_auth_id", ""),
        gpu=gpu,
        cpu=cpu,
        workers=workers,
        scaling=scaling,
        data_center_ids=take("data_center_ids", []),
        network_volumes=take("network_volume_ids", []),
        timeout=flat.get("execution_timeout_ms"),
        flashboot=flat.get("flashboot"),
        template_id=flat.get("template_id"),
    )


def observed_fields(endpoint: Endpoint) -> dict[str, Any]:
    """An ``Endpoint`` answer in the flat spec's names (None where it reports nothing)."""
    gpu = endpoint.gpu or GpuSelection()
    cpus = endpoint.cpu or []
    counts = {c.vcpu_count for c in cpus}
    scaling = endpoint.scaling
    workers = endpoint.workers or Workers()
    return {
        "name": endpoint.name,
        "type": endpoint.type,
        "image": endpoint.image,
        "container_args": endpoint.args or None,
        "container_disk_gb": endpoint.disk,
        "ports": endpoint.ports or None,
        "env": endpoint.env or None,
        "registry_auth_id": endpoint.registry or None,
        "gpu_pools": gpu.pools if endpoint.gpu else None,
        "gpu_excluded_types": gpu.excluded_types or None,
        "gpu_count": gpu.count if endpoint.gpu else None,
        "allowed_cuda_versions": gpu.allowed_cuda_versions or None,
        "min_cuda_version": gpu.min_cuda_version or None,
        "cpu": [{"flavor_id": c.id, "vcpu_count": c.vcpu_count} for c in cpus] or None,
        "cpu_flavor_ids": list(dict.fromkeys(c.id for c in cpus)) if cpus and len(counts) == 1 else None,
        "vcpu_count": counts.pop() if cpus and len(counts) == 1 else None,
        "workers_min": workers.min,
        "workers_max": workers.max,
        "idle_timeout": workers.idle_timeout,
        "scaler_type": scaling.type if scaling else None,
        "scaler_value": scaling.value if scaling else None,
        "data_center_ids": endpoint.data_center_ids or None,
        "network_volume_ids": endpoint.network_volumes or None,
        "execution_timeout_ms": endpoint.timeout,
        "flashboot": endpoint.flashboot,
    }


def _observed(endpoint: Endpoint) -> Observed:
    urls = {_URL_KEYS.get(key, key): value for key, value in (endpoint.request_urls or {}).items()}
    return Observed(endpoint.id, observed_fields(endpoint), created_at=endpoint.created_at, request_urls=urls)


class RestBackend:
    """``ServerlessEndpoint`` on RunPod's REST v2 API."""

    name = "rest"

    def __init__(self, session: Session, base_url: str, *, graphql_url: str | None = None) -> None:
        self.client = ServerlessClient(session, base_url)
        # Read only to tell whether a template was already applied (a rollout wait resumed).
        self.templates = RestCollection(session, base_url, "templates", list_key="templates", noun="template")
        self.graphql = GraphQLExecutor(session, graphql_url) if graphql_url else None

    def problems(self, spec: EndpointSpec) -> list[FieldProblem]:
        return []  # the flat surface is shaped on v2: everything it says, v2 can say

    def create(self, spec: EndpointSpec) -> Observed:
        made = _observed(self.client.create(desired_config(spec)))
        return replace(made, bound_template=False)  # v2 applies a template once and keeps no link

    def get(self, endpoint_id: str) -> Observed:
        return _observed(self.client.get(endpoint_id))

    def list(self) -> list[Observed]:
        return [_observed(endpoint) for endpoint in self.client.list()]

    def update(self, endpoint_id: str, change: Change, *, current: Observed | None = None) -> Observed | None:
        old = desired_config(current.fields if current is not None else change.old)
        template = change.new.template_id if change.reapply_template else None
        if template is not None and current is not None and self._template_applied(template, change, current):
            template = None  # a previous run applied it and timed out waiting: wait, don't release again
        env: dict[str, str] | None = None
        if template is not None:
            env = dict(change.new.env or {})  # the template's env comes with it; ours is merged over it
        elif change.new.env is not None or "env" in change.cleared:
            env = change.env_to_send()
        new = desired_config(change.written(), cleared=change.cleared, env=env)
        body = build_patch(old, new, reapply_template=template)
        if not body:
            return None
        return _observed(self.client.update(endpoint_id, body))

    def _template_applied(self, template_id: str, change: Change, current: Observed) -> bool:
        """Whether the endpoint already runs the template's settings (with the program's overrides and
        env over them): v2 keeps no link, so the only evidence is the settings themselves. Unreadable
        template: not evidence, apply it."""
        try:
            template = self.templates.get(template_id)
        except RunPodError:
            return False
        written = change.written()
        expected = {
            "image": written.get("image", template.get("image")),
            "container_args": written.get("container_args", template.get("args")) or None,
            "container_disk_gb": written.get("container_disk_gb", template.get("disk")),
            "ports": sorted(written.get("ports", template.get("ports")) or []),
            "registry_auth_id": written.get("registry_auth_id", template.get("registry")) or None,
            "env": {**(template.get("env") or {}), **(change.new.env or {})},
        }
        seen = dict(current.fields)
        seen["ports"] = sorted(seen.get("ports") or [])
        seen["env"] = dict(seen.get("env") or {})
        return all(seen.get(name) == value for name, value in expected.items())

    def scale_to_zero(self, endpoint_id: str, last_known: Mapping[str, Any] | None) -> None:
        known = last_known or {}
        workers: dict[str, Any] = {"min": 0, "max": 0}
        idle = known.get("idle_timeout")
        # The whole group, as every PATCH of ours sends it -- but no idleTimeout where v2 refuses one
        # (a queue endpoint scaling on REQUEST_COUNT: 0.1 state may still record one there).
        queue_on_requests = known.get("type", "QUEUE") == "QUEUE" and known.get("scaler_type") == "REQUEST_COUNT"
        if idle is not None and not queue_on_requests:
            workers["idleTimeout"] = idle
        self.client.update(endpoint_id, {"workers": workers})

    def delete(self, endpoint_id: str, last_known: Mapping[str, Any] | None = None) -> None:
        """v2 DELETE removes an endpoint "and its bound template" (the spec). An endpoint this backend
        made is bound to none (v2 keeps no link); one made through GraphQL or the console, adopted, or
        made by 0.1 may be bound to a template other endpoints share. Those are deleted the way they
        were made -- GraphQL's deleteEndpoint leaves the template -- while GraphQL lives (early 2027)."""
        if (last_known or {}).get("bound_template") is False or self.graphql is None:
            self.client.delete(endpoint_id)
            return
        try:
            self.graphql.execute(
                _GRAPHQL_DELETE, {"id": endpoint_id}, idempotent=True, what=f"delete endpoint {endpoint_id}",
                not_found=ENDPOINT_MISSING,
            )  # fmt: skip
        except ApiRetired:
            # GraphQL is switched off (410 Gone): v2 is the only way left. Anything else -- a wrong URL, a
            # proxy's page -- is an error: a v2 DELETE could take a template other endpoints share along.
            self.client.delete(endpoint_id)

    def rollout(self, endpoint_id: str) -> RolloutState:
        releases = self.client.releases(endpoint_id)
        workers = self.client.workers(endpoint_id)
        summary = workers.summary
        version = releases.endpoint_version if releases.endpoint_version is not None else workers.endpoint_version
        return RolloutState(
            version=version,
            percent_on_latest=releases.rollout.percent_on_latest,
            workers_on_latest=releases.rollout.workers_on_latest,
            workers_total=releases.rollout.workers_total,
            stale=workers.stale,
            throttled=summary.throttled,
            unhealthy=summary.unhealthy,
            ready_on_latest=sum(1 for w in workers.workers if not w.is_stale and w.status in ("RUNNING", "IDLE")),
        )
