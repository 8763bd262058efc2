"""api/ratelimit.py + session.py: pacing that draws no 429 across windows and across processes.

Found by bench/stack.py under an imposed rate limit: a late answer about a spent window undid the
next window's bookings (two 429s in a refresh), and a command that started in a window the previous
command had spent sent a blind request per concurrent operation (four 429s at the start of an update).
"""

from __future__ import annotations

import threading

import httpx
import pytest

from pulumi_runpod_endpoint.api.ratelimit import FIRST_ANSWER_POLL, Pacer
from pulumi_runpod_endpoint.api.session import Session
from tests.unit.core.fakes import API_KEY, BASE, FakeClock

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


def test_the_first_request_goes_alone_until_it_has_its_answer(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    assert pacer.admit() == 0.0  # the first request of this pacer's life
    assert pacer.admit() == FIRST_ANSWER_POLL  # everyone else waits for its answer
    assert pacer.admit() == FIRST_ANSWER_POLL
    pacer.reserve()
    pacer.observe(headers(9, 30))
    pacer.release()
    assert [pacer.admit() for _ in range(5)] == [0.0] * 5


def test_a_first_request_that_failed_lets_the_others_go(clock: FakeClock) -> None:
    pacer = Pacer(clock)
    pacer.admit()
    pacer.reserve()
    pacer.release()  # no answer (a transport error): nothing learnt, but nothing to wait for either
    assert pacer.admit() == 0.0


def test_a_new_session_sends_one_request_before_it_knows_the_budget() -> None:
    """Four threads start together on a fresh session: one request is out until its answer arrives."""
    condition = threading.Condition()
    state = {"calls": 0, "first_out": False, "held": False, "overlap": False}

    def held_back(seconds: float) -> None:  # the session's sleep: a held-back request asks again
        if seconds == FIRST_ANSWER_POLL:
            with condition:
                state["held"] = True
                condition.notify_all()

    def handler(request: httpx.Request) -> httpx.Response:
        with condition:
            state["calls"] += 1
            if state["first_out"]:
                state["overlap"] = True  # sent while the first request had no answer yet
                condition.notify_all()
            elif state["calls"] == 1:
                state["first_out"] = True
                # wait until another request is held back (the gate) or sent anyway (no gate)
                condition.wait_for(lambda: state["held"] or state["overlap"], timeout=30)
                state["first_out"] = False
        return httpx.Response(200, json={"endpoints": []}, headers=headers(9, 30))

    session = Session(API_KEY, transport=httpx.MockTransport(handler), sleep=held_back)
    start = threading.Barrier(4)

    def worker() -> None:
        start.wait()
        session.request("GET", f"{BASE}/serverless", idempotent=True)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    session.close()
    assert state["held"] and not state["overlap"]
    assert state["calls"] == 4
