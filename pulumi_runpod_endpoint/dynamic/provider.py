"""The base every resource's provider stands on: configure, settings, the shared session, pickling.

Why a base: the rules here are the same for every resource and easy to get wrong once per copy --

* a provider is pickled **by reference** (``__reduce__`` returns its room's ``new_provider``, as the
  ``ProviderReference`` a program passes does, and no arguments): the
  ``__provider`` in the state is that function's import path, tens of bytes, never a key, a client or a
  setting, and an upgraded package applies to the update and delete of old resources;
* ``configure`` reads the stack config by its known keys (``req.config.get("runpod:apiKey")``) and
  nothing is built until an operation needs it, in the host process;
* one HTTP session per provider process: every resource's provider in the host shares it (and its
  rate-limit pacing), because RunPod counts requests per key, not per resource type;
* API errors are re-raised with advice that names Pulumi commands and config keys -- the API layer
  below knows nothing of Pulumi, so this is the one place that speaks of it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NoReturn, TypeVar, cast

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from ..api.errors import (
    AmbiguousCreate,
    DeleteTimedOut,
    Forbidden,
    LeftBehind,
    NotFound,
    RateLimited,
    RolloutTimedOut,
    RunPodError,
    TransportError,
    Unauthorized,
    UnexpectedAnswer,
)
from ..api.lifecycle import AdoptionRefused, Timing
from ..api.session import Session
from ..config import CONFIG_KEYS, Backend, ConfigError, ProviderSettings
from .tokens import MANAGED_FIELDS

__all__ = ["BaseProvider", "ProviderError", "SessionFactory", "rest_v2_refusal", "shared_session"]

T = TypeVar("T")
ADOPT_FIELD = "adopt_existing_id"
S = TypeVar("S")
SessionFactory = Callable[[ProviderSettings], Session]

_SESSIONS: dict[tuple[str, ...], Session] = {}
_SESSIONS_LOCK = threading.Lock()


def shared_session(settings: ProviderSettings) -> Session:
    """The process's one session for these settings (built on first use)."""
    with _SESSIONS_LOCK:
        session = _SESSIONS.get(settings.session_key)
        if session is None:
            session = Session(settings.api_key, retry=settings.retry_policy)
            _SESSIONS[settings.session_key] = session
        return session


def rest_v2_refusal(settings: ProviderSettings, noun: str) -> str | None:
    """Why a resource that exists only on REST v2 cannot be managed with these settings, or None.

    Network volumes, registry credentials and templates are managed through REST v2 on RunPod
    whatever ``runpod:api`` says (that setting chooses the endpoint's API); Tensor One has no REST API.
    """
    if settings.backend is Backend.TENSORONE:
        return (
            f"{noun}s are managed through RunPod's REST v2 API, which the tensorone backend does not have; "
            "manage them in the Tensor One console, or use runpod:backend runpod"
        )
    return None


class ProviderError(Exception):
    """An operation failed; the message says what happened and what to do. ``cause`` is the API error."""

    def __init__(self, message: str, cause: Exception | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class BaseProvider(ResourceProvider):
    """configure, settings, the shared session, pickling by reference and error advice."""

    # The serialized provider holds nothing secret (see __reduce__), so it need not be a secret.
    serialize_as_secret_always = False
    noun: ClassVar[str] = "resource"
    # What ``__provider`` names: a room's ``new_provider`` (see reference.py); the class when unset.
    factory: ClassVar[Callable[[], ResourceProvider] | None] = None

    def __init__(
        self,
        *,
        session_factory: SessionFactory | None = None,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self._session_factory = session_factory
        self._timing = timing
        self.sleep = sleep  # seams for the services' waits: tests pass a fake clock, never sleep
        self.clock = clock
        self._built: tuple[ProviderSettings, Any] | None = None
        self._config: dict[str, Any] = {}
        self._settings: ProviderSettings | None = None
        # Re-entrant: a subclass builds its service under this lock, and that reads ``settings`` (which
        # takes it again). A plain Lock deadlocked the first operation of every resource.
        self._lock = threading.RLock()

    def __reduce__(self) -> tuple[Callable[[], ResourceProvider], tuple[()]]:
        # What makes a fresh one, and nothing else: whatever configure stored stays in this process.
        # A room's provider names its package's new_provider, as the program's ProviderReference does;
        # a subclass that declares no factory of its own is named by its class (the room's factory
        # would make the room's provider, not the subclass).
        factory = type(self).factory if "factory" in vars(type(self)) else None
        return (factory if factory is not None else type(self), ())

    # -- settings and session -----------------------------------------------------------------------
    def configure(self, req: ConfigureRequest) -> None:
        config = {key: req.config.get(key) for key in CONFIG_KEYS}
        with self._lock:
            self._config = {key: value for key, value in config.items() if value is not None}
            self._settings = None

    @property
    def settings(self) -> ProviderSettings:
        with self._lock:
            if self._settings is None:
                try:
                    self._settings = ProviderSettings.from_sources(self._config)
                except ConfigError as bad:
                    raise ProviderError(str(bad), bad) from None
            return self._settings

    def session(self) -> Session:
        settings = self.settings
        if not settings.api_key:
            raise ProviderError(
                "no RunPod API key: set the secret stack config `pulumi config set --secret runpod:apiKey <key>` "
                "or the RUNPOD_API_KEY environment variable"
            )
        if self._session_factory is not None:
            return self._session_factory(settings)
        return shared_session(settings)

    def built(self, make: Callable[[ProviderSettings, Session, Timing], S]) -> S:
        """The service this provider's operations use: built on first use in the host, and again only
        if the settings change (a new configure)."""
        settings = self.settings
        with self._lock:
            if self._built is None or self._built[0] != settings:
                timing = self._timing or Timing(delete_timeout=settings.delete_timeout)
                self._built = (settings, make(settings, self.session(), timing))
            return cast(S, self._built[1])

    # -- what every resource's create and read share ------------------------------------------------
    def create_or_adopt(
        self, adopt: str | None, name: str, create: Callable[[], T], take_over: Callable[[str], T]
    ) -> T:
        """``create()``, or ``take_over(adopt)`` of an existing record, with the errors a program can act on."""
        doing = f"adopt {self.noun} {adopt}" if adopt else f"create {self.noun} {name!r}"
        try:
            return take_over(adopt) if adopt else create()
        except NotFound as missing:
            if not adopt:
                self.fail(missing, doing)
            raise ProviderError(
                f"{ADOPT_FIELD} {adopt!r}: no {self.noun} with that id is visible to this API key; check the id, "
                f"or remove {ADOPT_FIELD} to create one"
            ) from None
        except AdoptionRefused as refused:
            raise ProviderError(f"{refused}. Nothing was changed", refused) from None
        except RunPodError as error:
            self.fail(error, doing)

    def read_or_gone(self, id_: str, props: Mapping[str, Any], read: Callable[[], T | None]) -> T | None:
        """The record, or None on a refresh when it was deleted outside Pulumi (the state drops it). On
        a ``.get`` (no outputs yet) a missing record is an error: the program named an id that is not there."""
        found = self.guarded(f"read {self.noun} {id_}", read)
        if found is None and props.get(MANAGED_FIELDS) is None:
            raise ProviderError(f"{self.noun} {id_!r} does not exist (or is not visible to this API key)")
        return found

    # -- errors -------------------------------------------------------------------------------------
    def fail(self, error: RunPodError, doing: str) -> NoReturn:
        """Re-raise an API error with what it means for this stack and what to do."""
        raise ProviderError(f"{doing}: {error.message}{self.advice(error)}", error) from None

    def guarded(self, doing: str, action: Callable[[], T]) -> T:
        try:
            return action()
        except RunPodError as error:
            self.fail(error, doing)

    def speaks_graphql(self, settings: ProviderSettings) -> bool:
        """Whether this provider's API is GraphQL under these settings (only endpoints can be)."""
        return False

    def advice(self, error: RunPodError) -> str:
        """The sentence to add to an error; resources extend it for their own cases."""
        settings = self.settings
        graphql = self.speaks_graphql(settings) or (
            isinstance(error, UnexpectedAnswer) and error.url == settings.graphql_url
        )
        url = settings.graphql_url if graphql else settings.rest_url
        if isinstance(error, Unauthorized):
            return (
                ". Check the key: `pulumi config set --secret runpod:apiKey <key>` (or RUNPOD_API_KEY); "
                "it must be a RunPod API key with read/write access"
            )
        if isinstance(error, Forbidden):
            return ". The key is valid but lacks access: use a key with read/write access to this resource"
        if isinstance(error, UnexpectedAnswer):
            key = "runpod:apiUrl" if graphql else "runpod:restUrl"
            return f". The API URL in use is {url}: check {key} (or remove it to use the default)"
        if isinstance(error, RateLimited):
            return ". Run again later, or raise runpod:maxRetryWait to let the provider wait longer"
        if isinstance(error, TransportError):
            return f". Could not reach {url}: check the network and the URL settings"
        if isinstance(error, DeleteTimedOut):
            return ". Run `pulumi destroy` again later, or raise runpod:deleteTimeout"
        if isinstance(error, AmbiguousCreate) and not error.candidates:
            return (
                f". Look for it in the RunPod console: keep it by setting `adopt_existing_id` to its id, or delete "
                f"it; then run `pulumi up` again (without one or the other, the next `pulumi up` makes another "
                f"{self.noun})"
            )
        if isinstance(error, AmbiguousCreate):
            return (
                ". Keep one of them with `adopt_existing_id` and delete the others in the RunPod console, "
                "then run `pulumi up` again"
            )
        if isinstance(error, LeftBehind):
            return f". To keep it, set adopt_existing_id={error.resource_id!r} and run `pulumi up` again"
        if isinstance(error, RolloutTimedOut):
            return ". Run `pulumi up` again to keep waiting, or raise rollout_timeout_seconds"
        if isinstance(error, NotFound):
            return f". Run `pulumi refresh` to drop the missing {self.noun} from the state, then `pulumi up`"
        return ""
