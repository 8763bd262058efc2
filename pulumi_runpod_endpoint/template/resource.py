"""``Template``, the resource a Pulumi program declares, and its ``TemplateArgs``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, cast, overload

import pulumi
import pulumi.dynamic

from ..dynamic.arguments import ReadOnly, split_arguments
from ..dynamic.props import AUTO_NAME
from ..dynamic.reference import ProviderReference
from ..dynamic.tokens import MODULE, type_token
from . import TYPE_NAME, new_provider
from .names import OUTPUT_NAMES

__all__ = ["TYPE_TOKEN", "Template", "TemplateArgs"]

TYPE_TOKEN = type_token(TYPE_NAME)
_PROVIDER = ProviderReference(new_provider)  # the program never imports the provider: see dynamic/reference.py

StrList = pulumi.Input[list[pulumi.Input[str]]]


@dataclass(kw_only=True)
class TemplateArgs:
    """Container settings to share between endpoints: pass the template's ``id`` as an endpoint's
    ``template_id`` and its ``revision`` as the endpoint's ``template_revision``."""

    image: pulumi.Input[str]
    """Container image, e.g. 'runpod/worker-v1-vllm:stable'."""
    name: pulumi.Input[str] | None = None
    """Template name. Default: the resource name plus a random suffix, chosen once and kept."""
    container_args: pulumi.Input[str] | None = None
    """Arguments passed to the container's entrypoint."""
    container_disk_gb: pulumi.Input[int] | None = None
    """Container disk in GB (ephemeral), at least 1. Default: RunPod's."""
    ports: StrList | None = None
    """Exposed ports as 'port/protocol' (http or tcp), e.g. ['8000/http']. Default: none."""
    env: pulumi.Input[dict[str, pulumi.Input[str]]] | None = None
    """Environment variables (a secret in the state). Values may reference RunPod secrets as
    '{{ RUNPOD_SECRET_name }}': passed through unchanged, never drift."""
    registry_auth_id: pulumi.Input[str] | None = None
    """Registry credential for a private image (a ``RegistryAuth``'s id)."""
    serverless: pulumi.Input[bool] | None = None
    """A template for serverless endpoints (True) or for pods (False). Default True here -- RunPod's
    default is False, and an endpoint made from a pod template is refused (422)."""
    category: pulumi.Input[str] | None = None
    """'NVIDIA', 'AMD' or 'CPU': how the console groups it (no effect on hardware or billing).
    Default 'NVIDIA'."""
    allowed_cuda_versions: StrList | None = None
    """CUDA versions workers may have, e.g. ['12.8', '12.6']: seeds the CUDA set of a GPU endpoint
    created from the template. Default: any."""
    public: pulumi.Input[bool] | None = None
    """Visible to every RunPod user, env included. Default False; True with a non-empty env is refused
    unless ``allow_public_env=True``."""
    allow_public_env: pulumi.Input[bool] | None = None
    """Allow ``public=True`` with env (only if nothing in env is secret). Default False."""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over this existing template of your account on create (read it, then update it to these
    inputs) instead of creating one. From then on Pulumi manages it, and destroy deletes it."""

    def to_props(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


class Template(pulumi.dynamic.Resource, module=MODULE, name=TYPE_NAME):
    """A RunPod template: container settings (image, args, disk, ports, env, registry credential)
    that endpoints are created from.

    RunPod applies a template to an endpoint once, when the endpoint is created, and never passes later
    edits on. So this resource exports ``revision``, a digest of its container settings that changes
    exactly when they do: give it to the endpoint as ``template_revision`` (with ``template_id=
    template.id``) and a changed image rolls out to the endpoint in the same ``pulumi up``.

    ``startSsh`` / ``startJupyter`` (pod features) are always sent off. RunPod refuses to delete a
    template a pod references or a serverless endpoint is bound to; the delete is retried with backoff
    for up to ``runpod:deleteTimeout`` seconds, then fails naming the pods. Type token
    ``pulumi-python:dynamic/runpod:Template``.
    """

    name: pulumi.Output[str]
    image: pulumi.Output[str]
    container_args: pulumi.Output[str | None]
    container_disk_gb: pulumi.Output[int | None]
    ports: pulumi.Output[list[str] | None]
    env: pulumi.Output[dict[str, str] | None]
    registry_auth_id: pulumi.Output[str | None]
    serverless: pulumi.Output[bool]
    category: pulumi.Output[str]
    allowed_cuda_versions: pulumi.Output[list[str] | None]
    public: pulumi.Output[bool]
    allow_public_env: pulumi.Output[bool | None]
    adopt_existing_id: pulumi.Output[str | None]
    revision: pulumi.Output[str]
    """A digest of image, container_args, container_disk_gb, ports, env and registry_auth_id: changes
    exactly when they do. Pass it to ``ServerlessEndpoint(template_revision=...)``. A secret when the
    template has env (it digests the env values), so the endpoint's input is one too."""
    managed_fields: pulumi.Output[list[str]]

    @overload
    def __init__(self, resource_name: str, args: TemplateArgs, opts: pulumi.ResourceOptions | None = None) -> None: ...

    @overload
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = split_arguments("Template", TemplateArgs, args, kwargs)
        props: dict[str, Any] = dict.fromkeys(OUTPUT_NAMES)
        if isinstance(inputs, TemplateArgs):
            props.update(inputs.to_props())
            if props["name"] is None:
                props[AUTO_NAME] = resource_name
            if props["env"] is not None:
                props["env"] = pulumi.Output.secret(props["env"])
        # The revision digests the env values: secret with them (the provider marks it too when it sees env).
        secret_env = pulumi.ResourceOptions(
            additional_secret_outputs=["env", "revision"] if props["env"] is not None else ["env"]
        )
        super().__init__(_PROVIDER, resource_name, props, pulumi.ResourceOptions.merge(opts, secret_env))

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Template:
        """A read-only reference to an existing template (yours, or a public one): Pulumi reads it and
        never changes or deletes it. Its ``revision`` follows the template as it is read, so an endpoint
        taking it re-applies the template after an edit made elsewhere.

        To manage a template created elsewhere, use ``adopt_existing_id`` instead.
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return Template(resource_name, cast(TemplateArgs, ReadOnly()), merged)
