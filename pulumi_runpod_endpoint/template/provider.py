"""The ``Template`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call); check also computes ``revision``, so a preview already knows
whether the endpoints built from this template must re-apply it. Nothing ever replaces a template:
v2 changes every field in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.errors import NotFound, RunPodError
from ..api.lifecycle import AdoptionRefused, Timing
from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, UNKNOWN, auto_name, clean, is_unknown, managed_fields
from ..dynamic.provider import BaseProvider, ProviderError, SessionFactory, rest_v2_refusal
from ..validation import FieldProblem
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
    spec_from_props,
)
from .service import TemplateService
from .spec import CONTAINER_FIELDS, SPEC_FIELDS, check_spec, revision
from .v2 import Template, TemplateClient

__all__ = ["TemplateProvider"]


class TemplateProvider(BaseProvider):
    """Manages RunPod templates over REST v2."""

    noun = "template"

    def __init__(
        self,
        *,
        session_factory: SessionFactory | None = None,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(session_factory=session_factory)
        self._timing = timing
        self._sleep = sleep
        self._clock = clock
        self._service: TemplateService | None = None
        self._service_key: Any = None

    def service(self) -> TemplateService:
        settings = self.settings
        with self._lock:
            if self._service is None or self._service_key != settings:
                timing = self._timing or Timing(delete_timeout=settings.delete_timeout)
                client = TemplateClient(self.session(), settings.rest_url)
                self._service = TemplateService(client, timing=timing, sleep=self._sleep, clock=self._clock)
                self._service_key = settings
            return self._service

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props = clean(news)
        props.pop(REVISION, None)  # computed here, never given
        controls = {name: props.pop(name) for name in CONTROL_FIELDS if name in props}
        prefix = controls.pop(AUTO_NAME, None)
        if props.get("name") is None and isinstance(prefix, str) and prefix and not is_unknown(prefix):
            props["name"] = auto_name(prefix, clean(olds))
            controls[AUTO_NAME] = prefix
        unknown = {name for name, value in props.items() if is_unknown(value)}
        spec, problems = check_spec(props, unknown=unknown, allow_public_env=controls.get(ALLOW_PUBLIC_ENV) is True)
        problems += check_controls(controls)
        refusal = rest_v2_refusal(self.settings, self.noun)
        if refusal:
            problems.append(FieldProblem("", refusal))
        if problems or spec is None:
            return CheckResult({**props, **controls}, [CheckFailure(p.field, p.message) for p in problems])
        inputs = {**spec.model_dump(exclude_none=True), **{name: props[name] for name in unknown}, **controls}
        # Unknown container settings make an unknown revision: dependent endpoints show a change in preview.
        inputs[REVISION] = UNKNOWN if unknown & set(CONTAINER_FIELDS) else revision(inputs)
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = diff_fields(olds, news)
        return DiffResult(changes=bool(changed), replaces=[], delete_before_replace=False)

    # -- create / read / update / delete ----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        values = clean(props)
        adopt = values.get(ADOPT)
        doing = f"adopt template {adopt}" if adopt else f"create template {spec.name!r}"
        try:
            if adopt:
                template = self.service().adopt(adopt, spec)
            else:
                template = self.service().create(spec, unique_name=AUTO_NAME in values)
        except NotFound as missing:
            if not adopt:
                self.fail(missing, doing)
            raise ProviderError(
                f"{ADOPT} {adopt!r}: no template with that id is visible to this API key; check the id, "
                f"or remove {ADOPT} to create one"
            ) from None
        except AdoptionRefused as refused:
            raise ProviderError(f"{refused}. Nothing was changed", refused) from None
        except RunPodError as error:
            self.fail(error, doing)
        outputs = build_outputs(template, inputs=props, managed=managed_fields(values, SPEC_FIELDS))
        return CreateResult(template.id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        template = self.guarded(f"read template {id_}", lambda: self.service().read(id_))
        if template is None:
            if refreshing:
                return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
            raise ProviderError(f"template {id_!r} does not exist (or is not visible to this API key)")
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
