"""``/v2/serverless``: RunPod's v2 front door for endpoints, translated to and from the store.

Request bodies are validated against the spec's own ``CreateEndpointRequest`` /
``UpdateEndpointRequest`` (422 with the violations), then the rules the spec states in prose
are applied here, then the change goes to the store (which applies the platform's rules).
Answers are built to the spec's ``Endpoint``, ``ListEndpointsResponse``,
``ListEndpointWorkersResponse`` and ``ListEndpointReleasesResponse``.

Status per rule (spec prose unless marked; QUIRKS.md wins where the live API differs):
  422  schema violations (unknown fields incl. ``type`` on PATCH, ``flashboot: true``, ranges,
       patterns, ``excludedTypes`` without ``pools``, a load balancer scaling on QUEUE_DELAY);
       integers beyond 32 bits; a non-serverless template; ``workers.idleTimeout`` on a QUEUE
       endpoint scaling on REQUEST_COUNT (QUIRKS.md / breaking-changes §5)
  400  neither or both of ``gpu``/``cpu``; ``gpu`` on a CPU endpoint or ``cpu`` on a GPU one;
       a non-empty ``allowedCudaVersions`` with a ``minCudaVersion``; an excluded type that is
       not a GPU type in the pools (or exclusions that leave no type); and, by analogy (the
       spec names no status): unknown pool, CPU flavor or data center, a vCPU count the
       flavor does not offer or that is not a power of two, workers.min above workers.max,
       the account's worker quota
  404  unknown endpoint, unknown template
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ...clock import iso
from ...problems import BadRequest, NotFound, Unprocessable
from ...routing import Call, Operation, Reply
from ...validation import check_body
from ...world import World
from ..templates import Template, TemplateStore
from .fleet import STATUSES
from .model import Container, CpuChoice, Endpoint, EndpointConfig, GpuSelection
from .store import EndpointStore

__all__ = ["ServerlessApi"]

CONTAINER_FIELDS = ("image", "args", "disk", "ports", "registry")
IDLE_TIMEOUT_REFUSED = "idleTimeout does not apply to queue-based endpoints scaling on requestCount"


class ServerlessApi:
    def __init__(self, world: World, store: EndpointStore, templates: TemplateStore) -> None:
        self.world = world
        self.store = store
        self.templates = templates

    def operations(self) -> list[Operation]:
        return [
            Operation("GET", "/v2/serverless", "listEndpoints", self.list_endpoints),
            Operation("POST", "/v2/serverless", "createEndpoint", self.create),
            Operation("GET", "/v2/serverless/{id}", "getEndpoint", self.get),
            Operation("PATCH", "/v2/serverless/{id}", "updateEndpoint", self.update),
            Operation("DELETE", "/v2/serverless/{id}", "deleteEndpoint", self.delete),
            Operation("GET", "/v2/serverless/{id}/workers", "listEndpointWorkers", self.workers),
            Operation("GET", "/v2/serverless/{id}/releases", "listEndpointReleases", self.releases),
            Operation("GET", "/v2/serverless/{id}/workers/{workerId}/logs", "getWorkerLogs", self.logs),
        ]

    # -- handlers ------------------------------------------------------------------------------
    def list_endpoints(self, call: Call) -> Reply:
        return Reply(body={"endpoints": [self.view(endpoint) for endpoint in self.store.all()]})

    def get(self, call: Call) -> Reply:
        return Reply(body=self.view(self.store.get(call.path_params["id"])))

    def delete(self, call: Call) -> Reply:
        # No precondition in v2 (QUIRKS.md "Delete"): workers are terminated, jobs cancelled.
        # "... and its bound template" (spec): a v2-made endpoint's is a private copy, a GraphQL- or
        # console-made one's is the account's template, gone even if other endpoints share it.
        endpoint = self.store.get(call.path_params["id"])
        self.store.delete(endpoint.id)
        self.templates.delete_bound(endpoint.template_id)
        return Reply(status=204)

    def create(self, call: Call) -> Reply:
        body = check_body("CreateEndpointRequest", call.json())
        if ("gpu" in body) == ("cpu" in body):
            raise BadRequest(
                "specify exactly one of gpu or cpu: " + ("both were sent" if "gpu" in body else "neither was sent")
            )
        template = self._template(body["templateId"]) if "templateId" in body else None
        config = EndpointConfig(name=body["name"], type=body["type"])
        config.container = _container(Container(), body, template)
        if "gpu" in body:
            gpu = body["gpu"]
            allowed = gpu.get("allowedCudaVersions")
            if allowed is None and template is not None and "minCudaVersion" not in gpu:
                allowed = list(template.allowed_cuda_versions)  # the template seeds it (spec: templateId)
            config.gpu = GpuSelection(
                pools=list(gpu["pools"]),
                excluded_types=self._exclusions(gpu.get("excludedTypes", []), gpu["pools"]),
                count=gpu.get("count", 1),
                allowed_cuda_versions=list(allowed or []),
                min_cuda_version=gpu.get("minCudaVersion"),
            )
            _check_cuda(config.gpu)
        else:
            config.cpu = self._cpu(body["cpu"])
        workers = body.get("workers", {})
        config.workers_min = workers.get("min", 0)
        config.workers_max = workers.get("max", 3)
        config.idle_timeout = workers.get("idleTimeout", 10)
        _scaling(config, body["scaling"])
        if "idleTimeout" in workers and not config.idle_timeout_applies:
            raise Unprocessable(IDLE_TIMEOUT_REFUSED)
        config.data_center_ids = self._data_centers(body.get("dataCenterIds", []))
        config.network_volumes = list(body.get("networkVolumes", []))
        # The spec documents 300000, but the live API stores 0 when timeout is left out
        # (QUIRKS.md; breaking-changes §6): the emulator does what the live API does.
        config.timeout = body.get("timeout", 0)
        config.flashboot = body.get("flashboot", "OFF")
        return Reply(status=201, body=self.view(self.store.create(config)))

    def update(self, call: Call) -> Reply:
        body = check_body("UpdateEndpointRequest", call.json())
        endpoint = self.store.get(call.path_params["id"])
        old = endpoint.config
        if "gpu" in body and "cpu" in body:
            raise BadRequest("send gpu or cpu, not both: an endpoint's compute family is fixed")
        if "gpu" in body and old.compute == "CPU":
            raise BadRequest("gpu cannot be set on a CPU endpoint: the compute family is immutable")
        if "cpu" in body and old.compute == "GPU":
            raise BadRequest("cpu cannot be set on a GPU endpoint: the compute family is immutable")
        template = self._template(body["templateId"]) if "templateId" in body else None
        new = old.clone()
        if "name" in body:
            new.name = body["name"]
        new.container = _container(new.container, body, template, replace_env=True)
        if "gpu" in body:
            assert new.gpu is not None
            _patch_gpu(new.gpu, body["gpu"], self._exclusions)
            _check_cuda(new.gpu)
        if "cpu" in body:
            new.cpu = self._cpu(body["cpu"])  # a complete replacement
        workers = body.get("workers", {})
        new.workers_min = workers.get("min", new.workers_min)  # runpod-mcp sends only what changes
        new.workers_max = workers.get("max", new.workers_max)
        new.idle_timeout = workers.get("idleTimeout", new.idle_timeout)
        if "scaling" in body:
            _scaling(new, body["scaling"])
        if "idleTimeout" in workers and not new.idle_timeout_applies:
            raise Unprocessable(IDLE_TIMEOUT_REFUSED)
        if "dataCenterIds" in body:
            new.data_center_ids = self._data_centers(body["dataCenterIds"])
        if "networkVolumes" in body:
            new.network_volumes = list(body["networkVolumes"])
        new.timeout = body.get("timeout", new.timeout)
        new.flashboot = body.get("flashboot", new.flashboot)
        updated = self.store.update(endpoint.id, new, force_release=template is not None)
        return Reply(body=self.view(updated))

    def workers(self, call: Call) -> Reply:
        endpoint = self.store.get(call.path_params["id"])
        now = self.world.clock.now()
        images = {release.version: release.image for release in endpoint.releases}
        listed = []
        for cohort in sorted(endpoint.fleet.cohorts, key=lambda c: (c.serial, c.first_index)):
            placed = cohort.status != "THROTTLED"
            running = cohort.status in ("RUNNING", "IDLE", "UNHEALTHY")
            for worker_id in cohort.worker_ids(endpoint.id, cohort.count):
                listed.append(
                    {
                        "id": worker_id,
                        "status": cohort.status,
                        "isStale": cohort.version != endpoint.version,
                        "version": cohort.version,
                        "gpuCount": endpoint.config.gpu.count if endpoint.config.gpu else 0,
                        "image": images.get(cohort.version),
                        "uptimeSeconds": max(0, int(now - cohort.started_at)) if running else None,
                        "gpuTypeId": self._placed_gpu(endpoint) if placed else None,
                        "dataCenterId": self._placed_data_center(endpoint) if placed else None,
                        "startedAt": iso(cohort.started_at) if running else None,
                    }
                )
        counts = endpoint.fleet.by_status()
        summary = {status.lower(): counts[status] for status in STATUSES}
        summary["total"] = sum(counts.values())
        return Reply(body={"workers": listed, "summary": summary, "endpointVersion": endpoint.version})

    def releases(self, call: Call) -> Reply:
        endpoint = self.store.get(call.path_params["id"])
        fleet = endpoint.fleet
        total = fleet.total()
        latest = fleet.on_version(endpoint.version)
        rollout = {
            "inProgress": latest < total,
            "workersOnLatest": latest,
            "workersTotal": total,
            "percentOnLatest": (latest * 100 + total // 2) // total if total else 0,
        }
        releases = [
            {
                "id": release.id,
                "version": release.version,
                "source": "MANUAL",
                "buildId": None,
                "createdByUserId": release.created_by_user_id,
                "workerCount": fleet.on_version(release.version),
                "createdAt": iso(release.created_at),
                "diff": release.diff,
            }
            for release in reversed(endpoint.releases)
        ]
        return Reply(body={"endpointVersion": endpoint.version, "rollout": rollout, "releases": releases})

    def logs(self, call: Call) -> Reply:
        """A worker's log lines as Server-Sent Events (the backfill only: the stream then ends)."""
        source, tail, resume = _log_parameters(call)
        endpoint = self.store.get(call.path_params["id"])
        worker_id = call.path_params["workerId"]
        cohort = endpoint.fleet.find(endpoint.id, worker_id)
        if cohort is None:
            raise NotFound(f"worker {worker_id} not found on endpoint {endpoint.id}")
        lines = [("system", "Worker started."), ("container", "Worker ready.")]
        events = []
        for index, (line_source, line) in enumerate(lines):
            instant = cohort.started_at + index
            if (source and source != line_source) or (resume is not None and instant <= resume):
                continue
            stamp = iso(instant)
            data = json.dumps({"ts": stamp, "source": line_source, "line": line}, separators=(",", ":"))
            events.append(f"id: {stamp}/{index:012d}\ndata: {data}\n\n")
        if resume is None:  # "tail" is ignored when resuming (spec: LogTail)
            events = events[len(events) - min(len(events), tail) :]
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return Reply(text="".join(events), media_type="text/event-stream", headers=headers)

    # -- translation ---------------------------------------------------------------------------
    def view(self, endpoint: Endpoint) -> dict[str, Any]:
        config = endpoint.config
        container = config.container
        answer: dict[str, Any] = {
            "id": endpoint.id,
            "name": config.name,
            "type": config.type,
            "requestUrls": request_urls(endpoint),
        }
        if container.image is not None:
            answer["image"] = container.image
        answer["args"] = container.args
        if container.disk is not None:
            answer["disk"] = container.disk
        answer.update(ports=list(container.ports), env=dict(container.env), registry=container.registry)
        if config.gpu is not None:
            gpu: dict[str, Any] = {"pools": list(config.gpu.pools), "count": config.gpu.count}
            if config.gpu.excluded_types:
                gpu["excludedTypes"] = list(config.gpu.excluded_types)
            gpu["allowedCudaVersions"] = list(config.gpu.allowed_cuda_versions)
            gpu["minCudaVersion"] = config.gpu.min_cuda_version
            answer["gpu"] = gpu
        else:  # "present for CPU endpoints and omitted for GPU endpoints" (spec: Endpoint.cpu)
            answer["cpu"] = [
                {"id": c.flavor, "vcpuCount": c.vcpus, "memory": self.world.catalog.memory_gb(c.flavor, c.vcpus)}
                for c in config.cpu or []
            ]
        workers: dict[str, Any] = {"min": config.workers_min, "max": config.workers_max}
        if config.idle_timeout_applies and config.idle_timeout is not None:
            workers["idleTimeout"] = config.idle_timeout
        answer["workers"] = workers
        answer["scaling"] = scaling_view(config)
        answer.update(
            dataCenterIds=list(config.data_center_ids),
            networkVolumes=list(config.network_volumes),
            timeout=config.timeout,
            flashboot=config.flashboot,
            createdAt=iso(endpoint.created_at),
        )
        return answer

    def _template(self, template_id: str) -> Template:
        template = self.templates.get(template_id)
        if template is None:
            raise NotFound(f"template {template_id} not found or not accessible")
        if not template.serverless:
            raise Unprocessable(f"template {template_id} is not a serverless template")
        return template

    def _exclusions(self, excluded: list[str], pools: list[str]) -> list[str]:
        """Trimmed, each a GPU type inside the chosen pools, and at least one type left."""
        catalog = self.world.catalog
        unknown_pools = [pool for pool in pools if pool not in catalog.pools]
        if unknown_pools:
            raise BadRequest(f"gpu.pools: unknown GPU pool {unknown_pools[0]!r}; pools are {', '.join(catalog.pools)}")
        types = catalog.types_in_pools(pools)
        trimmed = list(dict.fromkeys(item.strip() for item in excluded))
        outside = [item for item in trimmed if item not in types]
        if outside:
            raise BadRequest(
                f"gpu.excludedTypes: {outside[0]!r} is not a GPU type in pools {', '.join(pools)}; "
                f"the types there are {', '.join(types)}"
            )
        if trimmed and not set(types) - set(trimmed):
            raise BadRequest("gpu.excludedTypes excludes every GPU type in the selected pools: keep at least one")
        return trimmed

    def _data_centers(self, ids: list[str]) -> list[str]:
        unknown = [item for item in ids if self.world.catalog.data_center(item) is None]
        if unknown:
            known = ", ".join(dc["id"] for dc in self.world.catalog.data_centers)
            raise BadRequest(f"dataCenterIds: unknown data center {unknown[0]!r}; data centers are {known}")
        return list(ids)

    def _cpu(self, items: list[dict[str, Any]]) -> list[CpuChoice]:
        choices = []
        for index, item in enumerate(items):
            flavor = self.world.catalog.cpu(item["id"])
            if flavor is None:
                known = ", ".join(cpu["id"] for cpu in self.world.catalog.cpus)
                raise BadRequest(f"cpu[{index}].id: unknown CPU flavor {item['id']!r}; flavors are {known}")
            vcpus = item["vcpuCount"]
            if vcpus & (vcpus - 1):
                raise BadRequest(f"cpu[{index}].vcpuCount must be a power of two, got {vcpus}")
            low, high = flavor["vcpu"]["min"], flavor["vcpu"]["max"]
            if not low <= vcpus <= high:
                raise BadRequest(f"cpu[{index}].vcpuCount {vcpus} is not offered by {item['id']}: {low}-{high}")
            choices.append(CpuChoice(item["id"], vcpus))
        return choices

    def _placed_gpu(self, endpoint: Endpoint) -> str | None:
        gpu = endpoint.config.gpu
        if gpu is None:
            return None
        types = [t for t in self.world.catalog.types_in_pools(gpu.pools) if t not in gpu.excluded_types]
        return types[0] if types else None

    def _placed_data_center(self, endpoint: Endpoint) -> str:
        if endpoint.config.data_center_ids:
            return endpoint.config.data_center_ids[0]
        return str(self.world.catalog.data_centers[0]["id"])


def request_urls(endpoint: Endpoint) -> dict[str, str]:
    """The URLs for the endpoint's type (spec: EndpointRequestUrls and its examples)."""
    if endpoint.config.type == "LOAD_BALANCER":
        base = f"https://{endpoint.id}.api.runpod.ai"
        path = endpoint.config.container.env.get("HEALTH_CHECK_PATH", "/ping")
        return {"base": base, "health": base + (path if path.startswith("/") else "/" + path)}
    base = f"https://api.runpod.ai/v2/{endpoint.id}"
    return {
        "run": f"{base}/run",
        "runSync": f"{base}/runsync",
        "status": f"{base}/status/{{job_id}}",
        "stream": f"{base}/stream/{{job_id}}",
        "cancel": f"{base}/cancel/{{job_id}}",
        "retry": f"{base}/retry/{{job_id}}",
        "purgeQueue": f"{base}/purge-queue",
        "health": f"{base}/health",
    }


def scaling_view(config: EndpointConfig) -> dict[str, Any]:
    if config.scaling_type == "REQUEST_COUNT":
        return {"type": "REQUEST_COUNT", "requestCount": int(config.scaling_value)}
    value = config.scaling_value
    return {"type": "QUEUE_DELAY", "queueDelay": int(value) if float(value).is_integer() else value}


def _scaling(config: EndpointConfig, scaling: dict[str, Any]) -> None:
    if config.type == "LOAD_BALANCER" and scaling["type"] != "REQUEST_COUNT":
        # Create enforces this in its schema (if/then); update states it in prose: same answer.
        raise Unprocessable(
            "Request validation failed.",
            ["$.scaling.type: value must be 'REQUEST_COUNT' (load-balancing endpoints scale on request count)"],
        )
    config.scaling_type = scaling["type"]
    config.scaling_value = scaling["requestCount"] if scaling["type"] == "REQUEST_COUNT" else scaling["queueDelay"]


def _container(
    current: Container, body: dict[str, Any], template: Template | None, *, replace_env: bool = False
) -> Container:
    """Body fields win over the template's; ``env`` merges template and body per key (body wins)
    and, once sent (or a template applied), replaces the endpoint's whole env."""
    container = Container(
        image=current.image,
        args=current.args,
        disk=current.disk,
        ports=list(current.ports),
        env=dict(current.env),
        registry=current.registry,
    )
    if template is not None:
        container.image, container.args, container.disk = template.image, template.args, template.disk
        container.ports, container.registry = list(template.ports), template.registry
    for name in CONTAINER_FIELDS:
        if name in body:
            setattr(container, name, list(body[name]) if name == "ports" else body[name])
    if template is not None:
        container.env = {**template.env, **body.get("env", {})}
    elif "env" in body or not replace_env:
        container.env = dict(body.get("env", current.env if replace_env else {}))
    return container


def _patch_gpu(
    selection: GpuSelection, patch: dict[str, Any], exclusions: Callable[[list[str], list[str]], list[str]]
) -> None:
    """PATCH ``gpu`` by groups: ``pools`` + ``excludedTypes`` are one selection (pools without
    exclusions clears them); each CUDA constraint changes only when sent, [] / "" clear it."""
    if "pools" in patch:
        selection.pools = list(patch["pools"])
        selection.excluded_types = exclusions(patch.get("excludedTypes", []), patch["pools"])
    if "count" in patch:
        selection.count = patch["count"]
    if "allowedCudaVersions" in patch:
        selection.allowed_cuda_versions = list(patch["allowedCudaVersions"])
    if "minCudaVersion" in patch:
        selection.min_cuda_version = patch["minCudaVersion"] or None


def _log_parameters(call: Call) -> tuple[str | None, int, float | None]:
    """source, tail (0-5000, default 100) and the resume point (Last-Event-ID, else since)."""
    errors = []
    source = call.query_value("source")
    if source is not None and source not in ("container", "system"):
        errors.append("$.source: value must be one of 'container', 'system'")
    tail_text = call.query_value("tail")
    tail = 100
    if tail_text is not None:
        if not tail_text.isdigit() or int(tail_text) > 5000:
            errors.append(f"$.tail: must be an integer between 0 and 5000, got '{tail_text}'")
        else:
            tail = int(tail_text)
    resume = None
    for name, value in (("since", call.query_value("since")), ("Last-Event-ID", call.headers.get("last-event-id"))):
        if value is None:
            continue
        try:
            resume = datetime.fromisoformat(value.split("/")[0].replace("Z", "+00:00")).timestamp()
        except ValueError:
            errors.append(f"$.{name}: '{value}' is not a date-time")
    if errors:
        raise Unprocessable("Request validation failed.", errors)
    return source, tail, resume


def _check_cuda(selection: GpuSelection) -> None:
    if selection.allowed_cuda_versions and selection.min_cuda_version:
        raise BadRequest(
            "gpu.allowedCudaVersions and gpu.minCudaVersion are mutually exclusive: send a non-empty "
            'set or a floor, and clear the other explicitly (allowedCudaVersions: [] / minCudaVersion: "")'
        )
