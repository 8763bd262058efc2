"""Issue 18's defects, one test each, on every resource and API the emulator serves: each fails when
its defect is reintroduced (see the report of issue 18 for how each was broken on purpose).

Duplicates and orphans on create, adopting a foreign record, and a rollout's undo that fails: the
rest of the issue's list (wrong base URL, hostile inputs, config) lives in the modules named for them.
"""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_runpod_endpoint.dynamic.provider import ProviderError
from pulumi_runpod_endpoint.emulator import Fault
from pulumi_runpod_endpoint.endpoint.backend_graphql import LIST_CAP
from tests.reliability.harness import READ_TIMEOUT, World, leaks
from tests.reliability.kinds import ENDPOINT_GRAPHQL, ENDPOINT_KINDS, ENDPOINT_REST, KINDS, Kind

SERVED = [pytest.param(kind, id=kind.id) for kind in KINDS]


def _create(world: World, kind: Kind, program: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    provider = world.provider(kind.provider, **kind.config)
    checked = provider.check({}, program)
    assert checked.failures == [], checked.failures
    made = provider.create(checked.inputs)
    return made.id, dict(made.outs or {})


def _named(world: World, kind: Kind, name: str) -> list[str]:
    return [id_ for id_, record in kind.truth(world).items() if record.name == name]


@pytest.mark.parametrize("kind", SERVED)
def test_a_create_that_times_out_on_the_client_is_made_once(kind: Kind) -> None:
    """Issue 18: 'When the first create request times out on the client side, the endpoint is created
    twice (the provider reports one, two exist and bill).'"""
    world = World(flavor=kind.flavor)
    with world.operation() as transport:
        world.emulator.faults.set([Fault("latency", match=kind.create_operation, seconds=READ_TIMEOUT * 4)])
        id_, _ = _create(world, kind, kind.program)
        assert transport.timeouts == 1
    assert _named(world, kind, kind.program["name"]) == [id_]


@pytest.mark.parametrize("kind", SERVED)
def test_the_recovery_list_failing_after_a_lost_answer_still_finds_the_create(kind: Kind) -> None:
    """Issue 18: 'When the recovery's own list call fails (a 500) after a lost answer ... the operation
    fails and leaves an orphan, and running it again does not converge (two endpoints with the name).'

    The recovery's list fails with 500s through every one of the session's attempts; the recovery
    keeps looking (it is a read: nothing to undo) until its settle deadline, and finds the create."""
    world = World(flavor=kind.flavor)
    provider = world.provider(kind.provider, **kind.config)
    attempts = provider.settings.retry_policy.attempts
    with world.operation() as transport:
        world.emulator.faults.set([Fault("lose_response", match=kind.create_operation)])
        for position in range(3, 3 + attempts):  # 1 the list before, 2 the create, then the recovery's list
            transport.arm(position, Fault("server_error", status=500))
        checked = provider.check({}, kind.program)
        made = provider.create(checked.inputs)
        failed = [entry for entry in world.emulator.journal.entries() if entry.status == 500]
        assert len(failed) == attempts  # the recovery's first list really failed through every retry
    assert _named(world, kind, kind.program["name"]) == [made.id]


@pytest.mark.parametrize("kind", SERVED)
def test_a_recovery_that_cannot_list_until_its_deadline_says_what_may_exist(kind: Kind) -> None:
    """When the API cannot be listed at all until the recovery's deadline, the create's outcome is
    unknown: the error says so, names the record that may exist and how to keep or remove it."""
    world = World(flavor=kind.flavor)
    provider = world.provider(kind.provider, **kind.config)
    with world.operation() as transport:
        world.emulator.faults.set([Fault("lose_response", match=kind.create_operation)])
        for position in range(3, 300):  # every request after the create: the recovery's lists
            transport.arm(position, Fault("server_error", status=500))
        checked = provider.check({}, kind.program)
        with pytest.raises(ProviderError) as failed:
            provider.create(checked.inputs)
    message = str(failed.value)
    assert repr(kind.program["name"]) in message and "may exist" in message
    assert "adopt_existing_id" in message
    assert leaks(message) == 0


@pytest.mark.parametrize("kind", SERVED)
@pytest.mark.parametrize("second", ["slow", "answer lost"])
def test_the_recreate_after_a_drop_that_times_out_or_loses_its_answer_is_found(kind: Kind, second: str) -> None:
    """Issue 18: 'when the recreate after a dropped connection itself times out or loses its answer,
    the operation fails and leaves an orphan'."""
    world = World(flavor=kind.flavor)
    fault = (
        Fault("latency", match=kind.create_operation, seconds=READ_TIMEOUT * 4)
        if second == "slow"
        else Fault("lose_response", match=kind.create_operation)
    )
    with world.operation():
        world.emulator.faults.set([Fault("drop", match=kind.create_operation), fault])
        id_, _ = _create(world, kind, kind.program)
        creates = [e for e in world.emulator.journal.entries() if e.operation == kind.create_operation]
        assert len(creates) == 2  # dropped before the API, then made: the second one is ours
    assert _named(world, kind, kind.program["name"]) == [id_]


@pytest.mark.parametrize("kind", SERVED)
def test_a_dropped_create_never_adopts_a_foreign_record_with_the_same_name(kind: Kind) -> None:
    """Issue 18: 'When a create is dropped before it reached the API and an endpoint with the same name
    and template already exists (made by another stack or by hand), the recovery adopts that foreign
    endpoint; `pulumi destroy` would later delete it.'"""
    world = World(flavor=kind.flavor)
    foreign, _ = _create(world, kind, kind.program)  # another stack's, identical in every input
    with world.operation():
        world.emulator.faults.set([Fault("drop", match=kind.create_operation)])
        if kind.unique_names:  # the API refuses a second one: refused, and the foreign one is untouched
            with pytest.raises(ProviderError, match="already exists"):
                _create(world, kind, kind.program)
            assert _named(world, kind, kind.program["name"]) == [foreign]
            return
        ours, outs = _create(world, kind, kind.program)
    assert ours != foreign
    assert sorted(_named(world, kind, kind.program["name"])) == sorted([foreign, ours])
    world.provider(kind.provider, **kind.config).delete(ours, outs)  # our destroy deletes ours alone
    assert _named(world, kind, kind.program["name"]) == [foreign]


@pytest.mark.parametrize("kind", [pytest.param(kind, id=kind.id) for kind in ENDPOINT_KINDS])
def test_a_dropped_create_never_adopts_a_foreign_endpoint_on_the_same_template(kind: Kind) -> None:
    """The issue's exact case: same name *and* same template as the foreign endpoint."""
    world = World(flavor=kind.flavor)
    template = world.truth.client.post(
        "/_emulator/templates", json={"name": "shared", "image": "runpod/base:1", "serverless": True}
    ).json()
    # (on GraphQL a templated endpoint runs the template as it is: no env of its own)
    program = {**{k: v for k, v in kind.program.items() if k not in ("image", "env")}, "template_id": template["id"]}
    foreign, _ = _create(world, kind, program)
    with world.operation():
        world.emulator.faults.set([Fault("drop", match=kind.create_operation)])
        ours, _ = _create(world, kind, program)
    assert ours != foreign and sorted(_named(world, kind, "svc")) == sorted([foreign, ours])


def test_a_create_whose_rollout_times_out_and_cannot_be_undone_names_what_is_left() -> None:
    """A create that waits for its rollout undoes itself when the rollout times out; when the undo's
    delete keeps failing, the endpoint is left outside the state (the host keeps no partial create), so
    the error must name it and say how to delete or adopt it -- the bare delete error hid that it exists."""
    kind = ENDPOINT_REST
    world = World(flavor=kind.flavor)
    world.emulator.settings.worker_capacity = 0  # its release can never serve
    program = {**kind.program, "workers_min": 1, "wait_for_rollout": True, "rollout_timeout_seconds": 60}
    with world.operation():
        world.emulator.faults.set([Fault("server_error", match="deleteEndpoint", status=500, times=-1)])
        provider = world.provider(kind.provider, **kind.config)
        with pytest.raises(ProviderError) as failed:
            provider.create(provider.check({}, program).inputs)
    [left] = kind.truth(world)
    message = str(failed.value)
    assert f"endpoint {left} is left" in message and f"adopt_existing_id={left!r}" in message
    assert "not serving after 60s" in message and "HTTP 500" in message
    assert kind.truth(world)[left].marker == 0  # scaled to zero: it bills nothing while it waits for a human


@pytest.mark.parametrize("auto_named", [False, True])
def test_graphql_recovery_on_an_account_past_the_list_cap_never_duplicates(auto_named: bool) -> None:
    """QUIRKS.md: 'myself { endpoints } returns at most 400 rows, oldest first, no paging'. The emulator
    caps the list the same way; the truth is read through REST v2, which lists all. At the cap a list
    cannot show a new endpoint, so the backend refuses to read it as complete: the create either
    finds out or says the endpoint may exist -- it never makes a second one."""
    kind = ENDPOINT_GRAPHQL
    world = World(flavor=kind.flavor)
    for i in range(LIST_CAP):
        body = {"name": f"older-{i}", "type": "QUEUE", "image": "i:1", "gpu": {"pools": ["ADA_24"]},
                "scaling": {"type": "QUEUE_DELAY", "queueDelay": 4}}  # fmt: skip
        assert world.truth.client.post("/v2/serverless", json=body).status_code == 201
    provider = world.provider(kind.provider, **kind.config)
    program = dict(kind.program)
    if auto_named:
        del program["name"]
        program["auto_name_prefix"] = "svc"
    with world.operation():
        world.emulator.faults.set([Fault("lose_response", match=kind.create_operation)])
        made: str | None = None
        said = ""
        try:
            checked = provider.check({}, program).inputs
            made = provider.create(checked).id
        except ProviderError as unknown:  # saying it cannot tell is fine; a second endpoint is not
            said = str(unknown)
    # An explicit name is refused before anything is sent (the list before the create is cut short);
    # an auto-named create was sent, its answer lost, and the capped list cannot tell: "may exist".
    assert made is None
    assert ("may exist" if auto_named else "the most it lists") in said, said
    named = [id_ for id_, record in ENDPOINT_REST.truth(world).items() if record.name == checked["name"]]
    assert len(named) == (1 if auto_named else 0), f"{len(named)} endpoints named {checked['name']!r}"
