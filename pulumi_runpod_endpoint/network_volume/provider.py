"""The ``NetworkVolume`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call). Where each refusal lives:

* ``check`` (new inputs, and the old ones on an update): bad values, a data center without the tier
  (shipped catalog), a shrink, and a change of ``data_center_id`` or of an explicit ``type`` unless
  ``allow_replacement=True``;
* ``diff`` (old outputs = the volume as last read): declaring a ``type`` that differs from the tier
  the volume really has (its inputs had none, so ``check`` could not know) is a replacement, refused
  the same way unless ``allow_replacement=True``;
* ``update``: a size below the size last read (the volume grew outside the program) is refused before
  the PATCH.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.catalog import Catalog, shipped_catalog
from ..api.errors import NotFound, RunPodError
from ..api.lifecycle import AdoptionRefused, Timing
from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, auto_name, clean, is_unknown, managed_fields
from ..dynamic.provider import BaseProvider, ProviderError, SessionFactory, rest_v2_refusal
from ..validation import FieldProblem
from .properties import (
    ADOPT,
    ALLOW_REPLACEMENT,
    CONTROL_FIELDS,
    build_outputs,
    check_controls,
    diff_fields,
    last_known,
    refreshed_inputs,
    replaced_fields,
    spec_from_props,
)
from .service import VolumeService
from .spec import SPEC_FIELDS, change_problems, check_spec, replacement_message
from .v2 import NetworkVolume, VolumeClient

__all__ = ["NetworkVolumeProvider"]

_WHAT = {"data_center_id": "data center", "type": "storage tier"}


class NetworkVolumeProvider(BaseProvider):
    """Manages RunPod network volumes over REST v2."""

    noun = "network volume"

    def __init__(
        self,
        *,
        session_factory: SessionFactory | None = None,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        catalog: Callable[[], Catalog] = shipped_catalog,
    ) -> None:
        super().__init__(session_factory=session_factory)
        self._timing = timing
        self._sleep = sleep
        self._clock = clock
        self._catalog = catalog
        self._service: VolumeService | None = None
        self._service_key: Any = None

    def service(self) -> VolumeService:
        settings = self.settings
        with self._lock:
            if self._service is None or self._service_key != settings:
                timing = self._timing or Timing(delete_timeout=settings.delete_timeout)
                client = VolumeClient(self.session(), settings.rest_url)
                self._service = VolumeService(client, timing=timing, sleep=self._sleep, clock=self._clock)
                self._service_key = settings
            return self._service

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props = clean(news)
        old = clean(olds)
        controls = {name: props.pop(name) for name in CONTROL_FIELDS if name in props}
        prefix = controls.pop(AUTO_NAME, None)
        if props.get("name") is None and isinstance(prefix, str) and prefix and not is_unknown(prefix):
            props["name"] = auto_name(prefix, old)
            controls[AUTO_NAME] = prefix
        unknown = {name for name, value in props.items() if is_unknown(value)}
        spec, problems = check_spec(props, unknown=unknown, catalog=self._catalog())
        allow = controls.get(ALLOW_REPLACEMENT) is True
        problems += change_problems(old, props, allow_replacement=allow, unknown=unknown)
        problems += check_controls(controls)
        refusal = rest_v2_refusal(self.settings, self.noun)
        if refusal:
            problems.append(FieldProblem("", refusal))
        if problems or spec is None:
            return CheckResult({**props, **controls}, [CheckFailure(p.field, p.message) for p in problems])
        inputs = {**spec.model_dump(exclude_none=True), **{name: props[name] for name in unknown}, **controls}
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = diff_fields(olds, news)
        replaces = replaced_fields(news, changed)
        new = clean(news)
        if replaces and new.get(ALLOW_REPLACEMENT) is not True:
            old, field = clean(olds), replaces[0]
            raise ProviderError(
                replacement_message(field, _WHAT[field], str(old.get(field)), str(new.get(field)), str(old.get("name")))
            )
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    # -- create / read / update / delete ----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        values = clean(props)
        adopt = values.get(ADOPT)
        doing = f"adopt network volume {adopt}" if adopt else f"create network volume {spec.name!r}"
        try:
            if adopt:
                volume = self.service().adopt(adopt, spec)
            else:
                volume = self.service().create(spec, unique_name=AUTO_NAME in values)
        except NotFound as missing:
            if not adopt:
                self.fail(missing, doing)
            raise ProviderError(
                f"{ADOPT} {adopt!r}: no network volume with that id is visible to this API key; check the id, "
                f"or remove {ADOPT} to create one"
            ) from None
        except AdoptionRefused as refused:
            raise ProviderError(f"{refused}. Nothing was changed", refused) from None
        except RunPodError as error:
            self.fail(error, doing)
        return CreateResult(volume.id, build_outputs(volume, inputs=props, managed=managed_fields(values, SPEC_FIELDS)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        volume = self.guarded(f"read network volume {id_}", lambda: self.service().read(id_))
        if volume is None:
            if refreshing:
                return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
            raise ProviderError(f"network volume {id_!r} does not exist (or is not visible to this API key)")
        managed = managed_fields(clean(props), SPEC_FIELDS) if refreshing else []
        outputs = build_outputs(volume, inputs=props, managed=managed)
        return ReadResult(id_, outputs, refreshed_inputs(outputs) if refreshing else None)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = spec_from_props(news)
        current = last_known(id_, olds)
        shrink = change_problems(clean(olds), clean(news), allow_replacement=True)
        if shrink:
            raise ProviderError(f"update network volume {id_}: {shrink[0].message}. Nothing was changed")
        try:
            volume = self.service().update(id_, current, spec)
        except NotFound as gone:
            raise ProviderError(
                f"update network volume {id_}: it no longer exists ({gone.message}). Run `pulumi refresh` to drop it "
                "from the state, then `pulumi up` to create it again (empty)",
                gone,
            ) from None
        except RunPodError as error:
            self.fail(error, f"update network volume {id_}")
        if volume is None:  # nothing mutable differed: the volume already is what the program asks
            volume = NetworkVolume(
                id=id_, name=spec.name, size=spec.size_gb, data_center=current.data_center, type=current.type
            )
        managed = managed_fields(clean(news), SPEC_FIELDS)
        return UpdateResult(build_outputs(volume, inputs=news, managed=managed))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.guarded(f"delete network volume {id_}", lambda: self.service().delete(id_))
