"""One HTTP transport for both APIs: auth, timeouts, retries, error mapping and redaction.

Why here and only here: every request to RunPod goes through ``Transport.request``, so the
rules that keep production safe live in one place --

* the key is sent only as ``Authorization: Bearer``, never in a URL, and is redacted from
  every error message and log line;
* a request is retried only when repeating it cannot do harm: 429 (the API refused it, so
  nothing happened), connection failures before anything was sent, and -- for idempotent
  requests only -- 502/503/504 and connections dropped mid-answer;
* backoff is exponential with full jitter, and honours ``Retry-After`` (seconds or an HTTP
  date), capped so one call never sleeps unboundedly.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import (
    ApiError,
    NotFound,
    RateLimited,
    RunPodError,
    ServerError,
    TransportError,
    Unauthorized,
    ValidationFailed,
)

__all__ = ["RetryPolicy", "Transport", "redact"]

logger = logging.getLogger("pulumi_runpod_endpoint.api")

_RETRYABLE_5XX = frozenset({502, 503, 504})
USER_AGENT = "pulumi-runpod-endpoint/0.1"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. ``attempts`` counts the first try."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0


def redact(text: str, secret: str | None) -> str:
    """Remove the secret (and anything that looks like our bearer header) from a text."""
    if secret:
        text = text.replace(secret, "[REDACTED]")
    return text


class _RedactingFilter(logging.Filter):
    """Last line of defence: scrub the key from any record logged under our logger."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self._secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self._secret)
        record.args = None
        return True


class Transport:
    """A reused ``httpx.Client`` with the retry and error policy of this package."""

    def __init__(
        self,
        api_key: str,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key:
            raise Unauthorized(
                "no RunPod API key: set the secret stack config `runpod:apiKey` "
                "(pulumi config set --secret runpod:apiKey ...) or the RUNPOD_API_KEY environment variable"
            )
        self._key = api_key
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._filter = _RedactingFilter(api_key)
        logger.addFilter(self._filter)
        self._client = httpx.Client(
            transport=transport,
            headers={"Authorization": f"Bearer {api_key}", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(self.retry.read_timeout, connect=self.retry.connect_timeout),
        )

    def redact(self, text: str) -> str:
        """``text`` with this transport's key removed: for errors built outside the transport."""
        return redact(text, self._key)

    def close(self) -> None:
        self._client.close()
        logger.removeFilter(self._filter)

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one logical request, retrying where it is safe; return a 2xx response or raise."""
        last_error: RunPodError | None = None
        for attempt in range(self.retry.attempts):
            if attempt:
                assert last_error is not None
                retry_after = last_error.retry_after if isinstance(last_error, RateLimited) else None
                delay = self._delay(attempt, retry_after)
                logger.info("retrying %s %s in %.2fs after: %s", method, _path(url), delay, last_error.message)
                self._sleep(delay)
            try:
                response = self._client.request(method, url, json=json, params=params)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Nothing reached the server: always safe to try again.
                last_error = self._transport_error(method, url, exc, maybe_committed=False)
                continue
            except httpx.TransportError as exc:
                # Sent, but the answer was lost: only idempotent requests may be repeated.
                last_error = self._transport_error(method, url, exc, maybe_committed=True)
                if idempotent:
                    continue
                # `from None`: the low-level exception's text is not ours to vouch for.
                raise last_error from None
            logger.debug("%s %s -> %s", method, _path(url), response.status_code)
            if response.status_code < 400:
                return response
            error = self._api_error(method, url, response)
            if response.status_code == 429 or (response.status_code in _RETRYABLE_5XX and idempotent):
                last_error = error
                continue
            raise error
        assert last_error is not None
        raise last_error

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry.max_delay)
        ceiling = min(self.retry.max_delay, self.retry.base_delay * (2 ** (attempt - 1)))
        return random.uniform(0, ceiling)

    def _transport_error(self, method: str, url: str, exc: Exception, *, maybe_committed: bool) -> TransportError:
        kind = type(exc).__name__
        message = redact(f"{method} {_path(url)} failed: {kind}: {exc}", self._key)
        return TransportError(message, maybe_committed=maybe_committed)

    def _api_error(self, method: str, url: str, response: httpx.Response) -> ApiError:
        status = response.status_code
        detail = redact(_error_detail(response), self._key)
        message = f"{method} {_path(url)} returned HTTP {status}" + (f": {detail}" if detail else "")
        error: ApiError
        if status in (401, 403):
            error = Unauthorized(
                message + " (check runpod:apiKey / RUNPOD_API_KEY and that it may manage endpoints)",
                status=status,
            )
        elif status == 404:
            error = NotFound(message, status=status)
        elif status == 429:
            error = RateLimited(
                message, status=status, retry_after=_parse_retry_after(response.headers.get("Retry-After"))
            )
        elif status >= 500:
            error = ServerError(message, status=status, maybe_committed=status in (500, 502, 504))
        else:
            error = ValidationFailed(message, status=status)
        return error


def _path(url: str) -> str:
    """The URL without its query: safe to print even if someone put a key in it."""
    return httpx.URL(url).copy_with(query=None).path or "/"


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500]
    if isinstance(body, dict):
        if isinstance(body.get("errors"), list) and body["errors"]:
            return "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in body["errors"])
        for key in ("error", "message", "detail", "title"):
            if body.get(key):
                return str(body[key])
    return str(body)[:500]


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time())
