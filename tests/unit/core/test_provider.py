"""dynamic/provider.py: pickling by reference, configure by known keys, one shared session, advice."""

from __future__ import annotations

import base64
import pickle
from typing import Any

import dill  # type: ignore[import-untyped]
import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_runpod_endpoint.api import (
    AmbiguousCreate,
    DeleteTimedOut,
    Forbidden,
    LeftBehind,
    NotFound,
    RateLimited,
    RolloutTimedOut,
    RunPodError,
    ServerError,
    Session,
    TransportError,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from pulumi_runpod_endpoint.config import CONFIG_KEYS, ConfigError, ProviderSettings
from pulumi_runpod_endpoint.dynamic.provider import BaseProvider, ProviderError, shared_session
from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider
from tests.unit.core.fakes import API_KEY, Script, ok


class WidgetProvider(BaseProvider):
    noun = "widget"


class GraphQLWidgetProvider(BaseProvider):
    """A provider whose API is GraphQL under ``runpod:api graphql`` (as the endpoint's is)."""

    noun = "widget"

    def speaks_graphql(self, settings: Any) -> bool:
        return bool(settings.api.value == "graphql")


@pytest.fixture(autouse=True)
def no_runpod_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The provider falls back to the process environment: make it empty of RunPod settings."""
    for variable in CONFIG_KEYS.values():
        monkeypatch.delenv(variable, raising=False)


def configure(provider: BaseProvider, values: dict[str, Any], project: str = "proj") -> BaseProvider:
    provider.configure(ConfigureRequest(Config(raw_config=values, project_name=project)))
    return provider


class SpyConfig:
    """A config that offers only the public ``get`` and records what it was asked."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.asked: list[str] = []

    def get(self, key: str) -> Any:
        self.asked.append(key)
        return self.values.get(key)


# -- pickling by reference --------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [WidgetProvider, ServerlessEndpointProvider])
def test_the_serialized_provider_is_its_factorys_name_and_nothing_else(cls: type[BaseProvider]) -> None:
    provider = configure(cls(), {"runpod:apiKey": API_KEY, "runpod:restUrl": "http://127.0.0.1:1/v2"})
    assert provider.settings.api_key == API_KEY  # configured, settings built: still nothing of it is pickled
    blob = base64.b64decode(serialize_provider(provider))  # exactly what the SDK writes into the state
    assert len(blob) < 200
    factory = cls.factory or cls  # a room's provider names its package's new_provider (dynamic/reference.py)
    assert factory.__qualname__.encode() in blob
    assert factory.__module__.encode() in blob
    assert API_KEY.encode() not in blob
    assert b"127.0.0.1" not in blob


def test_plain_pickle_and_dill_agree_and_load_a_fresh_provider() -> None:
    provider = configure(
        WidgetProvider(session_factory=lambda settings: Session(settings.api_key)), {"runpod:apiKey": API_KEY}
    )
    for dumps, loads in ((pickle.dumps, pickle.loads), (dill.dumps, dill.loads)):
        blob = dumps(provider)
        assert API_KEY.encode() not in blob
        loaded = loads(blob)
        assert type(loaded) is WidgetProvider
        assert loaded.settings.api_key == ""  # a fresh provider: configure runs again in the host


# -- configure --------------------------------------------------------------------------------------
def test_configure_reads_only_the_known_keys_through_the_public_get() -> None:
    spy = SpyConfig({"runpod:apiKey": API_KEY, "runpod:api": "graphql"})
    provider = WidgetProvider()
    provider.configure(ConfigureRequest(spy))  # type: ignore[arg-type]
    assert spy.asked == list(CONFIG_KEYS)
    assert provider.settings.api_key == API_KEY


def test_configure_with_the_sdks_config_object() -> None:
    provider = configure(
        WidgetProvider(), {"runpod:apiKey": API_KEY, "runpod:deleteTimeout": "30", "proj:unrelated": "x"}
    )
    assert provider.settings.delete_timeout == 30.0


def test_stack_config_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", "rpa_FROM_ENV")
    monkeypatch.setenv("RUNPOD_DELETE_TIMEOUT", "45")
    provider = configure(WidgetProvider(), {"runpod:apiKey": API_KEY})
    assert provider.settings.api_key == API_KEY
    assert provider.settings.delete_timeout == 45.0


def test_without_configure_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", "rpa_FROM_ENV")
    assert WidgetProvider().settings.api_key == "rpa_FROM_ENV"


def test_configure_again_replaces_the_settings() -> None:
    provider = configure(WidgetProvider(), {"runpod:apiKey": "rpa_ONE"})
    assert provider.settings.api_key == "rpa_ONE"
    configure(provider, {"runpod:apiKey": "rpa_TWO"})
    assert provider.settings.api_key == "rpa_TWO"


def test_bad_config_is_a_provider_error_with_the_config_message() -> None:
    provider = configure(WidgetProvider(), {"runpod:apiKey": API_KEY, "runpod:deleteTimeout": "nan"})
    with pytest.raises(ProviderError, match="runpod:deleteTimeout is 'nan'") as caught:
        _ = provider.settings
    assert isinstance(caught.value.cause, ConfigError)
    assert API_KEY not in str(caught.value)


# -- the session ------------------------------------------------------------------------------------
def test_no_key_is_a_provider_error_saying_how_to_set_one() -> None:
    with pytest.raises(ProviderError) as caught:
        configure(WidgetProvider(), {}).session()
    assert "runpod:apiKey" in str(caught.value)
    assert "RUNPOD_API_KEY" in str(caught.value)


def test_a_session_factory_gets_the_settings() -> None:
    seen: list[ProviderSettings] = []
    made = Session(API_KEY, transport=Script(ok({})).transport())

    def factory(settings: ProviderSettings) -> Session:
        seen.append(settings)
        return made

    try:
        provider = configure(WidgetProvider(session_factory=factory), {"runpod:apiKey": API_KEY})
        assert provider.session() is made
        assert [s.api_key for s in seen] == [API_KEY]
    finally:
        made.close()


def test_providers_with_the_same_settings_share_one_session() -> None:
    key = "rpa_SHARED_SESSION_TEST_1"
    one = configure(WidgetProvider(), {"runpod:apiKey": key})
    two = configure(ServerlessEndpointProvider(), {"runpod:apiKey": key, "runpod:deleteTimeout": "5"})
    assert one.session() is two.session()
    assert one.session() is shared_session(one.settings)


def test_other_keys_or_http_settings_get_their_own_session() -> None:
    base = configure(WidgetProvider(), {"runpod:apiKey": "rpa_SHARED_SESSION_TEST_2"}).session()
    other_key = configure(WidgetProvider(), {"runpod:apiKey": "rpa_SHARED_SESSION_TEST_3"}).session()
    other_wait = configure(
        WidgetProvider(), {"runpod:apiKey": "rpa_SHARED_SESSION_TEST_2", "runpod:maxRetryWait": "7"}
    ).session()
    assert len({id(base), id(other_key), id(other_wait)}) == 3
    assert other_wait.retry.max_wait == 7.0


# -- errors and advice ------------------------------------------------------------------------------
REST = {"runpod:apiKey": API_KEY, "runpod:restUrl": "http://rest.test/v2"}
GRAPHQL = {"runpod:apiKey": API_KEY, "runpod:api": "graphql", "runpod:apiUrl": "http://gql.test/graphql"}
# REST v2 by default, but a GraphQL URL configured (the endpoint deletes bound endpoints through it)
REST_AND_GRAPHQL = {**REST, "runpod:apiUrl": "http://gql.test/graphql"}

ADVICE: list[tuple[RunPodError, dict[str, Any], list[str]]] = [
    (Unauthorized("401"), REST, ["pulumi config set --secret runpod:apiKey", "RUNPOD_API_KEY"]),
    (Forbidden("403"), REST, ["lacks access"]),
    (UnexpectedAnswer("html"), REST, ["http://rest.test/v2", "runpod:restUrl"]),
    (UnexpectedAnswer("html"), GRAPHQL, ["http://gql.test/graphql", "runpod:apiUrl"]),
    (UnexpectedAnswer("html", url="http://gql.test/graphql"), REST_AND_GRAPHQL, ["runpod:apiUrl"]),
    (RateLimited("429", retry_after=1800), REST, ["runpod:maxRetryWait"]),
    (TransportError("refused"), REST, ["Could not reach http://rest.test/v2"]),
    (TransportError("refused"), GRAPHQL, ["Could not reach http://gql.test/graphql"]),
    (DeleteTimedOut("late"), REST, ["pulumi destroy", "runpod:deleteTimeout"]),
    (AmbiguousCreate("two", candidates=["a", "b"]), REST, ["adopt_existing_id", "pulumi up"]),
    (RolloutTimedOut("slow", progress="1/2"), REST, ["pulumi up", "rollout_timeout_seconds"]),
    (LeftBehind("undo failed", resource_id="ep1"), REST, ["adopt_existing_id='ep1'", "pulumi up"]),
    (NotFound("gone"), REST, ["pulumi refresh", "missing widget"]),
]


@pytest.mark.parametrize(
    ("error", "config", "words"),
    ADVICE,
    ids=[f"{type(e).__name__}-{c.get('runpod:api', 'rest')}" for e, c, _ in ADVICE],
)
def test_each_error_type_gets_its_advice(error: RunPodError, config: dict[str, Any], words: list[str]) -> None:
    provider = configure(GraphQLWidgetProvider(), config)
    with pytest.raises(ProviderError) as caught:
        provider.fail(error, "create widget w1")
    message = str(caught.value)
    assert message.startswith(f"create widget w1: {error.message}. ")
    for word in words:
        assert word in message
    assert caught.value.cause is error
    assert API_KEY not in message


@pytest.mark.parametrize("error", [ValidationFailed("422: bad"), ServerError("500")])
def test_the_apis_own_refusals_need_no_advice(error: RunPodError) -> None:
    provider = configure(WidgetProvider(), REST)
    with pytest.raises(ProviderError) as caught:
        provider.fail(error, "update widget w1")
    assert str(caught.value) == f"update widget w1: {error.message}"


def test_guarded_passes_results_and_converts_only_api_errors() -> None:
    provider = configure(WidgetProvider(), REST)
    assert provider.guarded("read", lambda: 42) == 42

    def refused() -> None:
        raise ValidationFailed("no")

    def broken() -> None:
        raise KeyError("bug")

    with pytest.raises(ProviderError, match=r"^read: no$"):
        provider.guarded("read", refused)
    with pytest.raises(KeyError):
        provider.guarded("read", broken)


def test_numbers_in_stack_config_are_read_as_numbers() -> None:
    """YAML stack config may hold ``runpod:deleteTimeout: 30`` as a number, not a string."""
    assert configure(WidgetProvider(), {"runpod:deleteTimeout": 30}).settings.delete_timeout == 30.0
