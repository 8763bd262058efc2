"""The ``ServerlessEndpoint`` resource a Pulumi program declares. Nothing here talks HTTP."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import pulumi
import pulumi.dynamic

from .properties import OUTPUT_NAMES
from .provider import ServerlessEndpointProvider

__all__ = ["TYPE_TOKEN", "ServerlessEndpoint", "ServerlessEndpointArgs"]

TYPE_TOKEN = "pulumi-python:dynamic/runpod:ServerlessEndpoint"
_PROVIDER = ServerlessEndpointProvider()


@dataclass(kw_only=True)
class ServerlessEndpointArgs:
    """The desired configuration of a Serverless endpoint.

    GPU workers are chosen either by GraphQL GPU pools (``gpu_ids``) or by REST GPU type names
    (``gpu_type_ids``); CPU workers by ``instance_ids`` (GraphQL) or ``cpu_flavor_ids`` +
    ``vcpu_count`` (REST). One family per endpoint: the REST one also takes
    ``data_center_ids``, the GraphQL one ``locations`` and ``env``.
    """

    name: pulumi.Input[str]
    """Endpoint name shown in the console (1-191 characters; need not be unique)."""
    template_id: pulumi.Input[str]
    """Id of the Serverless template (image, disk, template env) the workers run."""
    compute_type: pulumi.Input[str] | None = None
    """'GPU' or 'CPU'. Inferred from the CPU fields when not set. Changing it replaces the endpoint."""
    gpu_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """GPU pools in priority order: AMPERE_16, AMPERE_24, ADA_24, ADA_32_PRO, AMPERE_48, ADA_48_PRO,
    AMPERE_80, ADA_80_PRO, HOPPER_141, BLACKWELL_96, BLACKWELL_180; '-<GPU type id>' excludes a type."""
    gpu_type_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """GPU type names in rental order, e.g. 'NVIDIA GeForce RTX 4090' (REST API field)."""
    gpu_count: pulumi.Input[int] | None = None
    """GPUs per worker (1-8). Default 1."""
    cpu_flavor_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """CPU flavors for a CPU endpoint: cpu3c, cpu3g, cpu5c, cpu5g (REST API field)."""
    instance_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """CPU instance ids '<flavor>-<vCPUs>-<GiB>', e.g. 'cpu3g-4-16' (GraphQL API field)."""
    vcpu_count: pulumi.Input[int] | None = None
    """vCPUs per CPU worker (REST API field; the API's default is 2)."""
    locations: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Regions (CZ, FR, GB, NO, RO, US) or data center ids the workers may run in (GraphQL field)."""
    data_center_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Data centers the workers may run in, e.g. 'EU-RO-1' (REST API field; default: all)."""
    network_volume_id: pulumi.Input[str] | None = None
    """A network volume to mount on every worker."""
    network_volume_ids: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """Network volumes for a multi-region endpoint (one per data center)."""
    idle_timeout: pulumi.Input[int] | None = None
    """Seconds an idle worker stays up before it is scaled down (1-3600). Default 5."""
    scaler_type: pulumi.Input[str] | None = None
    """'QUEUE_DELAY' (scale when a request waits longer than scaler_value seconds) or
    'REQUEST_COUNT' (one worker per scaler_value queued requests). Default QUEUE_DELAY."""
    scaler_value: pulumi.Input[int] | None = None
    """Seconds (QUEUE_DELAY) or requests per worker (REQUEST_COUNT), >= 1. Default 4."""
    workers_min: pulumi.Input[int] | None = None
    """Workers kept running (and billed) at all times, >= 0. Default 0 (scale to zero)."""
    workers_max: pulumi.Input[int] | None = None
    """Most workers at once, >= workers_min. Default 3."""
    flashboot: pulumi.Input[bool] | None = None
    """FlashBoot (faster cold starts). Default False."""
    execution_timeout_ms: pulumi.Input[int] | None = None
    """Milliseconds one request may run before it is failed (>= 1000)."""
    allowed_cuda_versions: pulumi.Input[list[pulumi.Input[str]]] | None = None
    """CUDA versions workers may have, e.g. '12.8'; default any."""
    min_cuda_version: pulumi.Input[str] | None = None
    """Lowest CUDA version workers may have, e.g. '12.4'."""
    env: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Environment variables of the endpoint (GraphQL field). Stored as secrets in the state."""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over this existing endpoint on create (read it, then update it to this spec)
    instead of creating a new one. Has no effect once the resource exists."""

    def to_props(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


class _ReadOnly:
    """Marks a ``get``: no inputs, the endpoint is only read."""


class ServerlessEndpoint(pulumi.dynamic.Resource, module="runpod", name="ServerlessEndpoint"):
    """A RunPod (or Tensor One) Serverless endpoint.

    Type token ``pulumi-python:dynamic/runpod:ServerlessEndpoint`` (what policy packs match).
    Delete scales the endpoint to zero workers first, then deletes it.
    """

    name: pulumi.Output[str]
    template_id: pulumi.Output[str]
    compute_type: pulumi.Output[str]
    gpu_ids: pulumi.Output[list[str] | None]
    gpu_type_ids: pulumi.Output[list[str] | None]
    gpu_count: pulumi.Output[int | None]
    cpu_flavor_ids: pulumi.Output[list[str] | None]
    instance_ids: pulumi.Output[list[str] | None]
    vcpu_count: pulumi.Output[int | None]
    locations: pulumi.Output[list[str] | None]
    data_center_ids: pulumi.Output[list[str] | None]
    network_volume_id: pulumi.Output[str | None]
    network_volume_ids: pulumi.Output[list[str] | None]
    idle_timeout: pulumi.Output[int]
    scaler_type: pulumi.Output[str]
    scaler_value: pulumi.Output[int]
    workers_min: pulumi.Output[int]
    workers_max: pulumi.Output[int]
    flashboot: pulumi.Output[bool]
    execution_timeout_ms: pulumi.Output[int | None]
    allowed_cuda_versions: pulumi.Output[list[str] | None]
    min_cuda_version: pulumi.Output[str | None]
    env: pulumi.Output[dict[str, str] | None]
    adopt_existing_id: pulumi.Output[str | None]
    managed_fields: pulumi.Output[list[str]]
    """The spec fields this resource manages (declared, or defaulted by the provider)."""
    run_url: pulumi.Output[str]
    """POST jobs here (asynchronous): https://api.runpod.ai/v2/<id>/run."""
    runsync_url: pulumi.Output[str]
    """POST jobs here and wait for the result: .../runsync."""
    health_url: pulumi.Output[str]
    """GET the endpoint's worker and queue counts: .../health."""
    template: pulumi.Output[dict[str, Any] | None]
    """The template as the REST API reports it (when it was read through REST)."""
    created_at: pulumi.Output[str]
    version: pulumi.Output[int]
    """Bumped by the API on every update (each is a rolling release)."""
    backend: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: ServerlessEndpointArgs | _ReadOnly | None = None,
        opts: pulumi.ResourceOptions | None = None,
        **kwargs: Any,
    ) -> None:
        if args is None:
            args = ServerlessEndpointArgs(**kwargs)
        elif kwargs:
            raise TypeError("pass either args= or keyword arguments, not both")
        props: dict[str, Any] = dict.fromkeys(OUTPUT_NAMES)
        if isinstance(args, ServerlessEndpointArgs):
            props.update(args.to_props())
            if props["env"] is not None:
                # Endpoint env vars routinely hold tokens: secret on the way in, and (below) out.
                props["env"] = pulumi.Output.secret(props["env"])
        secret_env = pulumi.ResourceOptions(additional_secret_outputs=["env"])
        super().__init__(_PROVIDER, resource_name, props, pulumi.ResourceOptions.merge(opts, secret_env))

    @staticmethod
    def get(
        resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> ServerlessEndpoint:
        """A read-only reference to an existing endpoint; the program manages nothing about it.

        To manage an endpoint created elsewhere, use ``adopt_existing_id`` instead.
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return ServerlessEndpoint(resource_name, _ReadOnly(), merged)
