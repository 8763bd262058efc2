"""Allowed values of the RunPod endpoint API, copied from the published specs.

Kept as plain data (not fetched at run time) so that `check` can name the allowed values
offline; ``tests/unit/test_enums_match_specs.py`` pins every set to the spec files in
``../shared/specs`` so a spec update shows up as a failing test rather than silent drift.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "CPU_FLAVOR_IDS",
    "CUDA_VERSIONS",
    "DATA_CENTER_IDS",
    "GPU_POOLS",
    "GPU_TYPE_IDS",
    "POOL_GPU_TYPES",
    "REGION_CODES",
    "Backend",
    "ComputeType",
    "ScalerType",
]


class ScalerType(str, Enum):
    """How RunPod decides to add workers (REST ``scalerType`` / GraphQL ``scalerType``)."""

    QUEUE_DELAY = "QUEUE_DELAY"
    REQUEST_COUNT = "REQUEST_COUNT"


class ComputeType(str, Enum):
    """Whether workers get GPUs or only CPUs (REST ``computeType``)."""

    GPU = "GPU"
    CPU = "CPU"


class Backend(str, Enum):
    """Which cloud serves the API: RunPod (REST + GraphQL) or Tensor One (GraphQL only)."""

    RUNPOD = "runpod"
    TENSORONE = "tensorone"


# GraphQL `gpuIds` pool ids (runpod_gpu_pools_DERIVED.json), with the memory per GPU in GB.
GPU_POOLS: dict[str, int] = {
    "AMPERE_16": 16,
    "AMPERE_24": 24,
    "ADA_24": 24,
    "ADA_32_PRO": 32,
    "AMPERE_48": 48,
    "ADA_48_PRO": 48,
    "AMPERE_80": 80,
    "ADA_80_PRO": 80,
    "HOPPER_141": 141,
    "BLACKWELL_96": 96,
    "BLACKWELL_180": 180,
}

# REST v1 `gpuTypeIds` enum (EndpointCreateInput), in the spec's order, duplicates removed.
# Two entries really have a double space in the spec ("NVIDIA  RTX A4500", "NVIDIA  A30").
GPU_TYPE_IDS: tuple[str, ...] = (
    "NVIDIA GeForce RTX 4090",
    "NVIDIA A40",
    "NVIDIA RTX A5000",
    "NVIDIA GeForce RTX 5090",
    "NVIDIA H100 80GB HBM3",
    "NVIDIA GeForce RTX 3090",
    "NVIDIA RTX A4500",
    "NVIDIA L40S",
    "NVIDIA H200",
    "NVIDIA L4",
    "NVIDIA RTX 6000 Ada Generation",
    "NVIDIA A100-SXM4-80GB",
    "NVIDIA RTX 4000 Ada Generation",
    "NVIDIA RTX A6000",
    "NVIDIA A100 80GB PCIe",
    "NVIDIA RTX 2000 Ada Generation",
    "NVIDIA RTX A4000",
    "NVIDIA RTX PRO 6000 Blackwell Server Edition",
    "NVIDIA H100 PCIe",
    "NVIDIA H100 NVL",
    "NVIDIA L40",
    "NVIDIA B200",
    "NVIDIA GeForce RTX 3080 Ti",
    "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
    "NVIDIA GeForce RTX 3080",
    "NVIDIA GeForce RTX 3070",
    "AMD Instinct MI300X OAM",
    "NVIDIA GeForce RTX 4080 SUPER",
    "Tesla V100-PCIE-16GB",
    "Tesla V100-SXM2-32GB",
    "NVIDIA RTX 5000 Ada Generation",
    "NVIDIA GeForce RTX 4070 Ti",
    "NVIDIA RTX 4000 SFF Ada Generation",
    "NVIDIA GeForce RTX 3090 Ti",
    "NVIDIA RTX A2000",
    "NVIDIA GeForce RTX 4080",
    "NVIDIA A30",
    "NVIDIA GeForce RTX 5080",
    "Tesla V100-FHHL-16GB",
    "NVIDIA H200 NVL",
    "Tesla V100-SXM2-16GB",
    "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
    "NVIDIA A5000 Ada",
    "Tesla V100-PCIE-32GB",
    "NVIDIA  RTX A4500",
    "NVIDIA  A30",
    "NVIDIA GeForce RTX 3080TI",
    "Tesla T4",
    "NVIDIA RTX A30",
)

# REST v1 `dataCenterIds` enum, in the spec's order (also the API's default: all of them).
DATA_CENTER_IDS: tuple[str, ...] = (
    "EU-RO-1",
    "CA-MTL-1",
    "EU-SE-1",
    "US-IL-1",
    "EUR-IS-1",
    "EU-CZ-1",
    "US-TX-3",
    "EUR-IS-2",
    "US-KS-2",
    "US-GA-2",
    "US-WA-1",
    "US-TX-1",
    "CA-MTL-3",
    "EU-NL-1",
    "US-TX-4",
    "US-CA-2",
    "US-NC-1",
    "OC-AU-1",
    "US-DE-1",
    "EUR-IS-3",
    "CA-MTL-2",
    "AP-JP-1",
    "EUR-NO-1",
    "EU-FR-1",
    "US-KS-3",
    "US-GA-1",
)

# GraphQL `locations` region codes from the GraphQL docs ("CZ,FR,GB,NO,RO,US").
REGION_CODES: tuple[str, ...] = ("CZ", "FR", "GB", "NO", "RO", "US")

CUDA_VERSIONS: tuple[str, ...] = (
    "13.0",
    "12.9",
    "12.8",
    "12.7",
    "12.6",
    "12.5",
    "12.4",
    "12.3",
    "12.2",
    "12.1",
    "12.0",
    "11.8",
)

CPU_FLAVOR_IDS: tuple[str, ...] = ("cpu3c", "cpu3g", "cpu5c", "cpu5g")

# The GPU types in each pool (runpod_gpu_pools_DERIVED.json, runpod/flash's list), used to
# price and police endpoints declared with REST gpu_type_ids.
POOL_GPU_TYPES: dict[str, tuple[str, ...]] = {
    "AMPERE_16": (
        "NVIDIA RTX A4000",
        "NVIDIA RTX A4500",
        "NVIDIA RTX 4000 Ada Generation",
        "NVIDIA RTX 2000 Ada Generation",
    ),
    "AMPERE_24": ("NVIDIA RTX A5000", "NVIDIA L4", "NVIDIA GeForce RTX 3090"),
    "ADA_24": ("NVIDIA GeForce RTX 4090",),
    "ADA_32_PRO": ("NVIDIA GeForce RTX 5090",),
    "AMPERE_48": ("NVIDIA A40", "NVIDIA RTX A6000"),
    "ADA_48_PRO": ("NVIDIA RTX 6000 Ada Generation", "NVIDIA L40", "NVIDIA L40S"),
    "AMPERE_80": ("NVIDIA A100 80GB PCIe", "NVIDIA A100-SXM4-80GB"),
    "ADA_80_PRO": ("NVIDIA H100 PCIe", "NVIDIA H100 80GB HBM3", "NVIDIA H100 NVL"),
    "HOPPER_141": ("NVIDIA H200",),
    "BLACKWELL_96": (
        "NVIDIA RTX PRO 6000 Blackwell Server Edition",
        "NVIDIA RTX PRO 6000 Blackwell Workstation Edition",
        "NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition",
    ),
    "BLACKWELL_180": ("NVIDIA B200",),
}
