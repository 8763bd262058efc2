"""What an endpoint can cost per hour at full scale, from a price table users can override.

Default prices are RunPod's published Serverless *flex* rates (docs.runpod.io/serverless/
pricing, per second x 3600), per GPU. ADA_32_PRO (RTX 5090) and BLACKWELL_96 (RTX PRO 6000)
are not on that page: their defaults are estimates, marked below. CPU endpoints are priced
per vCPU-hour (an estimate too). Override any of them with the pack's ``gpuPricesPerHour`` /
``cpuPricePerVcpuHour`` config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..api.enums import POOL_GPU_TYPES
from ..api.models import EndpointSpec

__all__ = ["DEFAULT_CPU_PRICE_PER_VCPU_HOUR", "DEFAULT_GPU_PRICES_PER_HOUR", "HourlyCost", "hourly_cost"]

DEFAULT_GPU_PRICES_PER_HOUR: dict[str, float] = {
    "AMPERE_16": 0.576,  # A4000, A4500, RTX 4000: $0.00016/s
    "AMPERE_24": 0.684,  # L4, A5000, 3090: $0.00019/s
    "ADA_24": 1.116,  # 4090 PRO: $0.00031/s
    "ADA_32_PRO": 1.584,  # RTX 5090: estimate ($0.00044/s), not on the pricing page
    "AMPERE_48": 1.224,  # A6000, A40: $0.00034/s
    "ADA_48_PRO": 1.908,  # L40, L40S, 6000 Ada PRO: $0.00053/s
    "AMPERE_80": 2.736,  # A100: $0.00076/s
    "ADA_80_PRO": 4.176,  # H100 PRO: $0.00116/s
    "HOPPER_141": 5.58,  # H200 PRO: $0.00155/s
    "BLACKWELL_96": 4.176,  # RTX PRO 6000: estimate (priced like H100 PRO), not on the pricing page
    "BLACKWELL_180": 8.64,  # B200: $0.00240/s
}
DEFAULT_CPU_PRICE_PER_VCPU_HOUR = 0.05  # estimate

_POOL_OF_TYPE = {gpu: pool for pool, types in POOL_GPU_TYPES.items() for gpu in types}


@dataclass(frozen=True)
class HourlyCost:
    """The most an endpoint costs per hour with every worker up, and what the figure rests on."""

    dollars: float
    basis: str


def hourly_cost(
    spec: EndpointSpec,
    gpu_prices: Mapping[str, float] | None = None,
    cpu_price_per_vcpu_hour: float | None = None,
) -> HourlyCost:
    """workers_max x (GPUs per worker x the dearest GPU it may get), or x vCPUs for CPU."""
    prices = {**DEFAULT_GPU_PRICES_PER_HOUR, **(gpu_prices or {})}
    if spec.compute_type == "CPU":
        vcpus = _vcpus(spec)
        rate = DEFAULT_CPU_PRICE_PER_VCPU_HOUR if cpu_price_per_vcpu_hour is None else cpu_price_per_vcpu_hour
        return HourlyCost(spec.workers_max * vcpus * rate, f"{vcpus} vCPU x ${rate:.3f}/h")
    pools = [item for item in spec.gpu_ids or [] if not item.startswith("-")]
    pools += [_POOL_OF_TYPE.get(gpu, "") for gpu in spec.gpu_type_ids or []]
    known = [pool for pool in pools if pool in prices]
    if not known or len(known) < len(pools):
        # Unpriced or unspecified GPUs: assume the dearest, so the ceiling errs on the safe side.
        worst = max(prices, key=lambda pool: prices[pool])
        known.append(worst)
    dearest = max(known, key=lambda pool: prices[pool])
    per_worker = spec.gpu_count * prices[dearest]
    return HourlyCost(spec.workers_max * per_worker, f"{spec.gpu_count} x {dearest} at ${prices[dearest]:.3f}/h")


def _vcpus(spec: EndpointSpec) -> int:
    if spec.instance_ids:
        return max(int(item.split("-")[1]) for item in spec.instance_ids)
    return spec.vcpu_count or 2
