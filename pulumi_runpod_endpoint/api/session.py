"""The one HTTP session every API client shares: auth, timeouts, retries, pacing, redaction, errors.

Why one place: every request to RunPod goes through ``Session.request``, so the rules that keep
production safe are written once:

* the key travels only in ``Authorization: Bearer``, never in a URL, and is redacted from every
  message this package builds and every log line under its logger;
* a request is repeated only when repeating cannot do harm: a 429 (the API did nothing), a failure to
  connect (nothing was sent) and -- for idempotent requests only -- 5xx answers and connections
  dropped or timed out after sending;
* waits are exponential backoff with full jitter, or exactly what ``Retry-After`` asks, or what the
  ``RateLimit`` headers say the quota allows (``ratelimit.Pacer``); no single wait is longer than
  ``RetryPolicy.max_wait``: past it we fail and say how long RunPod asked for, never hang silently;
* errors become the typed tree of ``errors.py`` with the API's own words: RFC 9457 problem details
  (``title``, ``detail``, ``errors[]``) and GraphQL ``errors[].message``, plus the answer's
  ``x-request-id`` (what RunPod support asks for).
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .errors import (
    REDACTED,
    ApiError,
    Forbidden,
    NotFound,
    RateLimited,
    RunPodError,
    ServerError,
    TransportError,
    Unauthorized,
    UnexpectedAnswer,
    ValidationFailed,
)
from .ratelimit import Pacer

if TYPE_CHECKING:
    # Imported where a session is built or used, never at module import: httpx loads click, rich and
    # pygments through ``httpx._main`` (about 55 ms), and the dynamic-provider host imports this module
    # to unpickle a provider for its first Check, which makes no request (bench/host.py: cold start).
    import httpx

__all__ = ["MIN_HIDDEN_LENGTH", "USER_AGENT", "RetryPolicy", "Session", "parse_json", "redact", "sensitive_values"]

logger = logging.getLogger("pulumi_runpod_endpoint.api")

USER_AGENT = "pulumi-runpod-endpoint/0.2"
_RETRYABLE_5XX = frozenset({500, 502, 503, 504})
_MAX_DETAIL = 2000
# How much of an error body is read at all: enough for any real answer, and a hostile megabyte body
# is scanned for secrets in bounded time.
_MAX_SCANNED = 200_000


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try, and how long any one wait may be.

    ``attempts`` bounds tries after failures that may be transient (5xx, dropped connections);
    429s do not use them up -- the API did nothing -- and are bounded by ``rate_limit_retries``.
    """

    attempts: int = 5
    rate_limit_retries: int = 30
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_wait: float = 300.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0


# Wire fields whose values are secrets whatever resource carries them: container env values (REST
# v2 ``env`` maps, GraphQL ``env`` lists of {key, value}) and registry credentials.
_SECRET_FIELDS = frozenset({"password", "username"})
_ENV_FIELD = "env"
# Shorter values are not hidden: they cannot be told apart from ordinary words in a message ("1",
# "true", "info"), and a value that short protects nothing.
MIN_HIDDEN_LENGTH = 6


def sensitive_values(payload: Any) -> tuple[str, ...]:
    """The secrets a request body carries (env values, registry credentials) in every form an answer
    could quote them (``secret_forms``), to keep out of errors."""
    found: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, item in node.items():
                if key in _SECRET_FIELDS and isinstance(item, str):
                    found.add(item)
                elif key == _ENV_FIELD:
                    visit_env(item)
                else:
                    visit(item)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    def visit_env(env: Any) -> None:
        if isinstance(env, dict):  # REST v2: {"NAME": "value"}
            values = list(env.values())
        elif isinstance(env, list):  # GraphQL: [{"key": "NAME", "value": "value"}]
            values = [item.get("value") for item in env if isinstance(item, dict)]
        else:
            values = []
        found.update(value for value in values if isinstance(value, str))

    visit(payload)
    forms = (form for value in sorted(found) if len(value) >= MIN_HIDDEN_LENGTH for form in secret_forms(value))
    return tuple(dict.fromkeys(forms))


def secret_forms(value: str) -> tuple[str, ...]:
    """``value`` as given and as an answer would quote it: JSON-escaped (quotes, backslashes, newlines;
    ASCII-only or not), Python-escaped, and as the HTTP layer quotes bytes (``b'...'``)."""
    forms = [
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        repr(value)[1:-1],
        repr(value.encode("utf-8", "backslashreplace"))[2:-1],
    ]
    return tuple(dict.fromkeys(form for form in forms if form))


def redact(text: str, *secrets: str | None) -> str:
    """``text`` with every occurrence of every non-empty secret replaced by ``[REDACTED]``; where two
    occurrences overlap, the whole overlapping stretch goes (no tail of one survives the other)."""
    spans: list[tuple[int, int]] = []
    for secret in secrets:
        if not secret:
            continue
        start = text.find(secret)
        while start != -1:
            spans.append((start, start + len(secret)))
            start = text.find(secret, start + 1)
    if not spans:
        return text
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    pieces, position = [], 0
    for start, end in merged:
        pieces += [text[position:start], REDACTED]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


class _RedactingFilter(logging.Filter):
    """Last line of defence: scrub the key from any record logged under our logger."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), *self._secrets)
        record.args = None
        return True


class Session:
    """A reused ``httpx.Client`` with this package's retry, pacing and error policy."""

    def __init__(
        self,
        api_key: str,
        *,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        jitter: random.Random | None = None,
    ) -> None:
        if not api_key or not api_key.strip():
            raise Unauthorized("no RunPod API key was given")
        if not (api_key.strip().isascii() and api_key.strip().isprintable()):
            # httpx/h11 would refuse the header by quoting it -- the key -- into the error.
            raise Unauthorized("the API key contains a control or non-ASCII character: no HTTP header can carry it")
        import httpx  # here, not at import: unpickling a provider in the host need not load it

        self._secrets = _secret_forms(api_key)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._jitter = jitter or random.Random()
        self._jitter_lock = threading.Lock()
        self.pacer = Pacer(clock)
        self._filter = _RedactingFilter(self._secrets)
        logger.addFilter(self._filter)
        # Base URLs that answered like RunPod's API in this process: only there is a 404 "no such id".
        self.proven_bases: set[str] = set()
        self._client = httpx.Client(
            transport=transport,
            headers={"Authorization": f"Bearer {api_key.strip()}", "User-Agent": USER_AGENT},
            timeout=httpx.Timeout(self.retry.read_timeout, connect=self.retry.connect_timeout),
        )

    def redact(self, text: str, hidden: Iterable[str] = ()) -> str:
        """``text`` without this session's key (and without ``hidden``: the secrets a request carried,
        from ``sensitive_values``): for the API's words, before any of them is cut short."""
        return redact(text, *self._secrets, *hidden)

    def close(self) -> None:
        self._client.close()
        logger.removeFilter(self._filter)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one way out -------------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one logical request, repeating it where that is safe; return a 2xx answer or raise
        (a 3xx too: ``UnexpectedAnswer``, since the client follows no redirects and the API sends none)."""
        failures = 0
        rate_limited = 0
        while True:
            response = self._send_paced(method, url, json, params, idempotent)
            if isinstance(response, RunPodError):
                error: RunPodError = response
                retryable = not error.maybe_committed or idempotent
                failures += 1
            elif response.status_code < 300:
                return response
            elif response.status_code < 400:
                raise self._redirected(method, url, response)
            else:
                # The request's secrets are looked for only when an answer may quote them back.
                error = self._api_error(method, url, response, sensitive_values(json))
                if response.status_code == 429:
                    rate_limited += 1
                    retryable = rate_limited <= self.retry.rate_limit_retries
                else:
                    failures += 1
                    retryable = response.status_code in _RETRYABLE_5XX and idempotent
            if not retryable or failures >= self.retry.attempts:
                raise error
            self._wait_before_retry(method, url, error, failures + rate_limited)

    def _send_paced(
        self, method: str, url: str, json: Any, params: Mapping[str, str] | None, idempotent: bool
    ) -> httpx.Response | RunPodError:
        import httpx

        while (hold := self.pacer.admit()) > 0:
            self._sleep(hold)  # this process's first request is out: its answer tells the budget
        wait, window = self.pacer.reserve()
        try:
            if wait > 0:
                if wait > self.retry.max_wait:
                    raise RateLimited(
                        f"{method} {_path(url)} not sent: RunPod's rate limit ({self.pacer.describe(window or '')}) "
                        f"would make us wait {wait:.0f}s, more than the {self.retry.max_wait:.0f}s we wait at most",
                        retry_after=wait,
                        status=None,
                    )
                logger.info("waiting %.2fs for RunPod's rate limit (%s)", wait, window)
                self._sleep(wait)
            try:
                response = self._client.request(method, url, json=json, params=params)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                return self._transport_error(method, url, exc, maybe_committed=False)
            except httpx.TransportError as exc:
                return self._transport_error(method, url, exc, maybe_committed=True)
            self.pacer.observe(response.headers)
            logger.debug(
                "%s %s -> %s (x-request-id %s)",
                method,
                _path(url),
                response.status_code,
                response.headers.get("x-request-id", "-"),
            )
            return response
        finally:
            self.pacer.release()

    def _wait_before_retry(self, method: str, url: str, error: RunPodError, attempt: int) -> None:
        retry_after = error.retry_after if isinstance(error, RateLimited) else None
        if retry_after is not None:
            if retry_after > self.retry.max_wait:
                assert isinstance(error, RateLimited)
                said = error.message.removesuffix(f" (x-request-id {error.request_id})")
                raise RateLimited(
                    f"{said}; RunPod asked us to wait {retry_after:.0f}s (Retry-After), more than the "
                    f"{self.retry.max_wait:.0f}s we wait at most",
                    retry_after=retry_after,
                    title=error.title,
                    detail=error.detail,
                    request_id=error.request_id,
                ) from None
            delay = retry_after
        else:
            ceiling = min(self.retry.max_delay, self.retry.base_delay * (2 ** (attempt - 1)))
            with self._jitter_lock:
                delay = self._jitter.uniform(0, ceiling)
        logger.info("retrying %s %s in %.2fs after: %s", method, _path(url), delay, error.message)
        self._sleep(delay)

    # -- errors ----------------------------------------------------------------------------------
    def _transport_error(self, method: str, url: str, exc: Exception, *, maybe_committed: bool) -> TransportError:
        message = self.redact(f"{method} {_path(url)} failed: {type(exc).__name__}: {exc}")
        return TransportError(message, maybe_committed=maybe_committed)

    def _redirected(self, method: str, url: str, response: httpx.Response) -> UnexpectedAnswer:
        """RunPod's API never redirects: a 3xx is a wrong base URL (http:// for https://, a login page),
        and returning it as an answer would make a DELETE look done while nothing was deleted."""
        import httpx

        where = response.headers.get("location", "")
        try:
            shown = str(httpx.URL(where).copy_with(query=None, fragment=None, userinfo=b"")) if where else "nowhere"
        except (httpx.InvalidURL, TypeError, ValueError):
            shown = "an unreadable location"
        return UnexpectedAnswer(
            self.redact(
                f"{method} {_path(url)} was redirected (HTTP {response.status_code} to {shown}); RunPod's API does "
                "not redirect, so the base URL is not the API's (is it https://?)"
            ),
            request_id=self.redact(response.headers.get("x-request-id") or "")[:200] or None,
        )

    def _api_error(self, method: str, url: str, response: httpx.Response, hidden: Iterable[str] = ()) -> ApiError:
        """The typed error, in the API's own words -- scrubbed of the key and of ``hidden`` before they
        are cut short, so that no head of a secret survives a cut through it."""
        status = response.status_code
        problem = _problem(response)
        title = self.redact(str(problem.get("title") or ""), hidden)[:_MAX_DETAIL] or None
        detail = self.redact(str(problem.get("detail") or ""), hidden)[:_MAX_DETAIL] or None
        listed = problem.get("errors")
        listed = listed if isinstance(listed, list) else [listed] if listed else []
        errors = [self.redact(str(item), hidden)[:_MAX_DETAIL] for item in listed[:20]]
        said = "; ".join(part for part in (detail or title or "", *errors) if part)
        message = f"{method} {_path(url)} returned HTTP {status}" + (f": {said}" if said else "")
        request_id = self.redact(response.headers.get("x-request-id") or "")[:200] or None
        kwargs: dict[str, Any] = {"status": status, "title": title, "detail": detail, "request_id": request_id}
        if status == 401:
            return Unauthorized(message + " -- the API key was refused", errors=errors, **kwargs)
        if status == 403:
            return Forbidden(message + " -- the API key may not access this resource", errors=errors, **kwargs)
        if status == 404:
            return NotFound(message, errors=errors, **kwargs)
        if status == 429:
            return RateLimited(message, retry_after=self._retry_after(response.headers.get("retry-after")), **kwargs)
        if status >= 500:
            return ServerError(message, errors=errors, maybe_committed=True, **kwargs)
        return ValidationFailed(message, errors=errors, **kwargs)

    def _retry_after(self, value: str | None) -> float | None:
        if not value:
            return None
        try:
            seconds = float(value)
        except ValueError:
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - self._wall_clock()
            except (TypeError, ValueError, IndexError):
                return None
        if not math.isfinite(seconds):  # NaN or +-infinite: not a usable instruction
            return None
        return max(seconds, 0.0)


def _secret_forms(api_key: str) -> tuple[str, ...]:
    """The key as given and trimmed, and as the HTTP layer would quote them (``b'...'`` escapes):
    every form of it a message could carry, for redaction."""
    return tuple(dict.fromkeys((*secret_forms(api_key), *secret_forms(api_key.strip()))))


def _path(url: str) -> str:
    """The URL's path alone (no host, user info or query): safe to print even if someone put a key in it.

    ``urlsplit``, not ``httpx.URL``: this runs for every request (the debug line's argument), and
    parsing an ``httpx.URL`` twice cost 0.18 ms of each request (bench/host.py, per operation)."""
    return urlsplit(url).path or "/"


def _problem(response: httpx.Response) -> dict[str, Any]:
    """The error body as problem details, whatever shape it came in (RFC 9457, GraphQL, text)."""
    try:
        body = response.json()
    except ValueError:
        # Cut by the caller, after scrubbing: a cut here could split a secret and leave its head.
        text = response.text.strip()[:_MAX_SCANNED]
        return {"detail": text} if text else {}
    if not isinstance(body, dict):
        return {"detail": str(body)[:_MAX_SCANNED]}
    errors = body.get("errors")
    if isinstance(errors, list):
        body = dict(body)
        body["errors"] = [e.get("message", e) if isinstance(e, dict) else e for e in errors]
        if not body.get("detail") and not body.get("title") and body["errors"]:
            body["detail"] = str(body["errors"][0])
            body["errors"] = body["errors"][1:]
    for key in ("error", "message"):
        if not body.get("detail") and body.get(key):
            body["detail"] = body[key]
    return body


def parse_json(response: httpx.Response, what: str) -> Any:
    """The answer's JSON, or ``UnexpectedAnswer`` naming what we asked for: an HTML page or a proxy's
    text is not the API's answer, and must never be read as one."""
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("content-type", "no content type")
        raise UnexpectedAnswer(
            f"{what}: the answer from {_path(str(response.request.url))} is not JSON ({kind}); "
            "is the base URL RunPod's API?",
            request_id=response.headers.get("x-request-id"),
        ) from None
