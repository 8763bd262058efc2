"""``RegistryAuth``, the resource a Pulumi program declares, and its ``RegistryAuthArgs``."""

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
from .names import OUTPUT_NAMES, SECRET_FIELDS

__all__ = ["TYPE_TOKEN", "RegistryAuth", "RegistryAuthArgs"]

TYPE_TOKEN = type_token(TYPE_NAME)
_PROVIDER = ProviderReference(new_provider)  # the program never imports the provider: see dynamic/reference.py


@dataclass(kw_only=True)
class RegistryAuthArgs:
    """A credential for a private container registry (Docker Hub, GHCR, ECR, GCR, ...).

    Use its ``id`` as an endpoint's or a template's ``registry_auth_id``.
    """

    username: pulumi.Input[str]
    """Registry user, e.g. a Docker Hub user, 'AWS' for ECR, '_json_key' for GCR. Kept as a secret."""
    password: pulumi.Input[str]
    """Registry password or access token. Kept as a secret, in the state and in every output; never
    logged or shown in an error. Give it from secret config (``config.require_secret(...)``)."""
    name: pulumi.Input[str] | None = None
    """Credential name. Default: the resource name plus a random suffix, chosen once and kept (a
    replacement gets a new one, so the old and the new credential can coexist)."""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over this existing credential on create instead of creating one: ``name`` must be its
    current name (RunPod cannot rename a credential). Its username and password cannot be read back,
    so they cannot be verified: the ones given here are recorded as they are. From then on Pulumi
    manages it, and destroy deletes it."""

    def to_props(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


class RegistryAuth(pulumi.dynamic.Resource, module=MODULE, name=TYPE_NAME):
    """A RunPod container registry credential, so endpoints and templates can pull private images.

    RunPod stores the username and password write-only and has no way to change them, so:

    * **any change** of ``name``, ``username`` or ``password`` **replaces** the credential. Auto-named
      (no ``name``), the new one is created first, the endpoints and templates using it move to it,
      then the old one is deleted -- they never lose access to the image. RunPod's credential names
      are unique per account, so one whose fixed ``name`` stays the same is deleted first and made
      again: while RunPod refuses that delete (a pod still pulls with it) the delete is retried up to
      ``runpod:deleteTimeout`` and then fails, and once it goes, pulls fail until the new one exists --
      leave ``name`` out to rotate without a gap;
    * **drift of the credential cannot be observed**: a refresh sees the name only; a password changed
      or revoked at the registry shows up as workers failing to pull, never as a diff;
    * an **adopted** credential's username and password **cannot be verified**.

    RunPod refuses to delete a credential while a pod pulls with it; the delete is retried with
    backoff for up to ``runpod:deleteTimeout`` seconds (workers rolling over to a new credential),
    then fails naming what still uses it. Type token ``pulumi-python:dynamic/runpod:RegistryAuth``.
    """

    name: pulumi.Output[str]
    username: pulumi.Output[str | None]
    """Secret. As last given by the program (RunPod never returns it)."""
    password: pulumi.Output[str | None]
    """Secret. As last given by the program (RunPod never returns it)."""
    adopt_existing_id: pulumi.Output[str | None]
    managed_fields: pulumi.Output[list[str]]

    @overload
    def __init__(
        self, resource_name: str, args: RegistryAuthArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = split_arguments("RegistryAuth", RegistryAuthArgs, args, kwargs)
        props: dict[str, Any] = dict.fromkeys(OUTPUT_NAMES)
        if isinstance(inputs, RegistryAuthArgs):
            props.update(inputs.to_props())
            if props["name"] is None:
                props[AUTO_NAME] = resource_name
            for field in SECRET_FIELDS:  # secret on the way in whatever the program passed, and (below) out
                if props[field] is not None:
                    props[field] = pulumi.Output.secret(props[field])
        secrets = pulumi.ResourceOptions(additional_secret_outputs=list(SECRET_FIELDS))
        super().__init__(_PROVIDER, resource_name, props, pulumi.ResourceOptions.merge(opts, secrets))

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> RegistryAuth:
        """A read-only reference to an existing credential (its name; never its username or password).

        To manage a credential created elsewhere, use ``adopt_existing_id`` instead.
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return RegistryAuth(resource_name, cast(RegistryAuthArgs, ReadOnly()), merged)
