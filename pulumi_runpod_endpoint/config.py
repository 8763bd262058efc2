"""Provider settings: where the API is, which backend, the key, and how long delete may wait.

Read in the dynamic-provider host from the stack config that ``configure`` receives (keys as
``runpod:apiKey``, secrets already decrypted), falling back to the environment. The settings
live only in the host process: they are never stored on the pickled provider.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .api.enums import Backend
from .api.graphql import DEFAULT_GRAPHQL_URL, DEFAULT_TENSORONE_URL
from .api.rest import DEFAULT_REST_URL

__all__ = ["ConfigError", "ProviderSettings"]

# stack config key -> environment variable
_SOURCES: dict[str, tuple[str, ...]] = {
    "runpod:apiKey": ("RUNPOD_API_KEY",),
    "runpod:backend": ("RUNPOD_BACKEND",),
    "runpod:apiUrl": ("RUNPOD_API_URL",),
    "runpod:restUrl": ("RUNPOD_REST_URL",),
    "runpod:deleteTimeout": ("RUNPOD_DELETE_TIMEOUT",),
}
_RUN_URL_BASES = {
    Backend.RUNPOD: "https://api.runpod.ai/v2",
    Backend.TENSORONE: "https://api.tensorone.ai/v2",
}


class ConfigError(ValueError):
    """A provider setting has a value we cannot use; the message names the key and the fix."""


@dataclass(frozen=True)
class ProviderSettings:
    api_key: str = field(repr=False)
    backend: Backend = Backend.RUNPOD
    graphql_url: str = DEFAULT_GRAPHQL_URL
    rest_url: str = DEFAULT_REST_URL
    delete_timeout: float = 600.0

    def __repr__(self) -> str:  # never print the key
        return (
            f"ProviderSettings(backend={self.backend.value!r}, graphql_url={self.graphql_url!r}, "
            f"rest_url={self.rest_url!r}, delete_timeout={self.delete_timeout})"
        )

    @property
    def run_url_base(self) -> str:
        """Where the endpoint's jobs are sent (serverless /run, /runsync, /health)."""
        return _RUN_URL_BASES[self.backend]

    @classmethod
    def from_sources(
        cls, config: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        config = config or {}
        environ = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            raw = config.get(key)
            if raw is None:
                for variable in _SOURCES[key]:
                    if environ.get(variable):
                        return environ[variable]
                return None
            return str(raw)

        backend_name = (value("runpod:backend") or Backend.RUNPOD.value).lower()
        try:
            backend = Backend(backend_name)
        except ValueError:
            allowed = ", ".join(b.value for b in Backend)
            raise ConfigError(
                f"runpod:backend is {backend_name!r}; allowed values: {allowed} "
                "(pulumi config set runpod:backend tensorone)"
            ) from None
        default_graphql = DEFAULT_TENSORONE_URL if backend is Backend.TENSORONE else DEFAULT_GRAPHQL_URL
        timeout_text = value("runpod:deleteTimeout") or "600"
        try:
            delete_timeout = float(timeout_text)
        except ValueError:
            delete_timeout = -1.0
        if delete_timeout <= 0:
            raise ConfigError(f"runpod:deleteTimeout is {timeout_text!r}; it must be a positive number of seconds")
        for key in ("runpod:apiUrl", "runpod:restUrl"):
            url = value(key)
            if url is not None and not url.startswith(("http://", "https://")):
                raise ConfigError(f"{key} is {url!r}; it must be an http:// or https:// URL")
        return cls(
            api_key=value("runpod:apiKey") or "",
            backend=backend,
            graphql_url=value("runpod:apiUrl") or default_graphql,
            rest_url=value("runpod:restUrl") or DEFAULT_REST_URL,
            delete_timeout=delete_timeout,
        )
