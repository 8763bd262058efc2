"""Load: 200 endpoints (and a mix of the other resources) created, updated and destroyed through the
real dynamic-provider host, with several operations at once (the engine runs up to 8, the host serves
4), against an API that refuses and rate-limits.

Time: the emulator and the host run on one fast clock (``load.py``, ``warp_host.py``), so a minute's
rate-limit window passes in a second of real time; every figure below is on the emulator's clock.

* flaky: 20% of requests answered with the emulator's 429 (Retry-After and its RateLimit headers),
  50 ms latency on every request: converges with no failure, no duplicate, no orphan, and every
  Retry-After honoured (the host's log of each wait, joined to the refused answer by x-request-id);
* paced: the emulator imposes RunPod's documented limit (60 a minute, 3,000 an hour) with RateLimit
  headers: the provider paces itself and a steady run draws no 429 at all;
* unpaced: the same limit without RateLimit headers: the provider converges on Retry-After alone;
* capped: a Retry-After beyond ``runpod:maxRetryWait`` fails the operation at once, saying how long
  RunPod asked to wait -- never a silent half-hour hang.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import grpc
import httpx
import pytest
from pulumi.runtime.proto import provider_pb2

from pulumi_runpod_endpoint.emulator import Emulator, EmulatorSettings, Fault
from tests.conftest import API_KEY
from tests.engine.harness import to_struct
from tests.reliability.load import Recorder, ServedEmulator, WarpClock, WarpedHost, waits_logged
from tests.reliability.table import TABLE

pytestmark = [pytest.mark.slow, pytest.mark.engine]

ENDPOINTS = 200
ENGINE_PARALLEL = 8  # pulumi up's default --parallel; the host serves 4 of them at a time
TRUTH_KEY = "rpa_TRUTH_exempt_from_the_rate_limit"


@dataclass(frozen=True)
class Resource:
    """One resource of the fleet: how the program declares it, how an update changes it."""

    name: str
    kind: str
    program: dict[str, Any]
    changed: dict[str, Any]
    collection: str
    list_key: str


def _endpoints(count: int) -> list[Resource]:
    fleet = []
    for i in range(count):
        naming = {"name": f"svc-{i}"} if i % 10 == 0 else {"auto_name_prefix": f"ep{i}"}  # a tenth named
        program = {**naming, "image": "runpod/worker:1.0", "gpu_pools": ["ADA_24"], "workers_max": 1}
        fleet.append(Resource(f"ep{i}", "endpoint", program, {"workers_max": 2}, "serverless", "endpoints"))
    return fleet


def _others(served: set[str]) -> list[Resource]:
    """Network volumes, templates and registry credentials, where the emulator serves them."""
    fleet = []
    for i in range(10):
        if "network-volumes" in served:
            program = {"auto_name_prefix": f"vol{i}", "size_gb": 10, "data_center_id": "EU-RO-1"}
            fleet.append(Resource(f"vol{i}", "volume", program, {"size_gb": 20}, "network-volumes", "networkVolumes"))
        if "templates" in served:
            program = {"auto_name_prefix": f"tpl{i}", "image": "runpod/base:1.0"}
            fleet.append(
                Resource(f"tpl{i}", "template", program, {"image": "runpod/base:2.0"}, "templates", "templates")
            )
        if "registries" in served:
            program = {"auto_name_prefix": f"reg{i}", "username": "robot", "password": f"token-{i}"}
            fleet.append(Resource(f"reg{i}", "registry", program, {}, "registries", "registries"))
    return fleet


@dataclass
class Run:
    """One scenario: the emulator behind its recorder, the host, and what the provider reported."""

    emulator: Emulator
    recorder: Recorder
    served: ServedEmulator
    host: WarpedHost
    truth: httpx.Client
    fleet: list[Resource] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    outs: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    phases: dict[str, tuple[float, float, int]] = field(default_factory=dict)  # start, end, requests

    def held(self, resource: Resource) -> dict[str, dict[str, Any]]:
        answer = self.truth.get(f"/v2/{resource.collection}")
        assert answer.status_code == 200, answer.text
        return {item["id"]: item for item in answer.json()[resource.list_key]}

    def phase(self, name: str, work: Callable[[Resource], None]) -> None:
        before = len(self.recorder.snapshot())
        start = self.recorder.clock.now()

        def guarded(resource: Resource) -> None:
            try:
                work(resource)
            except grpc.RpcError as error:
                self.failures.append(f"{name} {resource.name}: {error.details()}")

        with ThreadPoolExecutor(ENGINE_PARALLEL) as pool:
            list(pool.map(guarded, self.fleet))
        self.phases[name] = (start, self.recorder.clock.now(), len(self.recorder.snapshot()) - before)

    def up(self) -> None:
        def create(resource: Resource) -> None:
            inputs, failures = self.host.check(resource.name, {}, resource.program, kind=resource.kind)
            assert failures == [], failures
            self.ids[resource.name], self.outs[resource.name] = self.host.create(
                resource.name, inputs, kind=resource.kind
            )
            self.inputs[resource.name] = inputs

        self.phase("create", create)

    def update(self) -> None:
        def update(resource: Resource) -> None:
            olds = self.inputs[resource.name]
            news, failures = self.host.check(
                resource.name, olds, {**resource.program, **resource.changed}, kind=resource.kind
            )
            assert failures == [], failures
            self.outs[resource.name] = self.host.update(
                resource.name, self.ids[resource.name], self.outs[resource.name], news, kind=resource.kind
            )
            self.inputs[resource.name] = news

        self.phase("update", update)

    def destroy(self) -> None:
        def delete(resource: Resource) -> None:
            self.host.delete(resource.name, self.ids[resource.name], self.outs[resource.name], kind=resource.kind)

        self.phase("destroy", delete)


@pytest.fixture
def run(request: pytest.FixtureRequest) -> Iterator[Callable[..., Run]]:
    made: list[Run] = []

    def start(
        *, factor: float, settings: EmulatorSettings, config: dict[str, str] | None = None, **recorder: Any
    ) -> Run:
        clock = WarpClock(factor)
        settings.rate_limit_exempt_keys = {TRUTH_KEY}
        emulator = Emulator(flavor="runpod", clock=clock, settings=settings)
        recording = Recorder(emulator, clock, **recorder)
        served = ServedEmulator(recording)
        host = WarpedHost(factor)
        truth = httpx.Client(
            transport=emulator.transport(), base_url="http://emulator", headers={"Authorization": f"Bearer {TRUTH_KEY}"}
        )
        scenario = Run(emulator, recording, served, host, truth)
        made.append(scenario)
        host.configure(
            {
                "runpod:apiKey": API_KEY,
                "runpod:restUrl": f"{served.url}/v2",
                "runpod:apiUrl": f"{served.url}/graphql",
                **(config or {}),
            }
        )
        served_paths = {
            path
            for path in ("network-volumes", "templates", "registries")
            if truth.get(f"/v2/{path}").status_code == 200
        }
        scenario.fleet = _endpoints(ENDPOINTS) + _others(served_paths)
        return scenario

    yield start
    for scenario in made:
        log = scenario.host.stop()
        scenario.served.stop()
        scenario.truth.close()
        assert API_KEY not in log


def _converged(run: Run) -> None:
    """Every phase succeeded; the API held exactly what was reported, then nothing."""
    assert run.failures == [], run.failures[:5]


def _check_created(run: Run) -> None:
    for collection in {r.collection for r in run.fleet}:
        group = [r for r in run.fleet if r.collection == collection]
        held = run.held(group[0])
        reported = {run.ids[r.name] for r in group}
        assert set(held) == reported, f"{collection}: {len(held)} held, {len(reported)} reported"
        names = [item["name"] for item in held.values()]
        assert len(names) == len(set(names)), f"{collection}: duplicate names"


def _check_updated(run: Run) -> None:
    """Every update is on the API (registry credentials have nothing to update: any change replaces)."""
    reads: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
        "endpoint": lambda item: {"workers_max": item["workers"]["max"]},
        "volume": lambda item: {"size_gb": item["size"]},
        "template": lambda item: {"image": item["image"]},
        "registry": lambda item: {},
    }
    for collection in {r.collection for r in run.fleet}:
        group = [r for r in run.fleet if r.collection == collection]
        held = run.held(group[0])
        for resource in group:
            assert reads[resource.kind](held[run.ids[resource.name]]) == resource.changed, resource.name


def _check_destroyed(run: Run) -> None:
    for collection in {r.collection for r in run.fleet}:
        group = [r for r in run.fleet if r.collection == collection]
        assert run.held(group[0]) == {}, f"{collection}: orphans after destroy"


def _honoured(run: Run) -> tuple[int, int]:
    """(429s answered, 429s after which the host waited at least the Retry-After)."""
    waits = waits_logged(run.host.stderr())
    refused = [e for e in run.recorder.snapshot() if e.status == 429]
    honoured = [
        e for e in refused if e.retry_after is not None and waits.get(e.request_id, -1) >= e.retry_after - 0.005
    ]
    return len(refused), len(honoured)


def _report(name: str, run: Run) -> None:
    exchanges = run.recorder.snapshot()
    refused, honoured = _honoured(run)
    paced = sum(1 for line in run.host.stderr().splitlines() if "for RunPod's rate limit" in line)
    start, end = min(e.start for e in exchanges), max(e.end for e in exchanges)
    per_phase = ", ".join(f"{phase} {e - s:.0f}s/{n} req" for phase, (s, e, n) in run.phases.items())
    TABLE.note(
        f"load {name}: {len(run.fleet)} resources ({ENDPOINTS} endpoints), {len(exchanges)} requests, "
        f"{refused} answered 429, {honoured} Retry-After waits honoured, {paced} pacing waits, "
        f"{len(run.failures)} failures, "
        f"{end - start:.0f}s on the emulator's clock ({per_phase})"
    )


def _up_update_destroy(run: Run) -> None:
    """The whole life of the load's stack, each phase converged and checked before the next."""
    run.up()
    _converged(run)
    _check_created(run)
    run.update()
    _converged(run)
    _check_updated(run)
    run.destroy()
    _converged(run)
    _check_destroyed(run)


def test_flaky_api_20_percent_429_and_50ms_latency_converges_honouring_every_retry_after(
    run: Callable[..., Run],
) -> None:
    scenario = run(factor=20, settings=EmulatorSettings(latency_seconds=0.05), refuse_share=0.2, retry_after=1.0)
    _up_update_destroy(scenario)
    refused, honoured = _honoured(scenario)
    _report("flaky (20% 429, 50 ms)", scenario)
    assert refused >= 0.15 * len(scenario.recorder.snapshot())  # the API really refused a fifth of requests
    assert honoured == refused


def test_rate_limit_headers_pace_a_steady_run_to_no_429(run: Callable[..., Run]) -> None:
    scenario = run(factor=60, settings=EmulatorSettings(rate_limits={"minute": 60, "hour": 3000}))
    _up_update_destroy(scenario)
    _report("paced (60/min, 3000/h, RateLimit headers)", scenario)
    exchanges = scenario.recorder.snapshot()
    assert all(e.ratelimit for e in exchanges), "the emulator sent RateLimit headers on every answer"
    assert [e for e in exchanges if e.status == 429] == []


def test_without_rate_limit_headers_it_converges_on_retry_after(run: Callable[..., Run]) -> None:
    scenario = run(factor=60, settings=EmulatorSettings(rate_limits={"minute": 60, "hour": 3000}), strip_ratelimit=True)
    _up_update_destroy(scenario)
    refused, honoured = _honoured(scenario)
    _report("unpaced (60/min, 3000/h, no RateLimit headers)", scenario)
    assert refused > 0 and honoured == refused


def test_a_retry_after_beyond_the_cap_fails_at_once_with_the_wait_asked(run: Callable[..., Run]) -> None:
    scenario = run(factor=1, settings=EmulatorSettings(), config={"runpod:maxRetryWait": "60"})
    scenario.emulator.faults.set([Fault("rate_limit", match="createEndpoint", retry_after=1800, times=-1)])
    resource = scenario.fleet[0]
    inputs, _ = scenario.host.check(resource.name, {}, resource.program)
    started = scenario.recorder.clock.now()
    request = provider_pb2.CreateRequest(urn=scenario.host.urn(resource.name), properties=to_struct(inputs))
    with pytest.raises(grpc.RpcError) as refused:
        scenario.host.stub.Create(request, timeout=120)  # a regression fails here instead of hanging half an hour
    assert refused.value.code() == grpc.StatusCode.UNKNOWN, "the create hung until the deadline"
    message = str(refused.value.details())
    assert "1800s" in message and "runpod:maxRetryWait" in message
    assert scenario.recorder.clock.now() - started < 60  # failed instead of waiting half an hour
    assert scenario.held(resource) == {}
    said = message.strip().splitlines()[-1]
    said = said[said.find("RunPod asked") :] if "RunPod asked" in said else said
    TABLE.note(f"load capped: Retry-After 1800s, runpod:maxRetryWait 60 -> failed at once: {said[:200]}")


def test_an_exhausted_hour_window_fails_at_once_with_the_wait_it_needs(run: Callable[..., Run]) -> None:
    """The RateLimit headers say the hour's quota is spent: waiting for it exceeds the cap, so the
    provider fails before sending, saying how long, instead of hanging or hammering."""
    scenario = run(factor=1, settings=EmulatorSettings(rate_limits={"hour": 3}), config={"runpod:maxRetryWait": "60"})
    outcomes = []
    for resource in scenario.fleet[:3]:
        inputs, _ = scenario.host.check(resource.name, {}, resource.program)
        try:
            scenario.host.create(resource.name, inputs)
            outcomes.append("created")
        except grpc.RpcError as error:
            outcomes.append(str(error.details()))
    assert outcomes[:1] == ["created"]
    refused = outcomes[-1]
    assert "hour window" in refused and "runpod:maxRetryWait" in refused
    assert len([e for e in scenario.recorder.snapshot() if e.status == 429]) <= 1
