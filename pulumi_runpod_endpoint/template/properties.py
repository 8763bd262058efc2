"""Property bags <-> the template's model, and the diff rules. Pure functions, no API calls.

State layout (snake_case): every spec field as the API last reported it; ``env`` always a secret;
``managed_fields``, the fields the program manages (declared, or defaulted by ``check``); ``revision``,
the digest of the container settings (computed by ``check`` from the inputs); the control inputs
``allow_public_env``, ``adopt_existing_id`` and ``auto_name_prefix``.

A template never needs replacing: every field v2 has can be changed in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dynamic.props import MANAGED_FIELDS, changed_fields, clean, is_unknown, managed_fields, secret
from ..validation import FieldProblem, id_problem
from .names import ADOPT, ALLOW_PUBLIC_ENV, CONTROL_FIELDS, OUTPUT_NAMES, REVISION, SPEC_FIELDS
from .spec import TemplateSpec, revision
from .v2 import Template, env_differs, flat

__all__ = [
    "ADOPT",
    "ALLOW_PUBLIC_ENV",
    "CONTROL_FIELDS",
    "OUTPUT_NAMES",
    "REVISION",
    "UNCLEARABLE",
    "build_outputs",
    "check_controls",
    "diff_fields",
    "refreshed_inputs",
    "revision_value",
    "spec_from_props",
]

# Fields a PATCH cannot unset (or that always have a value): dropping one only ends its management.
UNCLEARABLE: tuple[str, ...] = ("name", "image", "container_disk_gb", "serverless", "category", "public")


def _as_set(value: Any) -> Any:
    return sorted(str(item) for item in value) if isinstance(value, list) else value


NORMALIZERS = {"ports": _as_set, "allowed_cuda_versions": _as_set}


def check_controls(props: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    adopt = props.get(ADOPT)
    if adopt is not None and not is_unknown(adopt):
        message = id_problem(ADOPT, adopt, "template")
        if message:
            problems.append(FieldProblem(ADOPT, message))
    allow = props.get(ALLOW_PUBLIC_ENV)
    if allow is not None and not is_unknown(allow) and not isinstance(allow, bool):
        problems.append(FieldProblem(ALLOW_PUBLIC_ENV, f"{ALLOW_PUBLIC_ENV} must be True or False (got {allow!r})"))
    return problems


def spec_from_props(props: Mapping[str, Any]) -> TemplateSpec:
    values = clean(props)
    return TemplateSpec.model_validate({name: values[name] for name in SPEC_FIELDS if name in values})


def diff_fields(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[str]:
    """Spec fields whose change needs an update (the old side is the last read)."""
    old, new = clean(olds), clean(news)
    fields = [name for name in SPEC_FIELDS if name != "env"]
    changed = changed_fields(olds, news, fields, NORMALIZERS, UNCLEARABLE)
    if "env" in new:
        if is_unknown(new["env"]) or env_differs(old.get("env"), new["env"] or {}):
            changed.append("env")
    elif "env" in managed_fields(old, SPEC_FIELDS) and old.get("env"):
        changed.append("env")  # the program removed env: clear it
    return changed


def build_outputs(template: Template, *, inputs: Mapping[str, Any], managed: Iterable[str]) -> dict[str, Any]:
    """Outputs: what the API reports, env as a secret, the control inputs, and the revision (from the
    inputs; for a ``.get``, which has none, from the container settings the API reports)."""
    known = clean(inputs)
    managed_set = set(managed)
    outputs = flat(template)
    digest = known.get(REVISION) or revision(outputs)
    outputs[REVISION] = revision_value(digest, env=outputs["env"])
    outputs["env"] = secret(outputs["env"])
    outputs.update({name: known.get(name) for name in CONTROL_FIELDS})
    outputs[MANAGED_FIELDS] = [name for name in SPEC_FIELDS if name in managed_set]
    return outputs


def revision_value(digest: str, *, env: Mapping[str, Any] | None) -> Any:
    """The revision as the state keeps it: a secret when the template has env. It digests the env
    values (so that a changed value reaches the endpoints), and a digest of a secret in plain state
    lets anyone who reads the state test guesses of it offline."""
    return secret(digest) if env else digest


def refreshed_inputs(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """After a refresh the managed fields take the observed values, so drift shows on the next preview;
    the revision stays the one the program's settings gave (an endpoint re-applies only on their change)."""
    inputs = {name: outputs[name] for name in outputs.get(MANAGED_FIELDS) or [] if outputs.get(name) is not None}
    inputs.update({name: outputs[name] for name in (*CONTROL_FIELDS, REVISION) if outputs.get(name) is not None})
    return inputs
