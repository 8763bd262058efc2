"""Property bags <-> the endpoint's models, and the diff rules. Pure functions, no API calls.

State layout (snake_case): every spec field as the API last reported it (or as last known where the
API reports nothing, such as ``template_id`` on v2); ``managed_fields``, the spec fields the program
manages (declared, or defaulted by ``check``); ``env_keys``, the env names it manages (a template may
add others, which are neither drift nor ours to delete); the control inputs (``adopt_existing_id``,
``wait_for_rollout``, ...); and derived outputs (request URLs, ``created_at``, ``backend``, rollout).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, changed_fields, clean, is_unknown, managed_fields, secret, unwrap
from ..validation import ID_PATTERN, FieldProblem, is_runpod_secret_reference, show
from .backend import Observed, RolloutState, strip_flashboot_suffix
from .legacy import upgrade_props
from .names import (
    ADOPT,
    CONTROL_FIELDS,
    ENV_KEYS,
    OUTPUT_NAMES,
    SPEC_FIELDS,
    TEMPLATE_REVISION,
    WAIT,
    WAIT_TIMEOUT,
)
from .spec import EndpointSpec

__all__ = [
    "AUTO_NAME",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "build_outputs",
    "check_controls",
    "compute_family",
    "diff_fields",
    "env_keys",
    "refreshed_inputs",
    "replaced_fields",
    "spec_from_props",
]

DEFAULT_ROLLOUT_TIMEOUT = 900.0

# Fields a v2 PATCH cannot unset: dropping one from the program only ends its management.
UNCLEARABLE: tuple[str, ...] = (
    "image",
    "container_disk_gb",
    "gpu_count",
    "vcpu_count",
    "workers_min",
    "workers_max",
    "idle_timeout",
    "scaler_type",
    "scaler_value",
    "execution_timeout_ms",
    "flashboot",
    "type",
    "template_id",
)
_CPU_FIELDS = ("cpu", "cpu_flavor_ids", "vcpu_count")
_GPU_FIELDS = ("gpu_pools", "gpu_excluded_types", "gpu_count", "allowed_cuda_versions", "min_cuda_version")


def _as_set(value: Any) -> Any:
    return sorted(str(item).strip() for item in value) if isinstance(value, list) else value


def _cpu_set(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    return sorted(
        (str(item.get("flavor_id")), int(item.get("vcpu_count") or 0)) for item in value if isinstance(item, dict)
    )


NORMALIZERS = {
    "name": strip_flashboot_suffix,
    "gpu_pools": _as_set,
    "gpu_excluded_types": _as_set,
    "allowed_cuda_versions": _as_set,
    "data_center_ids": _as_set,
    "network_volume_ids": _as_set,
    "ports": _as_set,
    "cpu_flavor_ids": _as_set,
    "cpu": _cpu_set,
    "scaler_value": lambda value: float(value) if isinstance(value, int | float) else value,
}


# -- check ------------------------------------------------------------------------------------------
def check_controls(props: Mapping[str, Any]) -> list[FieldProblem]:
    """The inputs that steer the provider rather than describe the endpoint."""
    problems: list[FieldProblem] = []
    adopt = props.get(ADOPT)
    if adopt is not None and not is_unknown(adopt) and not (isinstance(adopt, str) and ID_PATTERN.match(adopt)):
        problems.append(FieldProblem(ADOPT, f"{ADOPT} must be an endpoint id such as 'abc123xyz' (got {show(adopt)})"))
    wait = props.get(WAIT)
    if wait is not None and not is_unknown(wait) and not isinstance(wait, bool):
        problems.append(FieldProblem(WAIT, f"{WAIT} must be True or False (got {show(wait)})"))
    timeout = props.get(WAIT_TIMEOUT)
    if timeout is not None and not is_unknown(timeout):
        valid = isinstance(timeout, int | float) and not isinstance(timeout, bool) and 1 <= timeout <= 86400
        if not valid:
            problems.append(
                FieldProblem(
                    WAIT_TIMEOUT, f"{WAIT_TIMEOUT} must be a number of seconds from 1 to 86400 (got {show(timeout)})"
                )
            )
    revision = props.get(TEMPLATE_REVISION)
    if (
        revision is not None
        and not is_unknown(revision)
        and not (isinstance(revision, str) and 0 < len(revision) <= 128)
    ):
        problems.append(
            FieldProblem(TEMPLATE_REVISION, f"{TEMPLATE_REVISION} must be a short string (got {show(revision)})")
        )
    return problems


# -- props -> spec ------------------------------------------------------------------------------------
def spec_from_props(props: Mapping[str, Any]) -> EndpointSpec:
    """The desired spec from checked inputs (create/update), or the last known one from outputs."""
    values = upgrade_props(clean(props))
    fields = managed_fields(values, SPEC_FIELDS)
    return EndpointSpec.model_validate({name: values[name] for name in fields if name in values})


def env_keys(props: Mapping[str, Any]) -> list[str]:
    """The env names a bag manages: its recorded list (outputs), else the keys it sets (inputs)."""
    recorded = props.get(ENV_KEYS)
    if isinstance(recorded, list):
        return [str(key) for key in recorded]
    env = clean(props).get("env")
    return sorted(env) if isinstance(env, dict) else []


# -- diff ---------------------------------------------------------------------------------------------
def compute_family(values: Mapping[str, Any]) -> str:
    return "CPU" if any(values.get(name) for name in _CPU_FIELDS) or values.get("compute_type") == "CPU" else "GPU"


def diff_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Spec and control fields whose change needs an update (or a replacement)."""
    old = upgrade_props(clean(olds))
    new = clean(news)
    fields = [name for name in SPEC_FIELDS if name != "env"]
    old_for_diff = {**old, MANAGED_FIELDS: [n for n in managed_fields(old, SPEC_FIELDS) if n != "env"]}
    changed = changed_fields(old_for_diff, new, fields, NORMALIZERS, UNCLEARABLE)
    if _env_changed(old, new, env_keys(olds)):
        changed.append("env")
    for name in (TEMPLATE_REVISION, WAIT, WAIT_TIMEOUT):
        if (name in new and (is_unknown(new[name]) or new[name] != old.get(name))) or (
            name not in new and old.get(name) is not None
        ):
            changed.append(name)
    return changed


def _env_changed(old: Mapping[str, Any], new: Mapping[str, Any], old_keys: Iterable[str]) -> bool:
    if "env" in new and is_unknown(new["env"]):
        return True
    observed = old.get("env") or {}
    wanted = new.get("env") or {}
    if not isinstance(observed, dict) or not isinstance(wanted, dict):
        return observed != wanted
    for key, value in wanted.items():
        if is_runpod_secret_reference(value) and key in observed:
            continue  # RunPod resolves the reference; what it reports is not drift
        if observed.get(key) != value:
            return True
    return any(key in observed for key in old_keys if key not in wanted)


def replaced_fields(olds: Mapping[str, Any], news: Mapping[str, Any], changed: Iterable[str]) -> list[str]:
    """Changes the API cannot make in place: the endpoint ``type`` and GPU <-> CPU."""
    old = upgrade_props(clean(olds))
    new = clean(news)
    replaces = [name for name in changed if name == "type"]
    if not any(is_unknown(new.get(name)) for name in (*_CPU_FIELDS, *_GPU_FIELDS)) and compute_family(
        old
    ) != compute_family(new):
        replaces += [name for name in changed if name in (*_CPU_FIELDS, *_GPU_FIELDS)]
    return replaces


# -- outputs ------------------------------------------------------------------------------------------
def build_outputs(
    observed: Observed,
    *,
    inputs: Mapping[str, Any],
    managed: Iterable[str],
    managed_env: Iterable[str],
    backend: str,
    job_url_base: str,
    rollout: RolloutState | None = None,
) -> dict[str, Any]:
    """Outputs: what the API reports; where it reports nothing, what we last knew (``inputs``: the
    checked inputs, or the previous outputs)."""
    known = upgrade_props(clean(inputs))

    def reported_or_known(name: str) -> Any:
        value = observed.fields.get(name)
        return value if value is not None else known.get(name)

    outputs: dict[str, Any] = {name: reported_or_known(name) for name in SPEC_FIELDS}
    if outputs.get("name") is not None:
        outputs["name"] = strip_flashboot_suffix(outputs["name"])
    managed_set = set(managed)
    if "cpu_flavor_ids" in managed_set or "cpu" in managed_set:
        # One CPU form in the state: the one the program uses (the API reports the list form).
        drop = "cpu" if "cpu_flavor_ids" in managed_set else "cpu_flavor_ids"
        outputs[drop] = None
        if drop == "cpu_flavor_ids":
            outputs["vcpu_count"] = None
    urls = dict(observed.request_urls)
    if not urls and outputs.get("type", "QUEUE") == "QUEUE":
        base = f"{job_url_base}/{observed.id}"
        urls = {"run": f"{base}/run", "run_sync": f"{base}/runsync", "status": f"{base}/status",
                "stream": f"{base}/stream", "cancel": f"{base}/cancel", "retry": f"{base}/retry",
                "purge_queue": f"{base}/purge-queue", "health": f"{base}/health"}  # fmt: skip
    outputs.update({name: known.get(name) for name in CONTROL_FIELDS})
    outputs.update(
        {
            MANAGED_FIELDS: [name for name in SPEC_FIELDS if name in managed_set],
            ENV_KEYS: sorted(set(managed_env)),
            "request_urls": urls,
            "run_url": urls.get("run"),
            "runsync_url": urls.get("run_sync"),
            "health_url": urls.get("health"),
            "created_at": observed.created_at or known.get("created_at"),
            "release_version": rollout.version if rollout is not None else known.get("release_version"),
            "rollout": _rollout_output(rollout) if rollout is not None else known.get("rollout"),
            "backend": backend,
            "bound_template": observed.bound_template
            if observed.bound_template is not None
            else known.get("bound_template"),
        }
    )
    # Env values routinely hold tokens: secret in the outputs themselves, whatever the program's options
    # say (the resource also lists env in additional_secret_outputs), as templates and credentials do.
    outputs["env"] = secret(outputs["env"])
    return outputs


def _rollout_output(state: RolloutState) -> dict[str, Any]:
    return {
        "version": state.version,
        "percent_on_latest": state.percent_on_latest,
        "workers_on_latest": state.workers_on_latest,
        "workers_total": state.workers_total,
        "stale": state.stale,
        "throttled": state.throttled,
        "unhealthy": state.unhealthy,
        "ready_on_latest": state.ready_on_latest,
    }


def refreshed_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """After a refresh the managed fields take the observed values, so drift shows on the next preview."""
    inputs = {name: outputs[name] for name in outputs.get(MANAGED_FIELDS) or [] if outputs.get(name) is not None}
    env = unwrap(outputs.get("env"))
    if "env" in inputs and isinstance(env, dict):
        inputs["env"] = secret({key: env[key] for key in outputs.get(ENV_KEYS) or [] if key in env})
    inputs.update({name: outputs[name] for name in CONTROL_FIELDS if outputs.get(name) is not None})
    return inputs
