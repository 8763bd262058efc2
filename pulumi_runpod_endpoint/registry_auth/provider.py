"""The ``RegistryAuth`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call). Every change of ``name``, ``username`` or ``password`` is a
replacement, made create-before-delete (the engine's default, and what ``diff`` asks for), so that
endpoints and templates move to the new credential before the old one goes: they never lose access.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.errors import NotFound, RunPodError
from ..api.lifecycle import AdoptionRefused, Timing
from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, auto_name, clean, is_unknown, managed_fields
from ..dynamic.provider import BaseProvider, ProviderError, SessionFactory, rest_v2_refusal
from ..validation import FieldProblem
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
        self._service: RegistryService | None = None
        self._service_key: Any = None

    def service(self) -> RegistryService:
        settings = self.settings
        with self._lock:
            if self._service is None or self._service_key != settings:
                timing = self._timing or Timing(delete_timeout=settings.delete_timeout)
                client = RegistryClient(self.session(), settings.rest_url)
                self._service = RegistryService(client, timing=timing, sleep=self._sleep, clock=self._clock)
                self._service_key = settings
            return self._service

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
        doing = f"adopt registry credential {adopt}" if adopt else f"create registry credential {spec.name!r}"
        try:
            if adopt:
                registry = self.service().adopt(adopt, spec)
            else:
                registry = self.service().create(spec, unique_name=AUTO_NAME in values)
        except NotFound as missing:
            if not adopt:
                self.fail(missing, doing)
            raise ProviderError(
                f"{ADOPT} {adopt!r}: no registry credential with that id is visible to this API key; check the id, "
                f"or remove {ADOPT} to create one"
            ) from None
        except AdoptionRefused as refused:
            raise ProviderError(f"{refused}. Nothing was changed", refused) from None
        except RunPodError as error:
            self.fail(error, doing)
        outputs = build_outputs(registry, inputs=props, managed=managed_fields(values, SPEC_FIELDS))
        return CreateResult(registry.id, outputs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        registry = self.guarded(f"read registry credential {id_}", lambda: self.service().read(id_))
        if registry is None:
            if refreshing:
                return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
            raise ProviderError(f"registry credential {id_!r} does not exist (or is not visible to this API key)")
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
