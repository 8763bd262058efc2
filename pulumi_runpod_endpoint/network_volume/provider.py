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

from collections.abc import Callable
from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.catalog import Catalog, shipped_catalog
from ..api.errors import NotFound, RunPodError
from ..dynamic.props import AUTO_NAME, MANAGED_FIELDS, clean, is_unknown, managed_fields, split_inputs
from ..dynamic.provider import BaseProvider, ProviderError, rest_v2_refusal
from ..validation import FieldProblem
from . import new_provider
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
    factory = staticmethod(new_provider)

    def __init__(self, *, catalog: Callable[[], Catalog] = shipped_catalog, **seams: Any) -> None:
        """``catalog`` is a seam for tests; ``seams`` are the base's (session_factory, timing, sleep, clock)."""
        super().__init__(**seams)
        self._catalog = catalog

    def service(self) -> VolumeService:
        return self.built(
            lambda settings, session, timing: VolumeService(
                VolumeClient(session, settings.rest_url), timing=timing, sleep=self.sleep, clock=self.clock
            )
        )

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        props, controls = split_inputs(news, olds, CONTROL_FIELDS)
        old = clean(olds)
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
        service = self.service()
        volume = self.create_or_adopt(
            adopt,
            spec.name,
            lambda: service.create(spec, unique_name=AUTO_NAME in values),
            lambda existing: service.adopt(existing, spec),
        )
        return CreateResult(volume.id, build_outputs(volume, inputs=props, managed=managed_fields(values, SPEC_FIELDS)))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get(MANAGED_FIELDS) is not None
        volume = self.read_or_gone(id_, props, lambda: self.service().read(id_))
        if volume is None:
            return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
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
