"""The ``ServerlessEndpoint`` provider: check, diff, create, read, update, delete (configure is the base's).

check and diff are local (no API call); create, read and update are one request each on REST v2
(plus the rollout polls when ``wait_for_rollout`` is on); delete is scale to zero, delete, verify.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from ..api.errors import NotFound, RunPodError
from ..api.lifecycle import Timing
from ..api.session import Session
from ..config import Api, Backend, ProviderSettings
from ..dynamic.props import clean, is_unknown, managed_fields, split_inputs
from ..dynamic.provider import BaseProvider, ProviderError
from ..validation import FieldProblem
from . import new_provider
from .backend import Change, EndpointBackend, Observed
from .legacy import upgrade_props
from .names import ADOPT, AUTO_NAME, CONTROL_FIELDS, TEMPLATE_REVISION, WAIT, WAIT_TIMEOUT
from .properties import (
    DEFAULT_ROLLOUT_TIMEOUT,
    UNCLEARABLE,
    build_outputs,
    check_controls,
    diff_fields,
    env_keys,
    refreshed_inputs,
    replaced_fields,
    spec_from_props,
)
from .service import EndpointService
from .spec import SPEC_FIELDS, EndpointSpec, check_spec

__all__ = ["ServerlessEndpointProvider", "make_backend"]

_STABLES = ["created_at", "backend"]
_CARRIED = ("bound_template", "created_at", "release_version", "rollout")


def make_backend(settings: ProviderSettings, session: Any) -> EndpointBackend:
    """The backend the settings ask for; GraphQL's module loads only when it is used."""
    if settings.api is Api.REST:
        from .backend_rest import RestBackend

        # GraphQL only to delete endpoints bound to a template, the way they were made (RunPod only).
        graphql = settings.graphql_url if settings.backend is Backend.RUNPOD else None
        return RestBackend(session, settings.rest_url, graphql_url=graphql)
    from .backend_graphql import GraphQLBackend

    return GraphQLBackend(session, settings.graphql_url, flavor=settings.backend.value)


def backend_problems(settings: ProviderSettings, spec: EndpointSpec) -> list[FieldProblem]:
    """What the configured backend cannot express, judged in ``check`` (no API call)."""
    if settings.api is Api.REST:
        return []
    from .backend_graphql import graphql_problems

    return graphql_problems(spec, flavor=settings.backend.value)


def backend_name(settings: ProviderSettings) -> str:
    return (
        "rest"
        if settings.api is Api.REST
        else settings.backend.value
        if settings.backend.value != "runpod"
        else "graphql"
    )


class ServerlessEndpointProvider(BaseProvider):
    """Manages RunPod (and Tensor One) Serverless endpoints."""

    noun = "endpoint"
    factory = staticmethod(new_provider)

    def service(self) -> EndpointService:
        def make(settings: ProviderSettings, session: Session, timing: Timing) -> EndpointService:
            backend = make_backend(settings, session)
            return EndpointService(backend, timing=timing, sleep=self.sleep, clock=self.clock)

        return self.built(make)

    def speaks_graphql(self, settings: ProviderSettings) -> bool:
        return settings.api is Api.GRAPHQL

    # -- check / diff: local, no API call ----------------------------------------------------------------
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        adopting = clean(news).get(ADOPT) is not None
        if adopting:
            # An adopted endpoint keeps what the program does not declare: no generated name, no defaults.
            news = {key: value for key, value in news.items() if key != AUTO_NAME}
        props, controls = split_inputs(news, olds, CONTROL_FIELDS)
        declared = {name for name in props if name in SPEC_FIELDS}
        unknown = {name for name, value in props.items() if is_unknown(value)}
        spec, problems = check_spec(props, unknown=unknown)
        if spec is not None:
            problems += backend_problems(self.settings, spec)
        problems += check_controls(controls)
        if adopting and "name" not in declared:
            problems = [p for p in problems if p.field != "name"]
            problems.append(
                FieldProblem(
                    "name", f"set name when using {ADOPT}: the endpoint's current name, or the one it should get"
                )
            )
        if problems or spec is None:
            return CheckResult({**props, **controls}, [CheckFailure(p.field, p.message) for p in problems])
        checked = spec.model_dump(exclude_none=True)
        if adopting:
            checked = {name: value for name, value in checked.items() if name in declared}
        inputs = {**checked, **{name: props[name] for name in unknown}, **controls}
        return CheckResult(inputs, [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = diff_fields(olds, news)
        return DiffResult(changes=bool(changed), replaces=replaced_fields(olds, news, changed), stables=_STABLES)

    # -- create / read / update / delete ----------------------------------------------------------------
    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = spec_from_props(props)
        values = clean(props)
        wait = self._wait_timeout(values)
        adopt = values.get(ADOPT)
        doing = f"create endpoint {spec.name!r}" if not adopt else f"adopt endpoint {adopt}"

        def run() -> tuple[Observed, Any]:
            service = self.service()
            if adopt:
                current = service.read(adopt)
                if current is None:
                    raise ProviderError(
                        f"{ADOPT} {adopt!r}: no endpoint with that id is visible to this API key "
                        f"({backend_name(self.settings)} backend); check the id, or remove {ADOPT} to create one"
                    )
                change = Change(
                    old=current.fields,
                    new=spec,
                    env_keys=frozenset(env_keys(props)),
                    reapply_template=spec.template_id is not None,
                    managed=frozenset(managed_fields(values, SPEC_FIELDS)),  # what it declares, nothing else
                )
                observed, state = service.update(adopt, change, wait_timeout=wait)
                return observed or current, state
            unique = AUTO_NAME in values
            if wait is not None:
                return service.create_and_wait(spec, unique_name=unique, timeout=wait)
            return service.create(spec, unique_name=unique), None

        observed, state = self.guarded(doing, run)
        managed = managed_fields(values, SPEC_FIELDS)
        return CreateResult(
            observed.id, self._outputs(observed, props, managed=managed, env=env_keys(props), rollout=state)
        )

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        refreshing = props.get("managed_fields") is not None
        observed = self.guarded(f"read endpoint {id_}", lambda: self.service().read(id_))
        if observed is None:
            if refreshing:
                return ReadResult(None, {})  # deleted outside Pulumi: refresh drops it from the state
            raise ProviderError(f"endpoint {id_!r} does not exist (or is not visible to this API key)")
        managed = managed_fields(upgrade_props(clean(props)), SPEC_FIELDS) if refreshing else []
        outputs = self._outputs(observed, props, managed=managed, env=env_keys(props) if refreshing else [])
        return ReadResult(id_, outputs, refreshed_inputs(outputs) if refreshing else None)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = spec_from_props(news)
        old = upgrade_props(clean(olds))
        values = clean(news)
        previously = set(managed_fields(old, SPEC_FIELDS))
        now = set(managed_fields(values, SPEC_FIELDS))
        template_changed = spec.template_id is not None and (
            spec.template_id != old.get("template_id") or values.get(TEMPLATE_REVISION) != old.get(TEMPLATE_REVISION)
        )
        change = Change(
            old=old,
            new=spec,
            cleared=frozenset(previously - now - set(UNCLEARABLE)),
            env_keys=frozenset(env_keys(news)),
            old_env_keys=frozenset(env_keys(olds)),
            reapply_template=template_changed,
            managed=frozenset(now),
        )
        wait = self._wait_timeout(values)
        try:
            observed, state = self.service().update(id_, change, wait_timeout=wait)
        except NotFound as gone:
            if self.guarded(f"read endpoint {id_}", lambda: self.service().read(id_)) is not None:
                # The endpoint is there: the 404 is about something the update names (a template id).
                raise ProviderError(
                    f"update endpoint {id_}: the API refused it: {gone.message}. The endpoint exists; check the "
                    "ids the update names (template_id, network_volume_ids, registry_auth_id)",
                    gone,
                ) from None
            raise ProviderError(
                f"update endpoint {id_}: it no longer exists ({gone.message}). Run `pulumi refresh` to drop it "
                "from the state, then `pulumi up` to create it again",
                gone,
            ) from None
        except RunPodError as error:
            self.fail(error, f"update endpoint {id_}")
        if observed is None:
            # Nothing needed sending: the endpoint already is what the program asks.
            observed = Observed(id_, {**old, **spec.model_dump(exclude_none=True)}, created_at=old.get("created_at"))
        # What only the state knows (how it was made, its last rollout) carries over from the old outputs.
        carried = {name: old[name] for name in _CARRIED if old.get(name) is not None}
        outputs = self._outputs(observed, {**carried, **news}, managed=sorted(now), env=env_keys(news), rollout=state)
        return UpdateResult(outputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        last_known = upgrade_props(clean(props))
        self.guarded(f"delete endpoint {id_}", lambda: self.service().delete(id_, last_known))

    # -- helpers ----------------------------------------------------------------------------------------
    @staticmethod
    def _wait_timeout(values: dict[str, Any]) -> float | None:
        if values.get(WAIT) is not True:
            return None
        return float(values.get(WAIT_TIMEOUT) or DEFAULT_ROLLOUT_TIMEOUT)

    def _outputs(
        self,
        observed: Observed,
        props: dict[str, Any],
        *,
        managed: list[str],
        env: list[str],
        rollout: Any = None,
    ) -> dict[str, Any]:
        settings = self.settings
        return build_outputs(
            observed,
            inputs=props,
            managed=managed,
            managed_env=env,
            backend=backend_name(settings),
            job_url_base=settings.job_url_base,
            rollout=rollout,
        )
