"""Pulumi resources for RunPod (and Tensor One) Serverless: endpoints and the rest of the stack.

    from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

Names load on first use (PEP 562): a program that uses one resource does not import the others, and
the dynamic-provider host, which imports this package to unpickle a provider, pays only for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .endpoint.resource import TYPE_TOKEN, CpuChoiceArgs, ServerlessEndpoint, ServerlessEndpointArgs
    from .lookups import (
        CatalogLookupError,
        CpuType,
        DataCenter,
        GpuPool,
        GpuType,
        get_cpu_types,
        get_data_centers,
        get_gpu_pools,
        get_gpu_types,
    )
    from .network_volume.resource import NetworkVolume, NetworkVolumeArgs
    from .registry_auth.resource import RegistryAuth, RegistryAuthArgs
    from .template.resource import Template, TemplateArgs

# public name -> module that defines it: adding a resource adds its lines here
_EXPORTS: dict[str, str] = {
    "ServerlessEndpoint": ".endpoint.resource",
    "ServerlessEndpointArgs": ".endpoint.resource",
    "CpuChoiceArgs": ".endpoint.resource",
    "TYPE_TOKEN": ".endpoint.resource",
    "NetworkVolume": ".network_volume.resource",
    "NetworkVolumeArgs": ".network_volume.resource",
    "RegistryAuth": ".registry_auth.resource",
    "RegistryAuthArgs": ".registry_auth.resource",
    "Template": ".template.resource",
    "TemplateArgs": ".template.resource",
    "get_gpu_types": ".lookups",
    "get_gpu_pools": ".lookups",
    "get_cpu_types": ".lookups",
    "get_data_centers": ".lookups",
    "GpuType": ".lookups",
    "GpuPool": ".lookups",
    "CpuType": ".lookups",
    "DataCenter": ".lookups",
    "CatalogLookupError": ".lookups",
}

# = _EXPORTS (a test pins it); one name per line
__all__ = [
    "TYPE_TOKEN",
    "CatalogLookupError",
    "CpuChoiceArgs",
    "CpuType",
    "DataCenter",
    "GpuPool",
    "GpuType",
    "NetworkVolume",
    "NetworkVolumeArgs",
    "RegistryAuth",
    "RegistryAuthArgs",
    "ServerlessEndpoint",
    "ServerlessEndpointArgs",
    "Template",
    "TemplateArgs",
    "get_cpu_types",
    "get_data_centers",
    "get_gpu_pools",
    "get_gpu_types",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
