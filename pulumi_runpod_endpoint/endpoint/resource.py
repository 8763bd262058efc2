"""``ServerlessEndpoint``, the resource a Pulumi program declares, and its ``ServerlessEndpointArgs``."""

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, cast, overload

import pulumi
import pulumi.dynamic

from ..dynamic.arguments import ReadOnly, split_arguments
from ..dynamic.reference import ProviderReference
from ..dynamic.tokens import MODULE, type_token
from . import TYPE_NAME, new_provider
from .names import AUTO_NAME, PLACEHOLDERS

__all__ = ["TYPE_TOKEN", "CpuChoiceArgs", "ServerlessEndpoint", "ServerlessEndpointArgs"]

TYPE_TOKEN = type_token(TYPE_NAME)
_PROVIDER = ProviderReference(new_provider)  # the program never imports the provider: see dynamic/reference.py

StrList = pulumi.Input[list[pulumi.Input[str]]]


@dataclass(kw_only=True)
class CpuChoiceArgs:
    """One eligible CPU configuration for ``cpu``: a flavor at a vCPU count."""

    flavor_id: pulumi.Input[str]
    """CPU flavor: cpu3c, cpu3g, cpu5c or cpu5g (``get_cpu_types()`` lists them)."""
    vcpu_count: pulumi.Input[int]
    """vCPUs per worker: a power of two, at least 2, within the flavor's range."""


@dataclass(kw_only=True)
class ServerlessEndpointArgs:
    """The desired configuration of a Serverless endpoint.

    Choose the workers with either ``gpu_pools`` (GPU) or ``cpu_flavor_ids`` + ``vcpu_count`` /
    ``cpu`` (CPU); choose the container with ``image`` (and the container settings), or a
    ``template_id`` to start from. Every input left out gets the default written below, on every
    backend, so the same program makes the same endpoint on REST v2, GraphQL and Tensor One.
    """

    name: pulumi.Input[str] | None = None
    """Endpoint name (1-191 characters, need not be unique). Default: the resource name plus a random
    suffix, chosen once and kept."""
    type: pulumi.Input[str] | None = None
    """'QUEUE' (jobs through RunPod's queue: /run, /runsync) or 'LOAD_BALANCER' (HTTP straight to
    workers; give them PORT / PORT_HEALTH in env). Default 'QUEUE'. Changing it replaces the endpoint."""
    image: pulumi.Input[str] | None = None
    """Container image the workers run, e.g. 'runpod/worker-v1-vllm:stable'. Required unless
    ``template_id`` is set (then it overrides the template's image)."""
    template_id: pulumi.Input[str] | None = None
    """A serverless template to start from: its container settings apply at create (inputs here
    win; env is merged per key). Changing it re-applies the new template's settings in place."""
    template_revision: pulumi.Input[str] | None = None
    """Set to a ``Template``'s ``revision`` output: when it changes, the template's container settings
    are applied to this endpoint again (RunPod never propagates template edits by itself)."""
    container_args: pulumi.Input[str] | None = None
    """Arguments passed to the container's entrypoint."""
    container_disk_gb: pulumi.Input[int] | None = None
    """Container disk in GB (ephemeral), at least 1."""
    ports: StrList | None = None
    """Exposed ports as 'port/protocol' (http or tcp), e.g. ['8000/http']."""
    env: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Environment variables (a secret in the state). Values may reference RunPod secrets as
    '{{ RUNPOD_SECRET_name }}': passed through unchanged, never drift."""
    registry_auth_id: pulumi.Input[str] | None = None
    """Registry credential for a private image (a ``RegistryAuth``'s id)."""
    gpu_pools: StrList | None = None
    """GPU pools workers may use, as a set (workers land on whichever has capacity): AMPERE_16,
    AMPERE_24, ADA_24, ADA_32_PRO, AMPERE_48, ADA_48_PRO, AMPERE_80, ADA_80_PRO, HOPPER_141,
    BLACKWELL_96, BLACKWELL_180 (``get_gpu_types()``)."""
    gpu_excluded_types: StrList | None = None
    """GPU types to leave out of the chosen pools, e.g. ['NVIDIA L40']; at least one type must remain."""
    gpu_count: pulumi.Input[int] | None = None
    """GPUs per worker, 1-8. Default 1."""
    allowed_cuda_versions: StrList | None = None
    """Exact CUDA versions workers may have, e.g. ['12.8', '12.6']. Default: any. Not with min_cuda_version."""
    min_cuda_version: pulumi.Input[str] | None = None
    """Lowest CUDA version workers may have, e.g. '12.4'. Not with allowed_cuda_versions."""
    cpu_flavor_ids: StrList | None = None
    """CPU endpoint: flavors cpu3c, cpu3g, cpu5c, cpu5g, all at ``vcpu_count``. Changing between GPU
    and CPU replaces the endpoint."""
    vcpu_count: pulumi.Input[int] | None = None
    """vCPUs per worker for ``cpu_flavor_ids``: a power of two, at least 2. Default 2."""
    cpu: pulumi.Input[list[pulumi.Input[CpuChoiceArgs | dict[str, Any]]]] | None = None
    """CPU endpoint with mixed selections, e.g. [{'flavor_id': 'cpu5c', 'vcpu_count': 4},
    {'flavor_id': 'cpu5g', 'vcpu_count': 8}]. Instead of cpu_flavor_ids + vcpu_count."""
    workers_min: pulumi.Input[int] | None = None
    """Workers kept running (and billed) at all times, >= 0. Default 0 (scale to zero)."""
    workers_max: pulumi.Input[int] | None = None
    """Most workers at once, >= workers_min. Default 3."""
    idle_timeout: pulumi.Input[int] | None = None
    """Seconds an idle worker stays up, 1-3600. Default 10. Not for a QUEUE endpoint scaling on REQUEST_COUNT."""
    scaler_type: pulumi.Input[str] | None = None
    """'QUEUE_DELAY' (add workers when jobs wait longer than scaler_value seconds; QUEUE endpoints) or
    'REQUEST_COUNT' (one worker per scaler_value requests). Default QUEUE_DELAY (LOAD_BALANCER: REQUEST_COUNT)."""
    scaler_value: pulumi.Input[float] | None = None
    """Seconds for QUEUE_DELAY (fractional, >= 0.5) or requests per worker for REQUEST_COUNT
    (whole, >= 1). Default 4."""
    data_center_ids: StrList | None = None
    """Data centers workers may run in, e.g. ['EU-RO-1'] (``get_data_centers()``). Default: any."""
    network_volume_ids: StrList | None = None
    """Network volumes to mount (at most one per data center; ``NetworkVolume`` ids)."""
    execution_timeout_ms: pulumi.Input[int] | None = None
    """Milliseconds one job may run before it fails, >= 1000. Default 300000 (5 minutes)."""
    flashboot: pulumi.Input[str | bool] | None = None
    """'OFF', 'FLASHBOOT' or 'PRIORITY_FLASHBOOT' (True/False mean FLASHBOOT/OFF). Default 'OFF'."""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over this existing endpoint on create (read it, then update it to the inputs given here)
    instead of creating one. Inputs left out keep the endpoint's values and stay unmanaged (no defaults
    apply); ``name`` is required. From then on Pulumi manages it, and destroy deletes it."""
    wait_for_rollout: pulumi.Input[bool] | None = None
    """After a create or update, wait until the new release serves: no stale worker, at least
    workers_min on it, none unhealthy (with workers_min 0 and no workers that is at once). Default False."""
    rollout_timeout_seconds: pulumi.Input[float] | None = None
    """How long ``wait_for_rollout`` waits, 1-86400 seconds. Default 900. A create that times out is
    deleted again; an update that times out fails and the next ``pulumi up`` keeps waiting."""

    def to_props(self) -> dict[str, Any]:
        props = {field.name: getattr(self, field.name) for field in fields(self)}
        if isinstance(props["cpu"], list):
            props["cpu"] = [
                {"flavor_id": item.flavor_id, "vcpu_count": item.vcpu_count}
                if isinstance(item, CpuChoiceArgs)
                else item
                for item in props["cpu"]
            ]
        return props


class ServerlessEndpoint(pulumi.dynamic.Resource, module=MODULE, name=TYPE_NAME):
    """A RunPod (or Tensor One) Serverless endpoint.

    Type token ``pulumi-python:dynamic/runpod:ServerlessEndpoint`` (what policy packs match). Delete
    scales the endpoint to zero workers first, then deletes it and checks that it is gone.
    """

    # The SDK evaluates a resource class's annotations again for every resource it registers (pulumi
    # _types.resource_types, uncached): its only use of them here is to turn the wire's doubles back into
    # ints, so only the whole-number outputs are annotated at run time; type checkers see every output.
    container_disk_gb: pulumi.Output[int | None]
    gpu_count: pulumi.Output[int | None]
    vcpu_count: pulumi.Output[int | None]
    workers_min: pulumi.Output[int]
    workers_max: pulumi.Output[int]
    idle_timeout: pulumi.Output[int | None]
    execution_timeout_ms: pulumi.Output[int]
    release_version: pulumi.Output[int | None]
    """The configuration version serving, when ``wait_for_rollout`` waited for it."""
    if TYPE_CHECKING:
        name: pulumi.Output[str]
        type: pulumi.Output[str]
        image: pulumi.Output[str | None]
        template_id: pulumi.Output[str | None]
        container_args: pulumi.Output[str | None]
        ports: pulumi.Output[list[str] | None]
        env: pulumi.Output[dict[str, str] | None]
        registry_auth_id: pulumi.Output[str | None]
        gpu_pools: pulumi.Output[list[str] | None]
        gpu_excluded_types: pulumi.Output[list[str] | None]
        allowed_cuda_versions: pulumi.Output[list[str] | None]
        min_cuda_version: pulumi.Output[str | None]
        cpu_flavor_ids: pulumi.Output[list[str] | None]
        cpu: pulumi.Output[list[dict[str, Any]] | None]
        scaler_type: pulumi.Output[str]
        scaler_value: pulumi.Output[float]
        data_center_ids: pulumi.Output[list[str] | None]
        network_volume_ids: pulumi.Output[list[str] | None]
        flashboot: pulumi.Output[str]
        request_urls: pulumi.Output[dict[str, str]]
        """The endpoint's URLs: queue endpoints run, run_sync, status, stream, cancel, retry, purge_queue,
        health; load balancers base and health."""
        run_url: pulumi.Output[str | None]
        """POST jobs here (queue endpoints): https://api.runpod.ai/v2/<id>/run."""
        runsync_url: pulumi.Output[str | None]
        """POST a job and wait for its result (queue endpoints)."""
        health_url: pulumi.Output[str | None]
        """GET worker and queue counts (queue), or the worker health check (load balancer)."""
        created_at: pulumi.Output[str | None]
        rollout: pulumi.Output[dict[str, Any] | None]
        """The rollout as last waited for: percent_on_latest, workers_on_latest, workers_total, stale, ..."""
        managed_fields: pulumi.Output[list[str]]
        """The inputs this resource manages (declared, or defaulted by the provider)."""
        backend: pulumi.Output[str]
        """Which API manages it: 'rest' (v2), 'graphql' or 'tensorone'."""

    @overload
    def __init__(
        self, resource_name: str, args: ServerlessEndpointArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = split_arguments("ServerlessEndpoint", ServerlessEndpointArgs, args, kwargs)
        props: dict[str, Any] = dict.fromkeys(PLACEHOLDERS)
        if isinstance(inputs, ServerlessEndpointArgs):
            props.update({name: value for name, value in inputs.to_props().items() if value is not None})
            if props["name"] is None:
                props[AUTO_NAME] = resource_name
            if props["env"] is not None:
                # Endpoint env vars routinely hold tokens: secret on the way in, and (below) out.
                props["env"] = pulumi.Output.secret(props["env"])
        secret_env = pulumi.ResourceOptions(additional_secret_outputs=["env"])
        super().__init__(_PROVIDER, resource_name, props, pulumi.ResourceOptions.merge(opts, secret_env))

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> "ServerlessEndpoint":
        """A read-only reference to an existing endpoint: Pulumi reads it and never changes or deletes it.

        To manage an endpoint created elsewhere, use ``adopt_existing_id`` instead.
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ServerlessEndpoint(resource_name, cast(ServerlessEndpointArgs, ReadOnly()), merged)
