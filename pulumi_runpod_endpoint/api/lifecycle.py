"""Create without duplicates, delete and verify: the lifecycle of a plain REST v2 record. Pulumi-free.

Network volumes, registry credentials and templates are records of one v2 collection each: one
POST makes one, one DELETE removes it. What makes that safe in production is written here once
(the endpoint keeps its own service: it also scales to zero, waits for rollouts and spans three APIs):

* **a create never duplicates.** A create whose answer was lost after it may have reached the API
  (a timeout, a dropped connection, a 502) is resolved by looking, never by guessing: we list the
  collection until the record appears (polling while the API may still be working) and only
  then try again. "Ours" must be certain: an auto-named record carries a random suffix no one else
  has, so its exact name is enough; for a name the program chose we list the collection *before*
  creating (one extra call), and only a record that was not there before can be ours -- never
  one another stack or a person made with the same name. Two new candidates is ``AmbiguousCreate``.
* **a delete is verified.** After the DELETE we read the record: only the API's own "not found"
  for it ends the delete (a 404 from a base URL not proven to be the API's is an error, see
  ``rest.py``). A refusal (400/409: "in use by a pod") is retried with backoff until the deadline,
  then ``DeleteTimedOut`` says the API's words and, when the caller can find out, what still uses it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from .errors import AmbiguousCreate, DeleteTimedOut, NotFound, RunPodError, ValidationFailed

__all__ = ["AdoptionRefused", "Record", "RecordApi", "RecordLifecycle", "Timing"]

_REFUSED = frozenset({400, 409})  # "in use": the API did nothing, and may accept later


class Record(Protocol):
    """What the lifecycle needs of a record: its id, and its name (how a lost create is found)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str | None: ...


R = TypeVar("R", bound=Record)


class RecordApi(Protocol[R]):
    """One v2 collection: each method is one logical request."""

    noun: str

    def list(self) -> list[R]: ...

    def get(self, record_id: str) -> R: ...

    def delete(self, record_id: str) -> None: ...


class AdoptionRefused(Exception):
    """An existing record cannot become this resource as declared; nothing was changed."""


@dataclass(frozen=True)
class Timing:
    """How long operations may wait, and how they poll (seconds)."""

    delete_timeout: float = 600.0
    create_attempts: int = 3
    settle: float = 30.0
    first_poll: float = 1.0
    max_poll: float = 15.0


class RecordLifecycle(Generic[R]):
    """create (with lost-answer recovery) / read / delete (with verification) of one collection's records."""

    def __init__(
        self,
        api: RecordApi[R],
        *,
        timing: Timing | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.timing = timing or Timing()
        self._sleep = sleep
        self._clock = clock

    # -- create -------------------------------------------------------------------------------------
    def create(self, send: Callable[[], R], *, name: str, unique_name: bool) -> R:
        """``send`` (one POST); a lost answer is resolved by looking for the record it made.

        ``unique_name`` says the name carries a random suffix only this create knows; otherwise the
        records that exist before the create are listed first and can never be taken for ours.
        """
        existing = None if unique_name else {record.id for record in self.api.list()}
        error: RunPodError | None = None
        for _ in range(self.timing.create_attempts):
            try:
                return send()
            except RunPodError as failed:
                if not failed.maybe_committed:
                    raise
                error = failed
            found = self._find_created(name, existing)
            if found is not None:
                return found
        assert error is not None
        raise error

    def _find_created(self, name: str, existing: set[str] | None) -> R | None:
        deadline = self._clock() + self.timing.settle
        delay = self.timing.first_poll
        while True:
            candidates = [
                record
                for record in self.api.list()
                if record.name == name and (existing is None or record.id not in existing)
            ]
            if len(candidates) > 1:
                ids = ", ".join(record.id for record in candidates)
                raise AmbiguousCreate(
                    f"the create request for {self.api.noun} {name!r} got no answer, and {len(candidates)} "
                    f"{self.api.noun}s with that name appeared since ({ids})",
                    candidates=[record.id for record in candidates],
                )
            if candidates:
                return candidates[0]
            if self._clock() + delay > deadline:
                return None
            self._sleep(delay)
            delay = min(delay * 2, self.timing.max_poll)

    # -- read ---------------------------------------------------------------------------------------
    def read(self, record_id: str) -> R | None:
        """The record, or None when the API itself says it no longer exists."""
        try:
            return self.api.get(record_id)
        except NotFound:
            return None

    # -- delete -------------------------------------------------------------------------------------
    def delete(self, record_id: str, *, users: Callable[[], str | None] | None = None) -> None:
        """Delete, then verify it is gone; a record that is already gone is success.

        ``users`` names what still uses the record (asked once, only when the deadline has passed).
        """
        deadline = self._clock() + self.timing.delete_timeout
        delay = self.timing.first_poll
        while True:
            try:
                self.api.delete(record_id)
            except NotFound:
                return
            except ValidationFailed as refused:
                if refused.status not in _REFUSED:
                    raise
                reason = f"the API refused it: {refused.detail or refused.message}"
            else:
                if self.read(record_id) is None:
                    return
                reason = f"the API accepted the delete, but the {self.api.noun} still exists"
            if self._clock() + delay > deadline:
                raise DeleteTimedOut(
                    f"{self.api.noun} {record_id} could not be deleted within {self.timing.delete_timeout:.0f}s: "
                    f"{reason}{self._users(users)}"
                )
            self._sleep(delay)
            delay = min(delay * 2, self.timing.max_poll)

    @staticmethod
    def _users(users: Callable[[], str | None] | None) -> str:
        if users is None:
            return ""
        try:
            found = users()
        except RunPodError:
            return ""  # best effort: the API's own words above still say why
        return f". Still using it: {found}" if found else ""
