"""The endpoint's property names: what a program needs to declare one, without pydantic or the provider.

``SPEC_FIELDS`` is ``EndpointSpec``'s fields, in order; spec.py checks at import that the model has
exactly these, so the two cannot drift apart.
"""

from __future__ import annotations

from ..dynamic.tokens import AUTO_NAME, MANAGED_FIELDS

__all__ = [
    "ADOPT",
    "AUTO_NAME",
    "CONTROL_FIELDS",
    "DERIVED_OUTPUTS",
    "ENV_KEYS",
    "OUTPUT_NAMES",
    "PLACEHOLDERS",
    "SPEC_FIELDS",
    "TEMPLATE_REVISION",
    "WAIT",
    "WAIT_TIMEOUT",
]

SPEC_FIELDS: tuple[str, ...] = (
    "name",
    "type",
    "image",
    "template_id",
    "container_args",
    "container_disk_gb",
    "ports",
    "env",
    "registry_auth_id",
    "gpu_pools",
    "gpu_excluded_types",
    "gpu_count",
    "allowed_cuda_versions",
    "min_cuda_version",
    "cpu_flavor_ids",
    "vcpu_count",
    "cpu",
    "workers_min",
    "workers_max",
    "idle_timeout",
    "scaler_type",
    "scaler_value",
    "data_center_ids",
    "network_volume_ids",
    "execution_timeout_ms",
    "flashboot",
)
ADOPT = "adopt_existing_id"
WAIT = "wait_for_rollout"
WAIT_TIMEOUT = "rollout_timeout_seconds"
TEMPLATE_REVISION = "template_revision"
ENV_KEYS = "env_keys"
CONTROL_FIELDS: tuple[str, ...] = (ADOPT, WAIT, WAIT_TIMEOUT, TEMPLATE_REVISION, AUTO_NAME)
DERIVED_OUTPUTS: tuple[str, ...] = (
    MANAGED_FIELDS,
    ENV_KEYS,
    "request_urls",
    "run_url",
    "runsync_url",
    "health_url",
    "created_at",
    "release_version",
    "rollout",
    "backend",
    "bound_template",
)
OUTPUT_NAMES: tuple[str, ...] = (*SPEC_FIELDS, *CONTROL_FIELDS, *DERIVED_OUTPUTS)
# The outputs a program can read (the class's attributes): each is registered as a placeholder for the
# engine to fill. Control inputs and env_keys are registered only when the program sets them: every
# placeholder is an Output the SDK keeps waiting on until the resource is done, and its wait loop costs
# the number of outstanding Outputs on every turn (pulumi/runtime/stack.py, wait_for_rpcs).
PLACEHOLDERS: tuple[str, ...] = tuple(name for name in OUTPUT_NAMES if name not in (*CONTROL_FIELDS, ENV_KEYS))
