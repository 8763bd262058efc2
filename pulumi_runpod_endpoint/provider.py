"""The dynamic resource provider: check, diff, create, read, update, delete, configure.

It is pickled *by reference* (``__reduce__``): the serialized ``__provider`` in state is the
class's import path and nothing else -- no key, no client, no settings -- so it stays tiny and
an upgraded package applies to existing resources. Settings and the HTTP client are built in
the dynamic-provider host, from ``configure`` (or the environment), on first use.
"""

from __future__ import annotations

import threading
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .api.errors import NotFound, ValidationFailed
from .api.models import Endpoint, EndpointSpec
from .api.service import EndpointService
from .config import ProviderSettings
from .properties import (
    ADOPT_FIELD,
    REPLACE_FIELDS,
    STABLE_OUTPUTS,
    build_outputs,
    changed_fields,
    check_inputs,
    clean,
    managed_fields,
    refreshed_inputs,
    spec_from_props,
)

__all__ = ["ServerlessEndpointProvider"]


class ServerlessEndpointProvider(ResourceProvider):
    """Manages one kind of resource: a RunPod / Tensor One Serverless endpoint."""

    # The serialized provider holds nothing secret (see __reduce__), so it need not be a secret.
    serialize_as_secret_always = False

    def __init__(self) -> None:
        super().__init__()
        self._config: dict[str, Any] | None = None
        self._settings: ProviderSettings | None = None
        self._service: EndpointService | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[type[ServerlessEndpointProvider], tuple[()]]:
        # Pickle the class reference only: whatever configure stored stays in this process.
        return (ServerlessEndpointProvider, ())

    # -- settings and client ------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        raw = getattr(req.config, "_props", None)
        self._config = dict(raw) if isinstance(raw, dict) else {}
        with self._lock:
            self._settings = None
            if self._service is not None:
                self._service.close()
                self._service = None

    @property
    def settings(self) -> ProviderSettings:
        if self._settings is None:
            self._settings = ProviderSettings.from_sources(self._config)
        return self._settings

    def service(self) -> EndpointService:
        with self._lock:
            if self._service is None:
                settings = self.settings
                self._service = EndpointService(
                    settings.api_key,
                    backend=settings.backend,
                    graphql_url=settings.graphql_url,
                    rest_url=settings.rest_url,
                    delete_timeout=settings.delete_timeout,
                )
            return self._service

    # -- check / diff: local, no API call -------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, problems = check_inputs(news, self.settings.backend)
        return CheckResult(inputs, [CheckFailure(p.field, p.message) for p in problems])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = changed_fields(olds, news)
        replaces = [name for name in changed if name in REPLACE_FIELDS]
        return DiffResult(changes=bool(changed), replaces=replaces, stables=list(STABLE_OUTPUTS))

    # -- create / read / update / delete --------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        adopt = clean(props).get(ADOPT_FIELD)
        service = self.service()
        if adopt:
            existing = service.read(adopt)
            if existing is None:
                raise NotFound(
                    f"{ADOPT_FIELD} {adopt!r}: no endpoint with that id is visible to this API key "
                    f"({self.settings.backend.value} backend); check the id, or remove {ADOPT_FIELD} to create one"
                )
            endpoint = service.update(adopt, spec)
        else:
            endpoint = service.create(spec)
        return CreateResult(endpoint.id, self._outputs(endpoint, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get("managed_fields") is not None
        spec = _spec_or_none(props) if refreshing else None
        observed = self.service().read(id_, spec, complete=not refreshing)
        if observed is None:
            if refreshing:
                return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from state
            raise NotFound(f"endpoint {id_!r} does not exist (or is not visible to this API key)")
        managed = managed_fields(props) if refreshing else []
        outputs = self._outputs(observed, props, managed=managed)
        return ReadResult(id_, outputs, refreshed_inputs(outputs) if refreshing else None)

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = spec_from_props(news)
        try:
            endpoint = self.service().update(id_, spec)
        except NotFound as missing:
            raise NotFound(
                f"endpoint {id_} no longer exists, so it cannot be updated; run `pulumi refresh` to drop it "
                f"from the state, then `pulumi up` to create it again ({missing.message})"
            ) from None
        return UpdateResult(self._outputs(endpoint, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.service().delete(id_, _spec_or_none(props))

    # -- helpers ------------------------------------------------------------------------------
    def _outputs(
        self, endpoint: Endpoint, props: dict[str, Any], *, managed: list[str] | None = None
    ) -> dict[str, Any]:
        settings = self.settings
        return build_outputs(
            endpoint,
            managed=managed if managed is not None else managed_fields(props),
            fallback=clean(props),
            run_url_base=settings.run_url_base,
            backend=settings.backend,
        )


def _spec_or_none(props: dict[str, Any]) -> EndpointSpec | None:
    try:
        return spec_from_props(props)
    except (ValueError, ValidationFailed):
        return None
