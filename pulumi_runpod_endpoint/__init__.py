"""Pulumi resources for RunPod (and Tensor One) Serverless endpoints.

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs
"""

from .api.enums import (
    CPU_FLAVOR_IDS,
    CUDA_VERSIONS,
    DATA_CENTER_IDS,
    GPU_POOLS,
    GPU_TYPE_IDS,
    Backend,
    ComputeType,
    ScalerType,
)
from .resource import TYPE_TOKEN, ServerlessEndpoint, ServerlessEndpointArgs

__all__ = [
    "CPU_FLAVOR_IDS",
    "CUDA_VERSIONS",
    "DATA_CENTER_IDS",
    "GPU_POOLS",
    "GPU_TYPE_IDS",
    "TYPE_TOKEN",
    "Backend",
    "ComputeType",
    "ScalerType",
    "ServerlessEndpoint",
    "ServerlessEndpointArgs",
]
