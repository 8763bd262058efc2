"""Pulumi property bags <-> endpoint models, and the diff rules. Pure functions, no API calls.

State layout (all snake_case): every spec field as the API last reported it; ``managed_fields``,
the spec fields this resource manages (declared by the program or defaulted by ``check``); and
derived outputs (URLs, template, created_at, version, backend). ``managed_fields`` is what lets
``diff`` tell "the program removed a field" from "the API filled in a field nobody declared".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from .api.enums import Backend
from .api.models import (
    REST_ONLY_FIELDS,
    TENSORONE_UNSUPPORTED_FIELDS,
    UNORDERED_FIELDS,
    Endpoint,
    EndpointSpec,
    FieldProblem,
    field_problems,
)

__all__ = [
    "ADOPT_FIELD",
    "DERIVED_OUTPUTS",
    "OUTPUT_NAMES",
    "REPLACE_FIELDS",
    "SPEC_FIELDS",
    "STABLE_OUTPUTS",
    "UNKNOWN",
    "build_outputs",
    "changed_fields",
    "check_inputs",
    "clean",
    "refreshed_inputs",
    "spec_from_props",
]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's marker for a value not known yet
_SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

SPEC_FIELDS: tuple[str, ...] = tuple(EndpointSpec.model_fields)
ADOPT_FIELD = "adopt_existing_id"
# What the API cannot change in place: REST's EndpointUpdateInput has no computeType, and a
# GPU endpoint does not become a CPU one through saveEndpoint either.
REPLACE_FIELDS: tuple[str, ...] = ("compute_type",)
STABLE_OUTPUTS: tuple[str, ...] = ("run_url", "runsync_url", "health_url", "created_at", "backend")
DERIVED_OUTPUTS: tuple[str, ...] = (
    "managed_fields",
    "run_url",
    "runsync_url",
    "health_url",
    "template",
    "created_at",
    "version",
    "backend",
)
OUTPUT_NAMES: tuple[str, ...] = (*SPEC_FIELDS, ADOPT_FIELD, *DERIVED_OUTPUTS)


def _unwrap(value: Any) -> Any:
    """Strip the host's secret wrappers: the provider sees plain values."""
    if isinstance(value, dict):
        if value.get(_SECRET_SIG_KEY) == _SECRET_SIG:
            return _unwrap(value.get("value"))
        return {key: _unwrap(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unwrap(item) for item in value]
    return value


def clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the provider blob, None values and secret wrappers."""
    return {key: _unwrap(value) for key, value in props.items() if key != "__provider" and value is not None}


def _is_unknown(value: Any) -> bool:
    if value == UNKNOWN:
        return True
    if isinstance(value, list):
        return any(_is_unknown(item) for item in value)
    if isinstance(value, dict):
        return any(_is_unknown(item) for item in value.values())
    return False


def check_inputs(news: Mapping[str, Any], backend: Backend) -> tuple[dict[str, Any], list[FieldProblem]]:
    """Validate inputs and apply the documented defaults, so that diffs are stable.

    Values not known yet (preview of a value computed by another resource) are passed through
    untouched; rules that would need them are not judged until they are known.
    """
    props = clean(news)
    adopt = props.pop(ADOPT_FIELD, None)
    unknown = {key for key, value in props.items() if _is_unknown(value)}
    known = {key: value for key, value in props.items() if key not in unknown}
    stand_ins = {"name": "unknown", "template_id": "unknown"}
    candidate = {**{k: v for k, v in stand_ins.items() if k in unknown}, **known}
    problems: list[FieldProblem]
    inputs: dict[str, Any] = dict(props)
    try:
        spec = EndpointSpec.model_validate(candidate)
    except ValidationError as error:
        problems = [p for p in field_problems(error) if not (unknown and (p.cross_field or p.field not in known))]
    else:
        inputs = {**spec.model_dump(exclude_none=True), **{k: props[k] for k in unknown}}
        problems = _backend_problems(spec, backend)
    if adopt is not None:
        if not isinstance(adopt, str) or not adopt.strip():
            problems.append(FieldProblem(field=ADOPT_FIELD, message=f"{ADOPT_FIELD} must be a non-empty endpoint id"))
        inputs[ADOPT_FIELD] = adopt
    return inputs, problems


def _backend_problems(spec: EndpointSpec, backend: Backend) -> list[FieldProblem]:
    if backend is not Backend.TENSORONE:
        return []
    problems = [
        FieldProblem(
            field=name,
            message=f"{name} is a RunPod REST API field; the tensorone backend has only the GraphQL API: "
            "use gpu_ids (GPU pools), instance_ids (CPU) and locations instead",
        )
        for name in REST_ONLY_FIELDS
        if getattr(spec, name) is not None
    ]
    problems += [
        FieldProblem(field=name, message=f"{name} is not supported by the tensorone backend; remove it")
        for name in TENSORONE_UNSUPPORTED_FIELDS
        if getattr(spec, name) is not None
    ]
    if spec.compute_type == "CPU" and spec.instance_ids is None:
        problems.append(
            FieldProblem(
                field="instance_ids",
                message="a CPU endpoint on tensorone needs instance_ids, e.g. ['cpu3g-4-16']",
            )
        )
    if spec.compute_type == "GPU" and spec.gpu_ids is None:
        problems.append(
            FieldProblem(
                field="gpu_ids",
                message="a GPU endpoint on tensorone needs gpu_ids (GPU pools), e.g. ['AMPERE_16']",
            )
        )
    return problems


def managed_fields(props: Mapping[str, Any]) -> list[str]:
    """The spec fields a property bag declares (after check's defaults)."""
    declared = props.get("managed_fields")
    if isinstance(declared, list):
        return [str(name) for name in declared if name in SPEC_FIELDS]
    return [name for name in SPEC_FIELDS if props.get(name) is not None]


def spec_from_props(props: Mapping[str, Any]) -> EndpointSpec:
    """The desired spec from checked inputs (create/update) or from outputs (delete/read)."""
    values = clean(props)
    fields = managed_fields(props)
    return EndpointSpec.model_validate({name: values[name] for name in fields if name in values})


def build_outputs(
    endpoint: Endpoint,
    *,
    managed: Iterable[str],
    fallback: Mapping[str, Any],
    run_url_base: str,
    backend: Backend,
) -> dict[str, Any]:
    """Outputs: what the API reports; where it reports nothing, the value we last knew
    (``fallback``: the checked inputs or the previous outputs, which also carry the adopt id)."""
    observed = endpoint.model_dump()

    def reported_or_known(name: str) -> Any:
        value = observed.get(name)
        return value if value is not None else fallback.get(name)

    adopt = fallback.get(ADOPT_FIELD)
    managed_set = set(managed)
    outputs: dict[str, Any] = {name: reported_or_known(name) for name in SPEC_FIELDS}
    outputs.update(
        {
            ADOPT_FIELD: adopt if isinstance(adopt, str) else None,
            "managed_fields": [name for name in SPEC_FIELDS if name in managed_set],
            "run_url": f"{run_url_base}/{endpoint.id}/run",
            "runsync_url": f"{run_url_base}/{endpoint.id}/runsync",
            "health_url": f"{run_url_base}/{endpoint.id}/health",
            "template": reported_or_known("template"),
            "created_at": reported_or_known("created_at"),
            "version": reported_or_known("version"),
            "backend": backend.value,
        }
    )
    return outputs


def refreshed_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """After a refresh, the managed fields take the observed values, so drift shows as a diff."""
    inputs = {name: outputs[name] for name in outputs.get("managed_fields") or [] if outputs.get(name) is not None}
    if outputs.get(ADOPT_FIELD):
        inputs[ADOPT_FIELD] = outputs[ADOPT_FIELD]
    return inputs


def _normalized(name: str, value: Any) -> Any:
    if value in (None, [], {}, ""):
        return None
    if name in UNORDERED_FIELDS and isinstance(value, list):
        return sorted(str(item) for item in value)
    return value


def changed_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Spec fields whose new input differs from the old output, or that the program dropped."""
    old = clean(olds)
    new = clean(news)
    previously_managed = set(managed_fields(olds))
    changed: list[str] = []
    for name in SPEC_FIELDS:
        if name in new:
            if _is_unknown(new[name]) or _normalized(name, new[name]) != _normalized(name, old.get(name)):
                changed.append(name)
        elif name in previously_managed and _normalized(name, old.get(name)) is not None:
            changed.append(name)
    return changed
