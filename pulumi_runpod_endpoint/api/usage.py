"""What still uses a record: the pods and endpoints that name it. Pulumi-free.

Asked only when a delete has been refused until its deadline ("in use by a pod"), so that the error
can say *what* to stop or change, not only that something does: one ``GET /v2/pods`` and/or one
``GET /v2/serverless``. Best effort by design: a failure here never hides the API's own refusal, and
one list that fails (a key without access to pods, an API that does not serve them) never hides what
the other one found.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .errors import RunPodError
from .rest import RestCollection
from .session import Session

__all__ = ["Uses", "describe_users"]

Uses = Callable[[Mapping[str, Any]], bool]
_MAX_NAMED = 10


def describe_users(
    session: Session, base_url: str, *, pods: Uses | None = None, endpoints: Uses | None = None
) -> str | None:
    """``pod abc ('trainer'), endpoint xyz ('api')`` for the pods/endpoints the predicates pick, or None."""
    found: list[str] = []
    for kind, path, key, uses in (("pod", "pods", "pods", pods), ("endpoint", "serverless", "endpoints", endpoints)):
        if uses is None:
            continue
        try:
            items = RestCollection(session, base_url, path, list_key=key, noun=kind).list()
        except RunPodError:
            continue
        for item in items:
            if uses(item):
                found.append(f"{kind} {item.get('id')} ({str(item.get('name'))!r})")
    if not found:
        return None
    more = f" and {len(found) - _MAX_NAMED} more" if len(found) > _MAX_NAMED else ""
    return ", ".join(found[:_MAX_NAMED]) + more
