"""The ``Template`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call); check also computes ``revision``, so a preview already knows
whether the endpoints built from this template must re-apply it. Nothing ever replaces a template:
v2 changes every field in place.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.errors import NotFound, RunPodError
from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, UNKNOWN, clean, is_unknown, managed_fields, split_inputs
from ..dynamic.provider import BaseProvider, ProviderError, rest_v2_refusal
from ..validation import FieldProblem
from . import new_provider
from .properties import (
    ADOPT,
    ALLOW_PUBLIC_ENV,
    CONTROL_FIELDS,
    REVISION,
    UNCLEARABLE,
    build_outputs,
    check_controls,
    diff_fields,
    refreshed_inputs,
    revision_value,
    spec_from_props,
)
from .service import TemplateService
from .spec import CONTAINER_FIELDS, SPEC_FIELDS, check_spec, revision
from .v2 import Template, TemplateClient

__all__ = ["TemplateProvider"]


class TemplateProvider(BaseProvider):
    """Manages RunPod templates over REST v2."""

    noun = "template"
    factory = staticmethod(new_provider)

    def service(self) -> TemplateService:
        return self.built(
            lambda settings, session, timing: TemplateService(
                TemplateClient(session, settings.rest_url), timing=timing, sleep=self.sleep, clock=self.clock
            )
        )

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props, controls = split_inputs(news, olds, CONTROL_FIELDS)
        props.pop(REVISION, None)  # computed here, never given
        unknown = {name for name, value in props.items() if is_unknown(value)}
        spec, problems = check_spec(props, unknown=unknown, allow_public_env=controls.get(ALLOW_PUBLIC_ENV) is True)
        problems += check_controls(controls)
        refusal = rest_v2_refusal(self.settings, self.noun)
        if refusal:
            problems.append(FieldProblem("", refusal))
        if problems or spec is None:
            return CheckResult({**props, **controls}, [CheckFailure(p.field, p.message) for p in problems])
        checked = spec.model_dump(exclude_none=True)
        if controls.get(ADOPT) is not None:
            # An adopted template keeps what the program does not declare (public, category...): no defaults.
            checked = {name: value for name, value in checked.items() if name in props or name == "name"}
        inputs = {**checked, **{name: props[name] for name in unknown}, **controls}
        # Unknown container settings make an unknown revision: dependent endpoints show a change in preview.
        if unknown & set(CONTAINER_FIELDS):
            inputs[REVISION] = UNKNOWN
        else:
            inputs[REVISION] = revision_value(revision(inputs), env=inputs.get("env"))
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = diff_fields(olds, news)
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    # -- create / read / update / delete ----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        values = clean(props)
        adopt = values.get(ADOPT)
        service = self.service()
        template = self.create_or_adopt(
            adopt,
            spec.name,
            lambda: service.create(spec, unique_name=AUTO_NAME in values),
            lambda existing: service.adopt(existing, spec, only=frozenset(managed_fields(values, SPEC_FIELDS))),
        )
        outputs = build_outputs(template, inputs=props, managed=managed_fields(values, SPEC_FIELDS))
        return CreateResult(template.id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        template = self.read_or_gone(id_, props, lambda: self.service().read(id_))
        if template is None:
            return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
        managed = managed_fields(clean(props), SPEC_FIELDS) if refreshing else []
        outputs = build_outputs(template, inputs=props if refreshing else {}, managed=managed)
        return ReadResult(id_, outputs, refreshed_inputs(outputs) if refreshing else None)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = spec_from_props(news)
        old, values = clean(olds), clean(news)
        now = set(managed_fields(values, SPEC_FIELDS))
        cleared = set(managed_fields(old, SPEC_FIELDS)) - now - set(UNCLEARABLE)
        try:
            template = self.service().update(id_, old, spec, cleared=cleared)
        except NotFound as gone:
            raise ProviderError(
                f"update template {id_}: it no longer exists ({gone.message}). Run `pulumi refresh` to drop it "
                "from the state, then `pulumi up` to create it again",
                gone,
            ) from None
        except RunPodError as error:
            self.fail(error, f"update template {id_}")
        if template is None:  # nothing needed sending: the template already is what the program asks
            template = Template.model_validate({**_wire_view(old), **_wire_view(spec.model_dump()), "id": id_})
        return UpdateResult(build_outputs(template, inputs=news, managed=sorted(now)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.guarded(f"delete template {id_}", lambda: self.service().delete(id_))


def _wire_view(values: dict[str, Any]) -> dict[str, Any]:
    """Flat fields in ``Template``'s Python names (for outputs when no call was needed)."""
    names = {"container_args": "args", "container_disk_gb": "disk", "registry_auth_id": "registry"}
    return {names.get(key, key): value for key, value in values.items() if value is not None}
