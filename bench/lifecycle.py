"""Benchmark: API calls per provider operation, ours next to the reference and the minimum.

    python bench/lifecycle.py [--latency 0.05] [--repeat 3] [--via both|process|host]

Starts the emulator on a loopback port (``--latency`` seconds added to every API request) and runs
each operation of one endpoint's life -- check, diff, create (auto-named and explicitly named), read,
update (workers only, image), delete, and a create whose answer is lost after the API committed it --
through our provider and through the reference provider (``bench/reference_provider.py``: the same
requests, nothing else), first in this process, then through the SDK's dynamic-provider host over
gRPC (``python -m pulumi.dynamic``, as the engine drives it). Calls come from the emulator's journal;
times are medians of ``--repeat`` runs.

"minimum" is the fewest requests that do the operation correctly: a create whose answer is lost must
find the endpoint it made (a list) and, for a name the program chose, must also have listed before
creating so that it can never take another stack's endpoint of the same name for its own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (
    KEY,
    PROVIDERS,
    Host,
    Timer,
    median,
    ms,
    ours_inputs,
    provider_config,
    reference_inputs,
    table,
)
from pulumi_runpod_endpoint.emulator import EmulatorProcess

# operation -> fewest requests that do it correctly
MINIMUM: dict[str, int] = {
    "check": 0,
    "diff (no change)": 0,
    "diff (workers_max changed)": 0,
    "create (auto-named)": 1,
    "create (name chosen by the program)": 1,
    "read (refresh)": 1,
    "update (workers only)": 1,
    "update (image)": 1,
    "delete (scale to 0, delete, verify)": 3,
    "create, answer lost (auto-named)": 2,
    "create, answer lost (name chosen)": 3,
}


class Driver(Protocol):
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...
    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> bool: ...
    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]: ...
    def read(self, id_: str, props: dict[str, Any]) -> dict[str, Any]: ...
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]: ...
    def delete(self, id_: str, props: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


class InProcess:
    """A provider object called directly, as the host would call it after unpickling."""

    def __init__(self, which: str, url: str) -> None:
        from pulumi.dynamic import ConfigureRequest
        from pulumi.dynamic.config import Config

        if which == "ours":
            from pulumi_runpod_endpoint.endpoint.provider import ServerlessEndpointProvider

            self.provider: Any = ServerlessEndpointProvider()
        else:
            from bench.reference_provider import ReferenceProvider

            self.provider = ReferenceProvider()
        self.provider.configure(ConfigureRequest(Config(provider_config(url), "bench")))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        result = self.provider.check(olds, news)
        if result.failures:
            raise RuntimeError(f"check failed: {result.failures}")
        return dict(result.inputs)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        return bool(self.provider.diff(id_, olds, news).changes)

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        result = self.provider.create(props)
        return str(result.id), dict(result.outs)

    def read(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        return dict(self.provider.read(id_, props).outs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        return dict(self.provider.update(id_, olds, news).outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.provider.delete(id_, props)

    def close(self) -> None:
        pass


class ThroughHost:
    """The same operations as gRPC calls to the SDK's dynamic-provider host."""

    def __init__(self, which: str, url: str) -> None:
        self.host = Host(PROVIDERS[which])
        self.host.configure(provider_config(url))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        return self.host.check("ep", olds, news)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        return self.host.diff("ep", id_, olds, news) == 2  # DIFF_SOME

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return self.host.create("ep", props)

    def read(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        return self.host.read("ep", id_, props)[1]

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        return self.host.update("ep", id_, olds, news)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.host.delete("ep", id_, props)

    def close(self) -> None:
        self.host.stop()


@dataclass
class Row:
    calls: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    note: str = ""


class Recorder:
    def __init__(self, emulator: EmulatorProcess) -> None:
        self.emulator = emulator
        self.rows: dict[str, Row] = {}

    def measure(self, label: str, action: Callable[[], Any]) -> Any:
        self.emulator.clear_journal()
        timer = Timer()
        row = self.rows.setdefault(label, Row())
        try:
            result = timer.run(action)
        except Exception as error:  # the reference has no recovery: a lost answer is its failure
            row.note = f"failed: {type(error).__name__}"
            result = None
        row.seconds.append(timer.seconds)
        row.calls = [f"{e['method']} {e['status']}" for e in self.emulator.journal()]
        return result


def _endpoints(emulator: EmulatorProcess) -> list[dict[str, Any]]:
    response = emulator.http.get("/v2/serverless", headers={"Authorization": f"Bearer {KEY}"})
    return response.json()["endpoints"]  # type: ignore[no-any-return]


def _clean(emulator: EmulatorProcess) -> int:
    """Delete whatever is left (an orphan of a failed create); return how many there were."""
    left = _endpoints(emulator)
    for endpoint in left:
        auth = {"Authorization": f"Bearer {KEY}"}
        emulator.http.patch(f"/v2/serverless/{endpoint['id']}", json={"workers": {"min": 0, "max": 0}}, headers=auth)
        emulator.http.delete(f"/v2/serverless/{endpoint['id']}", headers=auth)
    return len(left)


def run_once(driver: Driver, which: str, emulator: EmulatorProcess, rec: Recorder, round_: int) -> None:
    def inputs(name: str | None, **changes: Any) -> dict[str, Any]:
        if which == "ours":
            return ours_inputs(name, **changes)
        return reference_inputs(name or f"bench-{round_}", **changes)

    news = inputs(None)
    checked = rec.measure("check", lambda: driver.check({}, news))
    id_, outs = rec.measure("create (auto-named)", lambda: driver.create(checked))
    again = driver.check(outs, news)
    rec.measure("diff (no change)", lambda: driver.diff(id_, outs, again))
    outs = rec.measure("read (refresh)", lambda: driver.read(id_, outs))
    wider = driver.check(outs, inputs(None, workers_max=5))
    rec.measure("diff (workers_max changed)", lambda: driver.diff(id_, outs, wider))
    outs = rec.measure("update (workers only)", lambda: driver.update(id_, outs, wider))
    image = driver.check(outs, inputs(None, workers_max=5, image="runpod/worker:2"))
    outs = rec.measure("update (image)", lambda: driver.update(id_, outs, image))
    rec.measure("delete (scale to 0, delete, verify)", lambda: driver.delete(id_, outs))

    named = driver.check({}, inputs(f"bench-named-{round_}"))
    made = rec.measure("create (name chosen by the program)", lambda: driver.create(named))
    if which == "ours":
        note = "the list first: a lost answer is then never mistaken for another's endpoint of that name"
        rec.rows["create (name chosen by the program)"].note = note
    if made is not None:
        driver.delete(made[0], made[1])

    for label, source in (
        ("create, answer lost (auto-named)", news),
        ("create, answer lost (name chosen)", inputs(f"bench-lost-{round_}")),
    ):
        props = driver.check({}, source)
        emulator.set_faults({"kind": "lose_response", "match": "createEndpoint"})
        made = rec.measure(label, lambda props=props: driver.create(props))  # type: ignore[misc]
        emulator.clear_faults()
        left = len(_endpoints(emulator))
        row = rec.rows[label]
        if made is None:
            row.note = f"{row.note}; {left} endpoint(s) left that the state does not know (orphan)"
            _clean(emulator)
        else:
            row.note = f"recovered: {left} endpoint, the one reported"
            driver.delete(made[0], made[1])


def run(via: str, latency: float, repeat: int) -> None:
    with EmulatorProcess(api_key=KEY, latency=latency) as emulator:
        recorders: dict[str, Recorder] = {}
        drivers: dict[str, Driver] = {}
        for which in ("ours", "reference"):
            drivers[which] = InProcess(which, emulator.url) if via == "process" else ThroughHost(which, emulator.url)
            recorders[which] = Recorder(emulator)
        try:
            for round_ in range(repeat):
                order = ("ours", "reference") if round_ % 2 == 0 else ("reference", "ours")
                for which in order:
                    run_once(drivers[which], which, emulator, recorders[which], round_)
        finally:
            for driver in drivers.values():
                driver.close()
    ours, ref = recorders["ours"].rows, recorders["reference"].rows
    where = "in this process" if via == "process" else "through the SDK's dynamic-provider host (gRPC)"
    rows = []
    for label, minimum in MINIMUM.items():
        o, r = ours[label], ref[label]
        rows.append(
            [
                label,
                len(o.calls),
                len(r.calls),
                minimum,
                ms(median(o.seconds)),
                ms(median(r.seconds)),
                " ".join(o.calls) or "-",
                o.note or r.note,
            ]
        )
    print(
        table(
            ["operation", "ours", "ref", "min", "ours ms", "ref ms", "ours: requests (method status)", "note"],
            rows,
            title=f"Calls per operation {where}, +{latency * 1000:.0f} ms per API request, "
            f"times median of {repeat} (ref = the reference provider, min = fewest correct)",
        )
    )
    lost = [f"{label}: reference {ref[label].note}" for label in MINIMUM if "lost" in label and ref[label].note]
    for line in lost:
        print("  " + line)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added to every API request")
    parser.add_argument("--repeat", type=int, default=3, help="runs per operation (times are medians)")
    parser.add_argument("--via", choices=("both", "process", "host"), default="both")
    args = parser.parse_args()
    for via in ("process", "host"):
        if args.via in (via, "both"):
            run(via, args.latency, args.repeat)


if __name__ == "__main__":
    main()
