"""Provider settings: stack config first, then environment; bad values named with the fix."""

from __future__ import annotations

import pytest

from pulumi_runpod_endpoint.api.enums import Backend
from pulumi_runpod_endpoint.config import ConfigError, ProviderSettings


def test_defaults_point_at_runpod() -> None:
    settings = ProviderSettings.from_sources({"runpod:apiKey": "k"}, environ={})
    assert settings.backend is Backend.RUNPOD
    assert settings.graphql_url == "https://api.runpod.io/graphql"
    assert settings.rest_url == "https://rest.runpod.io/v1"
    assert settings.run_url_base == "https://api.runpod.ai/v2"


def test_environment_is_the_fallback() -> None:
    settings = ProviderSettings.from_sources(
        {},
        environ={"RUNPOD_API_KEY": "k", "RUNPOD_API_URL": "http://127.0.0.1:1/graphql", "RUNPOD_BACKEND": "tensorone"},
    )
    assert (settings.api_key, settings.graphql_url, settings.backend) == (
        "k",
        "http://127.0.0.1:1/graphql",
        Backend.TENSORONE,
    )


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        pytest.param({"runpod:backend": "aws"}, "allowed values: runpod, tensorone", id="backend"),
        pytest.param({"runpod:deleteTimeout": "soon"}, "runpod:deleteTimeout", id="timeout-text"),
        pytest.param({"runpod:deleteTimeout": "-1"}, "positive number", id="timeout-negative"),
        pytest.param({"runpod:apiUrl": "api.runpod.io"}, "runpod:apiUrl", id="url"),
    ],
)
def test_bad_settings_are_named(config: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        ProviderSettings.from_sources(config, environ={})


def test_repr_never_shows_the_key() -> None:
    assert "sekrit" not in repr(ProviderSettings.from_sources({"runpod:apiKey": "sekrit"}, environ={}))
