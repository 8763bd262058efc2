"""Provider settings: the key, which backend and API, where the API is, and how long to wait.

Read in the dynamic-provider host from the stack config that ``configure`` receives (secrets already
decrypted), falling back to the environment; stack config wins. Every value is validated here, once,
with a message naming the key and the fix -- a ``nan`` timeout or a URL missing its ``/v2`` must fail
at the first operation, not hang a destroy or make a refresh drop live endpoints. The settings live
only in the host process: nothing here is ever stored on the pickled provider.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from .api.graphql import DEFAULT_GRAPHQL_URL, DEFAULT_TENSORONE_URL
from .api.rest import DEFAULT_REST_URL
from .api.session import RetryPolicy

__all__ = ["CONFIG_KEYS", "Api", "Backend", "ConfigError", "ProviderSettings"]


class Backend(str, Enum):
    """Which cloud: RunPod, or Tensor One (RunPod's older GraphQL surface, nothing else)."""

    RUNPOD = "runpod"
    TENSORONE = "tensorone"


class Api(str, Enum):
    """Which RunPod API: REST v2 (the default, the only one with a future) or GraphQL (until early 2027)."""

    REST = "rest"
    GRAPHQL = "graphql"


# stack config key -> environment variable
CONFIG_KEYS: dict[str, str] = {
    "runpod:apiKey": "RUNPOD_API_KEY",
    "runpod:backend": "RUNPOD_BACKEND",
    "runpod:api": "RUNPOD_API",
    "runpod:restUrl": "RUNPOD_REST_URL",
    "runpod:apiUrl": "RUNPOD_API_URL",
    "runpod:deleteTimeout": "RUNPOD_DELETE_TIMEOUT",
    "runpod:maxRetryWait": "RUNPOD_MAX_RETRY_WAIT",
    "runpod:requestTimeout": "RUNPOD_REQUEST_TIMEOUT",
}
_JOB_URL_BASES = {
    Backend.RUNPOD: "https://api.runpod.ai/v2",
    Backend.TENSORONE: "https://api.tensorone.ai/v2",
}
_DAY = 86400.0


class ConfigError(ValueError):
    """A provider setting has a value we cannot use; the message names the key and the fix."""


@dataclass(frozen=True)
class ProviderSettings:
    api_key: str = field(repr=False)
    backend: Backend = Backend.RUNPOD
    api: Api = Api.REST
    rest_url: str = DEFAULT_REST_URL
    graphql_url: str = DEFAULT_GRAPHQL_URL
    delete_timeout: float = 600.0
    max_retry_wait: float = 300.0
    request_timeout: float = 60.0

    def __repr__(self) -> str:  # never print the key
        return (
            f"ProviderSettings(backend={self.backend.value!r}, api={self.api.value!r}, rest_url={self.rest_url!r}, "
            f"graphql_url={self.graphql_url!r}, delete_timeout={self.delete_timeout}, "
            f"max_retry_wait={self.max_retry_wait}, request_timeout={self.request_timeout})"
        )

    @property
    def job_url_base(self) -> str:
        """Where an endpoint's jobs go (``.../<id>/run``) when the API does not say."""
        return _JOB_URL_BASES[self.backend]

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(max_wait=self.max_retry_wait, read_timeout=self.request_timeout)

    @property
    def session_key(self) -> tuple[str, ...]:
        """What makes two settings share one HTTP session (the key is part of it, never printed)."""
        return (self.api_key, str(self.max_retry_wait), str(self.request_timeout))

    @classmethod
    def from_sources(
        cls, config: Callable[[str], Any] | Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> ProviderSettings:
        """Settings from stack config (a lookup by ``runpod:key``) and the environment, validated."""
        mapping: Mapping[str, Any] = config if isinstance(config, Mapping) else {}
        lookup: Callable[[str], Any] = config if callable(config) else mapping.get
        env = os.environ if environ is None else environ

        def value(key: str) -> str | None:
            raw = lookup(key)
            if raw is None or raw == "":
                raw = env.get(CONFIG_KEYS[key]) or None
            return None if raw is None else str(raw)

        key = (value("runpod:apiKey") or "").strip()
        if any(ch.isspace() for ch in key):
            raise ConfigError("runpod:apiKey contains whitespace inside it; paste the key again, without spaces")
        if not (key.isascii() and key.isprintable()):
            # Never sent: the HTTP layer refuses such a header by quoting it, key included, into its error.
            raise ConfigError(
                "runpod:apiKey contains a character no API key has (a control character, or one that is not ASCII, "
                "such as a zero-width space picked up in a copy-paste); paste the key again"
            )
        try:
            return cls._validated(key, value)
        except ConfigError as bad:
            if key and key in str(bad):  # the key pasted into another setting: never print it
                raise ConfigError(str(bad).replace(key, "[REDACTED]")) from None
            raise

    @classmethod
    def _validated(cls, key: str, value: Callable[[str], str | None]) -> ProviderSettings:
        backend = _choice(value("runpod:backend"), Backend, "runpod:backend", Backend.RUNPOD)
        api_default = Api.GRAPHQL if backend is Backend.TENSORONE else Api.REST
        api = _choice(value("runpod:api"), Api, "runpod:api", api_default)
        if backend is Backend.TENSORONE and api is not Api.GRAPHQL:
            raise ConfigError(
                "runpod:api is 'rest' but the tensorone backend has only the GraphQL API; "
                "remove runpod:api (or set it to graphql)"
            )
        default_graphql = DEFAULT_TENSORONE_URL if backend is Backend.TENSORONE else DEFAULT_GRAPHQL_URL
        return cls(
            api_key=key,
            backend=backend,
            api=api,
            rest_url=_url(value("runpod:restUrl"), "runpod:restUrl", "/v2", DEFAULT_REST_URL),
            graphql_url=_url(value("runpod:apiUrl"), "runpod:apiUrl", "/graphql", default_graphql),
            delete_timeout=_seconds(value("runpod:deleteTimeout"), "runpod:deleteTimeout", 600.0),
            max_retry_wait=_seconds(value("runpod:maxRetryWait"), "runpod:maxRetryWait", 300.0),
            request_timeout=_seconds(value("runpod:requestTimeout"), "runpod:requestTimeout", 60.0, most=3600.0),
        )


def _choice(text: str | None, kind: type[Backend] | type[Api], key: str, default: Any) -> Any:
    if text is None:
        return default
    try:
        return kind(text.strip().lower())
    except ValueError:
        allowed = ", ".join(item.value for item in kind)
        raise ConfigError(f"{key} is {text!r}; allowed values: {allowed}") from None


def _seconds(text: str | None, key: str, default: float, *, most: float = _DAY) -> float:
    if text is None:
        return default
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0 or seconds > most:
        raise ConfigError(f"{key} is {text!r}; it must be a number of seconds above 0 and at most {most:.0f}")
    return seconds


def _url(text: str | None, key: str, suffix: str, default: str) -> str:
    if text is None:
        return default
    url = text.strip().rstrip("/")
    parts = urlsplit(url)
    shown = _shown(parts)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{key} is {shown!r}; it must be an http:// or https:// URL such as {default}")
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ConfigError(
            f"{key} is {shown!r} with credentials, a query or a fragment; it must be a plain URL without them "
            "(the key goes in runpod:apiKey, never in a URL)"
        )
    if not parts.path.endswith(suffix):
        raise ConfigError(
            f"{key} is {shown!r}; RunPod's API lives at a path ending in {suffix} (for example {default}): "
            f"without it every request would reach something that is not the API"
        )
    return url


def _shown(parts: SplitResult) -> str:
    """A URL for a message, without the parts where keys get pasted (``user:key@``, ``?api_key=``)."""
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))
