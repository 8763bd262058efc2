"""The rules as plain functions: facts and the rule's config in, messages out.

Every message names the resource, the field, the value and the fix. Nothing here imports Pulumi or
pulumi-policy: ``pack.py`` wraps the rules for pulumi-policy, and tests may call them directly.
"""

from .endpoint import (
    endpoint_hourly_cost,
    execution_timeout_required,
    flashboot_recommended,
    idle_timeout_bounds,
    is_production,
    max_workers,
    scale_to_zero,
)
from .placement import allowed_data_centers, allowed_gpus, allowed_regions
from .secrecy import looks_secret, plain_secret_env, public_template_env, registry_passwords, unsecret_fields
from .stack import stack_hourly_cost, unique_endpoint_names
from .volumes import mounted_volumes, one_volume_per_data_center, volume_size_cap, volumes_in_data_centers

__all__ = [
    "allowed_data_centers",
    "allowed_gpus",
    "allowed_regions",
    "endpoint_hourly_cost",
    "execution_timeout_required",
    "flashboot_recommended",
    "idle_timeout_bounds",
    "is_production",
    "looks_secret",
    "max_workers",
    "mounted_volumes",
    "one_volume_per_data_center",
    "plain_secret_env",
    "public_template_env",
    "registry_passwords",
    "scale_to_zero",
    "stack_hourly_cost",
    "unique_endpoint_names",
    "unsecret_fields",
    "volume_size_cap",
    "volumes_in_data_centers",
]
