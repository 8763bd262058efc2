"""What an endpoint can cost per hour at full scale.

Prices come from the catalog shipped with the package (``data/catalog.json``, RunPod's ``/v2/catalog``
shapes): ``price.serverless`` is RunPod's list price per GPU-hour for the GPU's serverless pool
(the spec: "Serverless list price per GPU per hour, from the pool this GPU belongs to"). Where the
catalog has no serverless price -- the ADA_32_PRO (RTX 5090) and BLACKWELL_96 (RTX PRO 6000) pools,
and every CPU flavor (the snapshot's CPU prices are 0, meaning unknown) -- the figures below are
*estimates*, and every cost message says so. Negotiated discounts are not in any of it. Users
override any price with the rules' ``gpuPricesPerHour`` / ``cpuPricePerVcpuHour`` config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..api.catalog import Catalog, shipped_catalog
from ..endpoint.spec import EndpointSpec

__all__ = [
    "CPU_ESTIMATE_PER_VCPU_HOUR",
    "GPU_ESTIMATES_PER_HOUR",
    "HourlyCost",
    "PoolPrice",
    "cpu_price",
    "gpu_prices",
    "hourly_cost",
]

# Pools the catalog prices nowhere: estimates, named as such wherever they are used.
GPU_ESTIMATES_PER_HOUR: dict[str, float] = {
    "ADA_32_PRO": 1.584,  # RTX 5090: between ADA_24 (1.116) and ADA_48_PRO (1.908)
    "BLACKWELL_96": 4.176,  # RTX PRO 6000: priced like ADA_80_PRO (H100)
}
CPU_ESTIMATE_PER_VCPU_HOUR = 0.05


@dataclass(frozen=True)
class PoolPrice:
    dollars: float
    source: str  # "catalog", "estimate" or "config"


def _catalog_gpu_prices(catalog: Catalog) -> dict[str, PoolPrice]:
    prices: dict[str, PoolPrice] = {}
    for gpu in catalog.gpus:
        pool, price = gpu.get("pool"), (gpu.get("price") or {}).get("serverless")
        if pool and isinstance(price, int | float) and price > 0:
            best = prices.get(str(pool))
            if best is None or price > best.dollars:
                prices[str(pool)] = PoolPrice(float(price), "catalog")
    for pool, estimate in GPU_ESTIMATES_PER_HOUR.items():
        prices.setdefault(pool, PoolPrice(estimate, "estimate"))
    return prices


def gpu_prices(overrides: Mapping[str, float] | None = None, catalog: Catalog | None = None) -> dict[str, PoolPrice]:
    """USD per GPU-hour for every pool: the config's, else the catalog's, else an estimate."""
    prices = dict(_catalog_gpu_prices(catalog or shipped_catalog()))
    for pool, dollars in (overrides or {}).items():
        if isinstance(dollars, int | float) and not isinstance(dollars, bool):
            prices[str(pool)] = PoolPrice(float(dollars), "config")
    return prices


def cpu_price(flavor: str, override: float | None = None, catalog: Catalog | None = None) -> PoolPrice:
    """USD per vCPU-hour for a CPU flavor: the config's, else the catalog's, else the estimate."""
    if override is not None:
        return PoolPrice(float(override), "config")
    price = ((catalog or shipped_catalog()).cpu_flavor(flavor) or {}).get("price") or {}
    listed = price.get("serverlessPerVcpu")
    if isinstance(listed, int | float) and listed > 0:
        return PoolPrice(float(listed), "catalog")
    return PoolPrice(CPU_ESTIMATE_PER_VCPU_HOUR, "estimate")


@dataclass(frozen=True)
class HourlyCost:
    """The most an endpoint costs per hour with every worker up, and what the figure rests on."""

    dollars: float
    basis: str  # e.g. "2 x ADA_80_PRO at $4.176/h (catalog)"


def hourly_cost(
    spec: EndpointSpec,
    gpu_overrides: Mapping[str, float] | None = None,
    cpu_override: float | None = None,
    catalog: Catalog | None = None,
) -> HourlyCost:
    """workers_max x the dearest worker the endpoint may get.

    GPU: gpu_count x the dearest pool in ``gpu_pools`` that ``gpu_excluded_types`` leaves a GPU in (an
    unpriced pool counts as the dearest known one, so the ceiling errs on the safe side). CPU: the
    dearest ``vCPUs x price per vCPU`` among its flavor choices.
    """
    catalog = catalog or shipped_catalog()
    if spec.is_cpu:
        worst = max(
            ((choice, cpu_price(choice.flavor_id, cpu_override, catalog)) for choice in spec.cpu_choices()),
            key=lambda item: item[0].vcpu_count * item[1].dollars,
        )
        choice, price = worst
        per_worker = choice.vcpu_count * price.dollars
        basis = f"{choice.vcpu_count} vCPU {choice.flavor_id} at ${price.dollars:.3f}/vCPU-h ({price.source})"
        return HourlyCost(spec.workers_max * per_worker, basis)
    prices = gpu_prices(gpu_overrides, catalog)
    pools = _live_pools(spec, catalog)
    dearest_known = max(prices, key=lambda pool: prices[pool].dollars)
    candidates = [pool if pool in prices else dearest_known for pool in pools] or [dearest_known]
    dearest = max(candidates, key=lambda pool: prices[pool].dollars)
    price = prices[dearest]
    count = spec.gpu_count or 1
    basis = f"{count} x {dearest} at ${price.dollars:.3f}/GPU-h ({price.source})"
    return HourlyCost(spec.workers_max * count * price.dollars, basis)


def _live_pools(spec: EndpointSpec, catalog: Catalog) -> list[str]:
    """The chosen pools that still hold a GPU after the exclusions (only those can get workers)."""
    excluded = set(spec.gpu_excluded_types or ())
    members = catalog.pools()
    return [pool for pool in spec.gpu_pools or () if not members.get(pool) or set(members[pool]) - excluded]
