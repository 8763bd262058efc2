"""The ``RegistryAuth`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call). Every change of ``name``, ``username`` or ``password`` is a
replacement, made create-before-delete (the engine's default, and what ``diff`` asks for), so that
endpoints and templates move to the new credential before the old one goes: they never lose access.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, auto_name, clean, is_unknown, managed_fields
from ..dynamic.provider import BaseProvider, ProviderError, rest_v2_refusal
from ..validation import FieldProblem
from . import new_provider
from .properties import (
    ADOPT,
    CONTROL_FIELDS,
    build_outputs,
    check_controls,
    diff_fields,
    refreshed_inputs,
    spec_from_props,
)
from .service import RegistryService
from .spec import SPEC_FIELDS, check_spec
from .v2 import Registry, RegistryClient

__all__ = ["RegistryAuthProvider"]


class RegistryAuthProvider(BaseProvider):
    """Manages RunPod container registry credentials over REST v2."""

    noun = "registry credential"
    factory = staticmethod(new_provider)

    def service(self) -> RegistryService:
        return self.built(
            lambda settings, session, timing: RegistryService(
                RegistryClient(session, settings.rest_url), timing=timing, sleep=self.sleep, clock=self.clock
            )
        )

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props = clean(news)
        controls = {name: props.pop(name) for name in CONTROL_FIELDS if name in props}
        prefix = controls.pop(AUTO_NAME, None)
        adopting_unnamed = props.get("name") is None and controls.get(ADOPT) is not None
        if props.get("name") is None and not adopting_unnamed and isinstance(prefix, str) and not is_unknown(prefix):
            props["name"] = auto_name(prefix, clean(olds))
            controls[AUTO_NAME] = prefix
        unknown = {name for name, value in props.items() if is_unknown(value)}
        spec, problems = check_spec(props, unknown=unknown)
        if adopting_unnamed:
            problems = [p for p in problems if p.field != "name"]
            problems.append(
                FieldProblem(
                    "name",
                    f"set name to the credential's current name when using {ADOPT}: RunPod cannot rename a "
                    "registry credential, so a generated name would replace it",
                )
            )
        problems += check_controls(controls)
        refusal = rest_v2_refusal(self.settings, self.noun)
        if refusal:
            problems.append(FieldProblem("", refusal))
        if problems or spec is None:
            return CheckResult({**props, **controls}, [CheckFailure(p.field, p.message) for p in problems])
        inputs = {**spec.model_dump(), **{name: props[name] for name in unknown}, **controls}
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Every change replaces. An auto-named credential gets a new name for its replacement, so the
        new one is made before the old one goes (no gap). RunPod's names are unique per account, so a
        credential that keeps a name the program fixed can only be replaced old-one-first."""
        changed = diff_fields(olds, news)
        old, new = clean(olds), clean(news)
        keeps_fixed_name = AUTO_NAME not in new and new.get("name") == old.get("name")
        return DiffResult(
            changes=bool(changed), replaces=changed, delete_before_replace=bool(changed) and keeps_fixed_name
        )

    # -- create / read / update / delete ----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        values = clean(props)
        adopt = values.get(ADOPT)
        service = self.service()
        registry = self.create_or_adopt(
            adopt,
            spec.name,
            lambda: service.create(spec, unique_name=AUTO_NAME in values),
            lambda existing: service.adopt(existing, spec),
        )
        outputs = build_outputs(registry, inputs=props, managed=managed_fields(values, SPEC_FIELDS))
        return CreateResult(registry.id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        registry = self.read_or_gone(id_, props, lambda: self.service().read(id_))
        if registry is None:
            return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
        managed = managed_fields(clean(props), SPEC_FIELDS) if refreshing else []
        outputs = build_outputs(registry, inputs=props, managed=managed)
        return ReadResult(id_, outputs, refreshed_inputs(outputs) if refreshing else None)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Only control inputs can reach here (diff replaces on every spec change): nothing to send."""
        changed = diff_fields(olds, news)
        if changed:
            raise ProviderError(
                f"update registry credential {id_}: RunPod cannot change a credential's {', '.join(changed)}; "
                "it must be replaced (this is a provider bug: diff should have asked for a replacement)"
            )
        old = clean(olds)
        registry = Registry(id=id_, name=str(old.get("name")))
        managed = managed_fields(clean(news), SPEC_FIELDS)
        return UpdateResult(build_outputs(registry, inputs={**old, **clean(news)}, managed=managed))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.guarded(f"delete registry credential {id_}", lambda: self.service().delete(id_))
