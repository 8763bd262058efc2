"""Every operation of every resource x every fault the emulator can inject x every request position.

For each (resource, operation, prelude) the operation first runs with only its prelude (none, or the
create's answer lost / its connection dropped, which sends it down the lost-answer recovery) to learn
its requests; then, once per fault and per request position -- the first request, and each later one:
the recovery's list, the recreate, the scale to zero, the delete, the verify -- it runs again in a
fresh world with that fault armed at that request. After each case:

* the emulator holds exactly what the provider reported: a create that succeeded made one new record
  and reported its id, one that failed left nothing; a read never reports "gone" for a record that
  exists; an update that succeeded is on the API; a delete that succeeded left nothing behind; a
  bystander record and a *foreign* record with the same name (made before the create began, as
  another stack would) are never touched, adopted or deleted;
* an operation that failed converges when run again (a new host process: a fresh provider);
* a create or an update that waits for its rollout reports it once it is done, whatever request of
  the polling fails;
* a create that waits for its rollout, which never comes (no capacity), undoes itself: whatever
  request of the undo fails, nothing is left; run again once capacity is back, it makes one;
* no answer, output or error contains the API key.

The recovery tells its own record from a foreign one with the list taken before the create (explicit
names) or the random suffix only this create knows (auto names): see ``api/lifecycle.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from pulumi_runpod_endpoint.dynamic.provider import BaseProvider, ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from tests.reliability.harness import READ_TIMEOUT, World, leaks
from tests.reliability.kinds import KINDS, Kind
from tests.reliability.table import TABLE

FAULTS: dict[str, Fault] = {
    "429 Retry-After": Fault("rate_limit", retry_after=2.0),
    "429 bare": Fault("rate_limit", retry_after=None),
    "500": Fault("server_error", status=500),
    "502": Fault("server_error", status=502),
    "503": Fault("server_error", status=503),
    "dropped": Fault("drop"),
    "slow": Fault("latency", seconds=READ_TIMEOUT * 3),
    "answer lost": Fault("lose_response"),
}
WAIT = {"workers_min": 1, "wait_for_rollout": True, "rollout_timeout_seconds": 60}
ROLLOUT = {"workers_min": 1, "wait_for_rollout": True, "rollout_timeout_seconds": 600}  # one that completes
NEW_RELEASE = {"image": "runpod/worker:2.0"}
PRELUDES: dict[str, Callable[[Kind], Fault]] = {
    "lost": lambda kind: Fault("lose_response", match=kind.create_operation),
    "dropped": lambda kind: Fault("drop", match=kind.create_operation),
}


@dataclass
class Subject:
    """What a case works on, made before the operation by a provider no fault touches."""

    id: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    outs: dict[str, Any] = field(default_factory=dict)
    before: set[str] = field(default_factory=set)
    protected: set[str] = field(default_factory=set)  # records the operation must never touch


@dataclass
class Outcome:
    id: str | None = None
    outs: dict[str, Any] = field(default_factory=dict)
    error: ProviderError | None = None


def _checked(provider: BaseProvider, olds: dict[str, Any], program: dict[str, Any]) -> dict[str, Any]:
    result = provider.check(olds, program)
    assert result.failures == [], result.failures
    return dict(result.inputs)


def _make(world: World, kind: Kind, program: dict[str, Any]) -> Subject:
    provider = world.provider(kind.provider, **kind.config)
    inputs = _checked(provider, {}, program)
    created = provider.create(inputs)
    assert created.id and created.outs is not None
    return Subject(created.id, inputs, dict(created.outs))


def _auto(program: dict[str, Any]) -> dict[str, Any]:
    return {**{k: v for k, v in program.items() if k != "name"}, "auto_name_prefix": program["name"]}


# -- the operations ---------------------------------------------------------------------------------------
def _setup(world: World, kind: Kind, op: str) -> Subject:
    bystander = _make(world, kind, {**kind.program, "name": f"{kind.program['name']}-bystander"})
    subject = Subject()
    if op == "create" and not kind.unique_names:
        subject = Subject(protected={_make(world, kind, kind.program).id})  # another stack's, same name
    elif op == "create_rollout_timeout":
        world.emulator.settings.worker_capacity = 0  # no worker will ever serve the release
    elif op in ("read", "update", "delete", "adopt"):
        subject = _make(world, kind, kind.program)
    elif op == "update_wait":
        subject = _make(world, kind, {**kind.program, **ROLLOUT})
    subject.protected.add(bystander.id)
    subject.before = set(kind.truth(world))
    return subject


def _run(world: World, kind: Kind, op: str, subject: Subject) -> Outcome:
    provider = world.provider(kind.provider, **kind.config)
    try:
        if op == "create":
            made = provider.create(_checked(provider, {}, kind.program))
            return Outcome(made.id, dict(made.outs or {}))
        if op == "create_auto":
            made = provider.create(_checked(provider, {}, _auto(kind.program)))
            return Outcome(made.id, dict(made.outs or {}))
        if op == "create_wait":
            made = provider.create(_checked(provider, {}, {**kind.program, **ROLLOUT}))
            return Outcome(made.id, dict(made.outs or {}))
        if op == "update_wait":
            program = {**kind.program, **ROLLOUT, **kind.changed, **NEW_RELEASE}
            news = _checked(provider, subject.inputs, program)
            updated = provider.update(subject.id, subject.outs, news)
            return Outcome(subject.id, dict(updated.outs or {}))
        if op == "create_rollout_timeout":
            made = provider.create(_checked(provider, {}, {**kind.program, **WAIT}))
            return Outcome(made.id, dict(made.outs or {}))
        if op == "read":
            read = provider.read(subject.id, subject.outs)
            return Outcome(read.id, dict(read.outs or {}))
        if op == "update":
            news = _checked(provider, subject.inputs, {**kind.program, **kind.changed})
            updated = provider.update(subject.id, subject.outs, news)
            return Outcome(subject.id, dict(updated.outs or {}))
        if op == "delete":
            provider.delete(subject.id, subject.outs)
            return Outcome()
        if op == "adopt":
            program = {**kind.program, **kind.changed, "adopt_existing_id": subject.id}
            if kind.adopt_by_template:  # Tensor One cannot compare or change a container in place
                container = {"image": None, "env": None, "template_id": subject.outs["template_id"]}
                program = {k: v for k, v in {**program, **container}.items() if v is not None}
            adopted = provider.create(_checked(provider, {}, program))
            return Outcome(adopted.id, dict(adopted.outs or {}))
    except ProviderError as error:
        return Outcome(error=error)
    raise AssertionError(f"unknown operation {op}")


def _problems(world: World, kind: Kind, op: str, subject: Subject, outcome: Outcome) -> list[str]:
    """What the emulator holds that differs from what the provider reported (empty: consistent)."""
    now = kind.truth(world)
    problems = [f"{gone} was touched: it no longer exists" for gone in subject.protected - set(now)]
    wanted = kind.wanted if kind.marker in kind.changed else None
    if op == "create_rollout_timeout" and outcome.error is None and world.emulator.settings.worker_capacity == 0:
        problems.append(f"a create whose release cannot roll out succeeded: {outcome.id}")
    if op in ("create_wait", "update_wait") and outcome.error is None and not (outcome.outs.get("rollout") or {}):
        problems.append(f"{op} succeeded without reporting the rollout it waited for")
    if op in ("create", "create_auto", "create_wait", "create_rollout_timeout"):
        if outcome.error is not None:
            if set(now) != subject.before:
                problems.append(f"failed create left {sorted(set(now) - subject.before)}")
        elif outcome.id in subject.before:
            problems.append(f"create reported {outcome.id}, a record that existed before it began")
        elif set(now) != subject.before | {outcome.id}:
            problems.append(f"create reported {outcome.id}; the API holds {sorted(set(now) - subject.before)} new")
        elif now[str(outcome.id)].name != kind.program["name"] and op == "create":
            problems.append(f"created record is named {now[str(outcome.id)].name!r}")
    elif op == "read":
        if outcome.error is None and outcome.id != subject.id:
            problems.append(f"read reported {outcome.id!r} for {subject.id}, which exists")
        if set(now) != subject.before:
            problems.append("a read changed what exists")
    elif op in ("update", "update_wait", "adopt"):
        if set(now) != subject.before:
            problems.append(f"{op} changed what exists: {sorted(set(now) ^ subject.before)}")
        elif outcome.error is None:
            if outcome.id != subject.id:
                problems.append(f"{op} reported {outcome.id}, not {subject.id}")
            elif now[subject.id].marker != wanted:
                problems.append(f"{op} succeeded but the API has {kind.marker}={now[subject.id].marker!r}")
    elif op == "delete":
        if outcome.error is None and subject.id in now:
            problems.append(f"delete succeeded but {subject.id} still exists")
        if set(now) - {subject.id} != subject.before - {subject.id}:
            problems.append("a delete touched another record")
    if outcome.error is not None and not str(outcome.error).strip():
        problems.append("an error without a message")
    return problems


@dataclass
class CaseResult:
    problems: list[str]
    leaks: int
    failed_first: bool


def _case(kind: Kind, op: str, prelude: str | None, fault: Fault | None, position: int) -> CaseResult:
    world = World(flavor=kind.flavor)
    try:
        subject = _setup(world, kind, op)
        with world.operation() as transport:
            if prelude is not None:
                world.emulator.faults.set([PRELUDES[prelude](kind)])
            if fault is not None:
                transport.arm(position, fault)
            outcome = _run(world, kind, op, subject)
            requests = list(transport.seen)
            entries = world.emulator.journal.entries()
        problems = _problems(world, kind, op, subject, outcome)
        if fault is not None:
            # The harness's own check: the fault hit the request it was armed for.
            hit = position <= len(entries) and (
                entries[position - 1].fault == fault.kind or (fault.kind == "latency" and transport.timeouts)
            )
            assert hit, f"{fault.kind} armed at request {position} never hit: {requests}"
        texts: list[object] = [outcome.outs, str(outcome.error or "")]
        if outcome.error is not None and not problems:
            # Run again, as the next `pulumi up` / `destroy` / `refresh` would: it must converge.
            if op in ("create", "create_auto", "create_wait", "create_rollout_timeout"):
                subject.before = set(kind.truth(world))
            world.emulator.settings.worker_capacity = 1000  # the cloud has workers again
            with world.operation():
                again = _run(world, kind, op, subject)
            texts += [again.outs, str(again.error or "")]
            if again.error is not None:
                problems.append(f"did not converge when run again: {again.error}")
            else:
                problems += [f"run again: {p}" for p in _problems(world, kind, op, subject, again)]
        if problems:
            problems.append(f"requests: {requests}; error: {outcome.error}")
        return CaseResult(problems, leaks(*texts), outcome.error is not None)
    finally:
        world.close()


def _positions(kind: Kind, op: str, prelude: str | None) -> list[int]:
    """The request positions to fault: all of a plain run's; after the prelude's fault otherwise."""
    world = World(flavor=kind.flavor)
    try:
        subject = _setup(world, kind, op)
        with world.operation() as transport:
            if prelude is not None:
                world.emulator.faults.set([PRELUDES[prelude](kind)])
            outcome = _run(world, kind, op, subject)
            entries = world.emulator.journal.entries()
            assert len(entries) == transport.count
            expected = op == "create_rollout_timeout"
            assert (outcome.error is not None) == expected, f"baseline {kind} {op} {prelude}: {outcome.error}"
            assert not _problems(world, kind, op, subject, outcome)
        first = next((i for i, entry in enumerate(entries, 1) if entry.fault), 0)
        return list(range(first + 1, transport.count + 1))
    finally:
        world.close()


SCENARIOS: list[tuple[str, str | None]] = [
    ("create", None),
    ("create", "lost"),
    ("create", "dropped"),
    ("create_auto", None),
    ("create_auto", "lost"),
    ("create_auto", "dropped"),
    ("create_wait", None),
    ("create_rollout_timeout", None),
    ("read", None),
    ("update", None),
    ("update_wait", None),
    ("delete", None),
    ("adopt", None),
]


def _cases() -> list[Any]:
    params = []
    for kind in KINDS:
        for op, prelude in SCENARIOS:
            if op == "update" and not kind.updatable:
                continue  # every change of a registry credential is a replacement: create + delete
            if op in ("create_wait", "update_wait", "create_rollout_timeout") and not kind.rollouts:
                continue  # GraphQL reports no releases: there is nothing to wait for
            label = f"{kind}-{op}" + (f"-after-{prelude}" if prelude else "")
            params.append(pytest.param(kind, op, prelude, id=label))
    return params


@pytest.mark.parametrize(("kind", "op", "prelude"), _cases())
def test_fault_matrix(kind: Kind, op: str, prelude: str | None) -> None:
    positions = _positions(kind, op, prelude)
    assert positions, "every scenario has requests to fault"
    failures = []
    for name, fault in FAULTS.items():
        for position in positions:
            result = _case(kind, op, prelude, fault, position)
            passed = not result.problems and result.leaks == 0
            TABLE.record(kind.id, op + (f" after {prelude}" if prelude else ""), name, position, passed, result.leaks)
            if not passed:
                failures.append(f"{name} at request {position}: " + "; ".join(result.problems))
    assert not failures, json.dumps(failures, indent=1)
