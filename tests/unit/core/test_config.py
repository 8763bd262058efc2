"""config.py: every provider setting -- defaults, stack config over environment, validation."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_runpod_endpoint.config import CONFIG_KEYS, Api, Backend, ConfigError, ProviderSettings
from tests.unit.core.fakes import API_KEY


def settings(config: dict[str, Any] | None = None, env: dict[str, str] | None = None) -> ProviderSettings:
    return ProviderSettings.from_sources(config or {}, environ=env or {})


def test_the_keys_and_their_environment_variables() -> None:
    assert CONFIG_KEYS == {
        "runpod:apiKey": "RUNPOD_API_KEY",
        "runpod:backend": "RUNPOD_BACKEND",
        "runpod:api": "RUNPOD_API",
        "runpod:restUrl": "RUNPOD_REST_URL",
        "runpod:apiUrl": "RUNPOD_API_URL",
        "runpod:deleteTimeout": "RUNPOD_DELETE_TIMEOUT",
        "runpod:maxRetryWait": "RUNPOD_MAX_RETRY_WAIT",
        "runpod:requestTimeout": "RUNPOD_REQUEST_TIMEOUT",
    }


def test_defaults() -> None:
    got = settings()
    assert got.api_key == ""
    assert got.backend is Backend.RUNPOD
    assert got.api is Api.REST
    assert got.rest_url == "https://api.runpod.io/v2"
    assert got.graphql_url == "https://api.runpod.io/graphql"
    assert (got.delete_timeout, got.max_retry_wait, got.request_timeout) == (600.0, 300.0, 60.0)
    assert got.job_url_base == "https://api.runpod.ai/v2"
    assert got.retry_policy.max_wait == 300.0
    assert got.retry_policy.read_timeout == 60.0


VALUES = {
    "runpod:apiKey": ("rpa_ABC", "api_key", "rpa_ABC"),
    "runpod:backend": ("tensorone", "backend", Backend.TENSORONE),
    "runpod:api": ("graphql", "api", Api.GRAPHQL),
    "runpod:restUrl": ("http://localhost:8080/v2", "rest_url", "http://localhost:8080/v2"),
    "runpod:apiUrl": ("http://localhost:8080/graphql", "graphql_url", "http://localhost:8080/graphql"),
    "runpod:deleteTimeout": ("120", "delete_timeout", 120.0),
    "runpod:maxRetryWait": ("45.5", "max_retry_wait", 45.5),
    "runpod:requestTimeout": ("30", "request_timeout", 30.0),
}


@pytest.mark.parametrize("key", sorted(VALUES))
def test_every_setting_comes_from_stack_config(key: str) -> None:
    text, attribute, expected = VALUES[key]
    assert getattr(settings({key: text}), attribute) == expected


@pytest.mark.parametrize("key", sorted(VALUES))
def test_every_setting_falls_back_to_its_environment_variable(key: str) -> None:
    text, attribute, expected = VALUES[key]
    assert getattr(settings(env={CONFIG_KEYS[key]: text}), attribute) == expected


def test_stack_config_wins_over_the_environment() -> None:
    got = settings(
        {"runpod:apiKey": "rpa_STACK", "runpod:deleteTimeout": "10"},
        {"RUNPOD_API_KEY": "rpa_ENV", "RUNPOD_DELETE_TIMEOUT": "20"},
    )
    assert (got.api_key, got.delete_timeout) == ("rpa_STACK", 10.0)


def test_an_empty_stack_value_falls_back_to_the_environment() -> None:
    assert settings({"runpod:apiKey": ""}, {"RUNPOD_API_KEY": "rpa_ENV"}).api_key == "rpa_ENV"


def test_the_process_environment_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", "rpa_FROM_PROCESS")
    assert ProviderSettings.from_sources({}).api_key == "rpa_FROM_PROCESS"


def test_config_may_be_a_lookup_function() -> None:
    asked: list[str] = []

    def lookup(key: str) -> str | None:
        asked.append(key)
        return {"runpod:api": "graphql"}.get(key)

    assert ProviderSettings.from_sources(lookup, environ={}).api is Api.GRAPHQL
    assert set(asked) <= set(CONFIG_KEYS)


# -- enums --------------------------------------------------------------------------------------------
def test_enum_values_ignore_case_and_surrounding_space() -> None:
    got = settings({"runpod:backend": " RunPod ", "runpod:api": "GraphQL"})
    assert (got.backend, got.api) == (Backend.RUNPOD, Api.GRAPHQL)


@pytest.mark.parametrize(
    ("key", "allowed"),
    [("runpod:backend", "allowed values: runpod, tensorone"), ("runpod:api", "allowed values: rest, graphql")],
)
def test_an_unknown_enum_value_names_the_key_and_the_allowed_values(key: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings({key: "v1"})
    assert str(caught.value) == f"{key} is 'v1'; {allowed}"


def test_tensorone_defaults_to_its_graphql() -> None:
    got = settings({"runpod:backend": "tensorone"})
    assert got.api is Api.GRAPHQL
    assert got.graphql_url == "https://api.tensorone.ai/graphql"
    assert got.job_url_base == "https://api.tensorone.ai/v2"


def test_tensorone_with_rest_is_refused() -> None:
    with pytest.raises(ConfigError, match="tensorone backend has only the GraphQL API"):
        settings({"runpod:backend": "tensorone", "runpod:api": "rest"})


# -- timeouts -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["runpod:deleteTimeout", "runpod:maxRetryWait", "runpod:requestTimeout"])
@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-inf", "1e309", "0", "-5", "soon", " ", "True"])
def test_unusable_timeouts_are_refused_naming_the_key(key: str, bad: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings({key: bad})
    assert str(caught.value).startswith(f"{key} is {bad!r}; it must be a number of seconds above 0 and at most ")


@pytest.mark.parametrize(
    ("key", "most"), [("runpod:deleteTimeout", 86400), ("runpod:maxRetryWait", 86400), ("runpod:requestTimeout", 3600)]
)
def test_absurdly_long_timeouts_are_refused_and_the_limit_is_allowed(key: str, most: int) -> None:
    with pytest.raises(ConfigError, match=f"at most {most}"):
        settings({key: str(most + 1)})
    assert settings({key: f" {most} "}) is not None


def test_settings_feed_the_retry_policy() -> None:
    policy = settings({"runpod:maxRetryWait": "90", "runpod:requestTimeout": "15"}).retry_policy
    assert (policy.max_wait, policy.read_timeout) == (90.0, 15.0)


# -- URLs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "url", "kept"),
    [
        ("runpod:restUrl", "https://api.runpod.io/v2/", "https://api.runpod.io/v2"),
        ("runpod:restUrl", " http://127.0.0.1:9000/v2 ", "http://127.0.0.1:9000/v2"),
        ("runpod:restUrl", "https://proxy.internal/runpod/v2", "https://proxy.internal/runpod/v2"),
        ("runpod:apiUrl", "http://localhost:9000/graphql/", "http://localhost:9000/graphql"),
    ],
)
def test_usable_urls_are_kept_without_trailing_slash(key: str, url: str, kept: str) -> None:
    got = settings({key: url})
    assert (got.rest_url if key == "runpod:restUrl" else got.graphql_url) == kept


@pytest.mark.parametrize(
    ("key", "url", "words"),
    [
        ("runpod:restUrl", "http://localhost:9000", "path ending in /v2"),
        ("runpod:restUrl", "http://localhost:9000/v1", "path ending in /v2"),
        ("runpod:restUrl", "https://api.runpod.io/graphql", "path ending in /v2"),
        ("runpod:apiUrl", "http://localhost:9000", "path ending in /graphql"),
        ("runpod:apiUrl", "https://api.runpod.io/v2", "path ending in /graphql"),
        ("runpod:restUrl", "ftp://api.runpod.io/v2", "http:// or https://"),
        ("runpod:restUrl", "api.runpod.io/v2", "http:// or https://"),
        ("runpod:restUrl", "https:///v2", "http:// or https://"),
        ("runpod:restUrl", "https://api.runpod.io/v2#top", "credentials, a query or a fragment"),
    ],
)
def test_urls_that_cannot_be_the_api_are_refused_naming_the_key(key: str, url: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings({key: url})
    assert str(caught.value).startswith(f"{key} is ")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("runpod:apiUrl", f"https://api.runpod.io/graphql?api_key={API_KEY}"),
        ("runpod:restUrl", f"https://user:{API_KEY}@api.runpod.io/v2"),
        ("runpod:restUrl", f"http://localhost:9000?api_key={API_KEY}"),
        ("runpod:restUrl", f"ftp://api.runpod.io/v2?api_key={API_KEY}"),
    ],
)
@pytest.mark.parametrize("key_configured", [True, False])
def test_a_url_carrying_a_key_is_refused_without_echoing_the_key(key: str, url: str, key_configured: bool) -> None:
    """RunPod's older docs put the key in the URL (``?api_key=``): such a URL must not print it."""
    with pytest.raises(ConfigError) as caught:
        settings({key: url, "runpod:apiKey": API_KEY if key_configured else ""})
    assert API_KEY not in str(caught.value)
    assert str(caught.value).startswith(f"{key} is ")


@pytest.mark.parametrize("wrong", ["runpod:api", "runpod:backend", "runpod:deleteTimeout", "runpod:restUrl"])
def test_the_key_pasted_into_another_setting_is_never_echoed(wrong: str) -> None:
    """``runpod:api`` is one typo away from ``runpod:apiKey``."""
    with pytest.raises(ConfigError) as caught:
        settings({"runpod:apiKey": API_KEY, wrong: API_KEY})
    assert API_KEY not in str(caught.value)
    assert str(caught.value).startswith(f"{wrong} is ")


# -- the key ------------------------------------------------------------------------------------------
def test_surrounding_whitespace_is_trimmed_from_the_key() -> None:
    assert settings({"runpod:apiKey": f"  {API_KEY}\n"}).api_key == API_KEY


def test_whitespace_inside_the_key_is_refused_without_echoing_it() -> None:
    broken = f"{API_KEY[:10]} {API_KEY[10:]}"
    with pytest.raises(ConfigError, match="runpod:apiKey contains whitespace") as caught:
        settings({"runpod:apiKey": broken})
    assert API_KEY[:10] not in str(caught.value)
    assert API_KEY[10:] not in str(caught.value)


def test_repr_never_shows_the_key() -> None:
    got = settings({"runpod:apiKey": API_KEY})
    assert API_KEY not in repr(got)
    assert API_KEY not in str(got)
    assert "rest_url='https://api.runpod.io/v2'" in repr(got)


def test_session_key_tells_keys_and_http_settings_apart() -> None:
    one = settings({"runpod:apiKey": "rpa_ONE"})
    assert one.session_key == settings({"runpod:apiKey": "rpa_ONE", "runpod:deleteTimeout": "5"}).session_key
    assert one.session_key != settings({"runpod:apiKey": "rpa_TWO"}).session_key
    assert one.session_key != settings({"runpod:apiKey": "rpa_ONE", "runpod:maxRetryWait": "5"}).session_key
    assert one.session_key != settings({"runpod:apiKey": "rpa_ONE", "runpod:requestTimeout": "5"}).session_key
