"""``NetworkVolume``, the resource a Pulumi program declares, and its ``NetworkVolumeArgs``."""

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

__all__ = ["TYPE_TOKEN", "NetworkVolume", "NetworkVolumeArgs"]

TYPE_TOKEN = type_token(TYPE_NAME)
_PROVIDER = ProviderReference(new_provider)  # the program never imports the provider: see dynamic/reference.py


@dataclass(kw_only=True)
class NetworkVolumeArgs:
    """The desired configuration of a network volume.

    A volume lives in one data center, so put it where the endpoint's workers run: an endpoint that
    mounts it must list that data center in ``data_center_ids`` (``get_data_centers()`` lists the data
    centers and the volume tiers each offers).
    """

    size_gb: pulumi.Input[int]
    """Size in GB, 10-4096. Grows in place (RunPod resizes the volume, data kept); it can never shrink:
    a smaller value is refused before any API call."""
    data_center_id: pulumi.Input[str]
    """The data center the volume lives in, e.g. 'EU-RO-1'. Fixed at creation: changing it would mean a
    new, empty volume, so it is refused unless ``allow_replacement=True``."""
    name: pulumi.Input[str] | None = None
    """Volume name (need not be unique); renamed in place. Default: the resource name plus a random
    suffix, chosen once and kept."""
    type: pulumi.Input[str] | None = None
    """Storage tier: 'STANDARD' or 'HIGH_PERFORMANCE', if the data center offers it. Default: left
    to RunPod, which uses the data center's default tier (reported in the ``type`` output; never drift).
    Fixed at creation: changing it is refused unless ``allow_replacement=True``."""
    allow_replacement: pulumi.Input[bool] | None = None
    """Allow a change of ``data_center_id`` or ``type``, which replaces the volume with a new, EMPTY one
    and deletes this one with everything on it. Default False: such a change is refused in preview,
    saying what would be lost. (Pulumi's ``replace_on_changes`` cannot do this for dynamic resources.)"""
    adopt_existing_id: pulumi.Input[str] | None = None
    """Take over this existing volume on create (read it, then rename or grow it to these inputs)
    instead of creating one; refused without any change if it is in another data center, of another
    tier, or larger than ``size_gb``. From then on Pulumi manages it, and destroy deletes it."""

    def to_props(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


class NetworkVolume(pulumi.dynamic.Resource, module=MODULE, name=TYPE_NAME):
    """A RunPod network volume: persistent storage that endpoint workers (and pods) mount, typically to
    keep model weights next to the GPUs.

    **It bills until it is deleted** -- per GB per month, whether or not anything mounts it -- and
    ``pulumi destroy`` deletes it with its data. Size grows in place; data center and tier never
    change (see ``allow_replacement``). Type token ``pulumi-python:dynamic/runpod:NetworkVolume``.
    """

    name: pulumi.Output[str]
    size_gb: pulumi.Output[int]
    data_center_id: pulumi.Output[str]
    type: pulumi.Output[str]
    """The volume's storage tier as RunPod reports it (the data center's default when not set)."""
    allow_replacement: pulumi.Output[bool | None]
    adopt_existing_id: pulumi.Output[str | None]
    managed_fields: pulumi.Output[list[str]]
    """The inputs this resource manages (declared by the program)."""

    @overload
    def __init__(
        self, resource_name: str, args: NetworkVolumeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(self, resource_name: str, opts: pulumi.ResourceOptions | None = None, **kwargs: Any) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        inputs, opts = split_arguments("NetworkVolume", NetworkVolumeArgs, args, kwargs)
        props: dict[str, Any] = dict.fromkeys(OUTPUT_NAMES)
        if isinstance(inputs, NetworkVolumeArgs):
            props.update(inputs.to_props())
            if props["name"] is None:
                props[AUTO_NAME] = resource_name
        super().__init__(_PROVIDER, resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> NetworkVolume:
        """A read-only reference to an existing volume: Pulumi reads it and never changes or deletes it.

        To manage a volume created elsewhere, use ``adopt_existing_id`` instead.
        """
        merged = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return NetworkVolume(resource_name, cast(NetworkVolumeArgs, ReadOnly()), merged)
