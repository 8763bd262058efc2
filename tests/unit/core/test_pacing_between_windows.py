"""api/ratelimit.py: pacing that draws no 429 across windows.

Found by bench/stack.py under an imposed rate limit: a late answer about a spent window undid the
next window's bookings (two 429s in a refresh).
"""

from __future__ import annotations

import pytest

from pulumi_runpod_endpoint.api.ratelimit import Pacer
from tests.unit.core.fakes import FakeClock

POLICY = '"minute";q=10;w=60'


def headers(remaining: int, reset_in: int) -> dict[str, str]:
    return {"ratelimit": f'"minute";r={remaining};t={reset_in}', "ratelimit-policy": POLICY}


def sent_before(pacer: Pacer, clock: FakeClock, deadline: float, tries: int) -> int:
    """Reserve ``tries`` requests now; how many of them would be sent before ``deadline``."""
    return sum(1 for _ in range(tries) if clock.now + pacer.reserve()[0] < deadline)


def test_a_late_answer_about_a_spent_window_keeps_the_next_windows_bookings(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers(0, 5))
    booked = [pacer.reserve()[0] for _ in range(3)]  # the window is spent: these open the next one
    assert booked == [5.0, 5.0, 5.0]
    pacer.observe(headers(0, 5))  # the answer to a request sent before them: still the spent window
    clock.now += 5
    # the next window (5 s .. 65 s) holds 10 requests: the 3 booked and 7 more, never 10 more
    assert sent_before(pacer, clock, clock.now + 60, tries=20) == 7


def test_an_answer_about_the_current_window_still_updates_what_is_left(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.observe(headers(8, 30))
    pacer.observe(headers(1, 29))  # another client used the key meanwhile: 1 left, says the API
    assert pacer.reserve() == (0.0, None)
    wait, window = pacer.reserve()
    assert window == "minute"
    assert wait == pytest.approx(29.0)  # none left: the next one waits for the reset
