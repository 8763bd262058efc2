"""Benchmark: the real ``pulumi`` CLI on a stack of N endpoints, ours next to the reference provider.

    python bench/stack.py [--counts 1,10,50,200] [--latency 0.1] [--repeat 1]
    python bench/stack.py --rate minute=60,hour=3000 [--counts 10,50,200]       under RunPod's rate limit

Each N gets its own emulator (``--latency`` seconds added to every API request) and one stack per
provider (bench/stack_program: ours, or ``bench/reference_provider.py``'s resource with the same
inputs), each with a local file backend. The phases run in turn, ours and the reference interleaved
(the order flips every repetition): create (``up``), preview (no change, ``--expect-no-changes``),
refresh, update (``workers_max`` 3 -> 5, ``up``), destroy. Every row shows the API requests of the
phase (the emulator's journal), its wall time and the paired ratio ours/reference, next to a floor:
the requests' latency spread over the SDK host's concurrent operations (``requests x latency / 4``).

With ``--rate`` the emulator imposes RunPod's rate limit (RateLimit headers on every answer) and only
our provider runs (the reference has no pacing and would be refused); the floor is then the rate
limit's own, ``requests / rate``, and the 429 column counts refusals (our session paces on the
headers, so it should stay 0). Each stack uses its own API key, so every run starts with a full quota.

The CLI is the one scripts/install-pulumi-cli.sh builds (PULUMI_CLI_BIN, or the cache under
~/.cache/pulumi-runpod-endpoint). A quick run: ``--counts 1,10 --latency 0.05`` (about a minute);
``--rate minute=600,hour=30000 --counts 10,50`` for the rate-limited path in a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import ROOT, host_concurrency, median, precompile, ratio, table
from pulumi_runpod_endpoint.emulator import EmulatorProcess

PHASES = ("create", "preview", "refresh", "update", "destroy")
PROGRAM = ROOT / "bench" / "stack_program"
PASSPHRASE = "bench-passphrase"
WINDOWS = {"minute": 60.0, "hour": 3600.0, "day": 86400.0}


def cli_bin() -> Path:
    configured = os.environ.get("PULUMI_CLI_BIN")
    candidates = (
        [Path(configured)]
        if configured
        else sorted((Path.home() / ".cache" / "pulumi-runpod-endpoint").glob("pulumi-v*/bin"))[::-1]
    )
    for candidate in candidates:
        if (candidate / "pulumi").is_file() and (candidate / "pulumi-language-python-host").is_file():
            return candidate
    sys.exit("the pulumi CLI is not built: run scripts/install-pulumi-cli.sh (needs Go), or set PULUMI_CLI_BIN")


def engine_parallelism(binary: Path, asked: int | None) -> str:
    if asked is not None:
        return f"{asked} (--parallel)"
    help_text = subprocess.run([str(binary / "pulumi"), "up", "--help"], capture_output=True, text=True).stdout
    match = re.search(r"--parallel int32.*\(default (\d+)\)", help_text)
    return f"{match.group(1) if match else '?'} (the CLI's default)"


@dataclass
class Stack:
    """One project copy with its own backend, home and stack, pointed at the emulator."""

    impl: str
    directory: Path
    env: dict[str, str]
    parallel: int | None
    log: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, impl: str, root: Path, binary: Path, url: str, key: str, count: int, names: str,
             parallel: int | None) -> Stack:  # fmt: skip
        directory = root / impl / "program"
        shutil.copytree(PROGRAM, directory, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RUNPOD_", "PULUMI_"))}
        env.update(
            PATH=os.pathsep.join([str(binary), str(Path(sys.executable).parent), env.get("PATH", "")]),
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
            PULUMI_HOME=str(root / impl / "home"),
            PULUMI_BACKEND_URL=f"file://{root / impl / 'backend'}",
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="1",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        )
        (root / impl / "backend").mkdir(parents=True)
        stack = cls(impl, directory, env, parallel)
        stack.pulumi("stack", "init", "bench")
        stack.pulumi("config", "set", "runpod:restUrl", f"{url}/v2")
        stack.pulumi("config", "set", "--secret", "runpod:apiKey", key)
        stack.pulumi("config", "set", "bench:impl", impl)
        stack.pulumi("config", "set", "bench:count", str(count))
        stack.pulumi("config", "set", "bench:names", names)
        stack.pulumi("config", "set", "bench:workersMax", "3")
        return stack

    def pulumi(self, *args: str, timeout: float = 7200) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["pulumi", *args, "--non-interactive"],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        self.log.append(f"$ pulumi {' '.join(args)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        if result.returncode != 0:
            raise RuntimeError(
                f"[{self.impl}] pulumi {' '.join(args)} failed ({result.returncode}):\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def phase(self, name: str) -> float:
        """Run one phase; return its wall time in seconds (config changes before it are not timed)."""
        parallel = ["--parallel", str(self.parallel)] if self.parallel else []
        if name == "update":
            self.pulumi("config", "set", "bench:workersMax", "5")
        command = {
            "create": ["up", "--yes", "--skip-preview"],
            "preview": ["preview", "--expect-no-changes"],
            "refresh": ["refresh", "--yes", "--skip-preview"],
            "update": ["up", "--yes", "--skip-preview"],
            "destroy": ["destroy", "--yes", "--skip-preview"],
        }[name]
        started = time.perf_counter()
        self.pulumi(*command, *parallel)
        return time.perf_counter() - started

    def state_bytes(self) -> dict[str, int]:
        """What one endpoint costs in the checkpoint, as the file backend writes it (compact JSON).

        The engine writes the whole checkpoint again after every step, in one loop (``SnapshotManager``),
        so a stack's create and update time grows with N x these bytes.
        """
        exported = json.loads(self.pulumi("stack", "export").stdout)
        endpoints = [r for r in exported["deployment"]["resources"] if r["type"].endswith("Endpoint")]
        if not endpoints:
            return {}

        def size(value: object) -> int:
            return len(json.dumps(value, separators=(",", ":")))

        return {
            "total": sum(size(r) for r in endpoints) // len(endpoints),
            "inputs": sum(size(r.get("inputs", {})) for r in endpoints) // len(endpoints),
            "outputs": sum(size(r.get("outputs", {})) for r in endpoints) // len(endpoints),
            "stackTrace": sum(size(r.get("stackTrace", [])) for r in endpoints) // len(endpoints),
        }


@dataclass
class Figures:
    seconds: list[float] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def measure(stack: Stack, phase: str, emulator: EmulatorProcess, figures: Figures) -> None:
    emulator.clear_journal()
    figures.seconds.append(stack.phase(phase))
    journal = emulator.journal()
    figures.calls.append(len(journal))
    figures.refused.append(sum(1 for entry in journal if entry["status"] == 429))


def run_count(args: argparse.Namespace, binary: Path, count: int, rate: dict[str, int] | None) -> None:
    impls = ("ours",) if rate else tuple(args.impls.split(","))
    results: dict[str, dict[str, Figures]] = {impl: {p: Figures() for p in PHASES} for impl in impls}
    state: dict[str, dict[str, int]] = {}
    with (
        tempfile.TemporaryDirectory(prefix="runpod-bench-") as tmp,
        EmulatorProcess(latency=args.latency, rate_limits=rate) as emulator,
    ):
        for repetition in range(args.repeat):
            stacks = {
                impl: Stack.make(
                    impl,
                    Path(tmp) / f"r{repetition}",
                    binary,
                    emulator.url,
                    f"bench-{impl}-{count}-{repetition}-{time.time_ns()}",
                    count,
                    args.names,
                    args.parallel,
                )
                for impl in impls
            }
            order = impls if repetition % 2 == 0 else impls[::-1]
            for phase in PHASES:
                for impl in order:
                    measure(stacks[impl], phase, emulator, results[impl][phase])
                    if phase == "create" and impl not in state:
                        state[impl] = stacks[impl].state_bytes()
                    if args.verbose:
                        f = results[impl][phase]
                        print(f"  N={count} {impl:9} {phase:8} {f.calls[-1]:5} calls {f.seconds[-1]:8.2f} s",
                              flush=True)  # fmt: skip
    print_count(args, count, rate, results)
    for impl, sizes in state.items():
        parts = ", ".join(f"{name} {value:,}" for name, value in sizes.items() if name != "total")
        print(f"  state per endpoint, {short(impl)}: {sizes.get('total', 0):,} bytes ({parts})")
    print(flush=True)


def print_count(
    args: argparse.Namespace, count: int, rate: dict[str, int] | None, results: dict[str, dict[str, Figures]]
) -> None:
    rows: list[list[Any]] = []
    if rate:
        # RunPod's advertised rate (the shortest window: "60 a minute"); longer windows bind only once
        # a run's requests exceed their quota (3,000 an hour is 1,200 requests more than N=200 makes)
        shortest = min(rate, key=lambda name: WINDOWS[name])
        per_second = rate[shortest] / WINDOWS[shortest]
        for phase in PHASES:
            f = results["ours"][phase]
            calls, seconds = median(f.calls), median(f.seconds)
            ideal = calls / per_second
            rows.append([phase, f"{calls:.0f}", f"{max(f.refused)}", f"{seconds:.1f}", f"{ideal:.1f}",
                         ratio(seconds, ideal) if ideal else "-"])  # fmt: skip
        limits = ", ".join(f"{quota}/{name}" for name, quota in rate.items())
        title = (
            f"N={count}: ours under a rate limit of {limits} (+{args.latency * 1000:.0f} ms per request), "
            f"median of {args.repeat}; ideal = requests / {rate[shortest]} per {shortest}"
        )
        print(table(["phase", "calls", "429s", "ours s", "ideal s", "ours/ideal"], rows, title=title))
    else:
        others = [impl for impl in results if impl != "ours"]
        headers = ["phase", "ours calls", *[f"{short(i)} calls" for i in others], "ours s"]
        headers += [f"{short(i)} s" for i in others] + [f"ours/{short(i)}" for i in others] + ["floor s"]
        for phase in PHASES:
            o = results["ours"][phase]
            row = [phase, f"{median(o.calls):.0f}", *[f"{median(results[i][phase].calls):.0f}" for i in others]]
            row.append(f"{median(o.seconds):.2f}")
            row += [f"{median(results[i][phase].seconds):.2f}" for i in others]
            for impl in others:
                pairs = [a / b for a, b in zip(o.seconds, results[impl][phase].seconds, strict=True)]
                row.append(f"{median(pairs):.2f}")
            row.append(f"{median(o.calls) * args.latency / 4:.2f}")
            rows.append(row)
        title = (
            f"N={count} endpoints, +{args.latency * 1000:.0f} ms per API request, median of {args.repeat} "
            f"(ours/ref: paired ratio of wall times; floor: ours's requests x latency / 4)"
        )
        print(table(headers, rows, title=title))
        refused = sum(max(f.refused) for figures in results.values() for f in figures.values())
        if refused:
            print(f"  429s seen: {refused}")
    print(flush=True)


def short(impl: str) -> str:
    return {"reference": "ref", "reference-wide": "wide", "reference-full": "full"}.get(impl, impl)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", default="1,10,50,200", help="stack sizes, comma-separated")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every API request")
    parser.add_argument("--repeat", type=int, default=1, help="full cycles per N (ratios are paired medians)")
    parser.add_argument("--rate", default=None, metavar="WINDOWS", help="impose a rate limit, e.g. minute=60,hour=3000")
    parser.add_argument("--names", choices=("auto", "chosen"), default="auto", help="who names ours's endpoints")
    parser.add_argument("--parallel", type=int, default=None, help="the engine's --parallel (default: the CLI's)")
    parser.add_argument(
        "--impls",
        default="ours,reference",
        help="stacks to compare (ours first); reference-wide is the reference with ours's number of output "
        "placeholders, to see what they cost; reference-full has ours's placeholders and ours's state (the "
        "outputs ServerlessEndpoint promises), so ours/full is what our code costs",
    )
    parser.add_argument("--verbose", action="store_true", help="print each phase as it finishes")
    args = parser.parse_args()
    rate = None
    if args.rate:
        rate = {name: int(quota) for name, quota in (item.split("=", 1) for item in args.rate.split(","))}
    binary = cli_bin()
    precompile()
    version = subprocess.run([str(binary / "pulumi"), "version"], capture_output=True, text=True).stdout.strip()
    print(
        f"pulumi CLI {version}; engine parallelism {engine_parallelism(binary, args.parallel)}; "
        f"the SDK's dynamic-provider host serves {host_concurrency()} operations at a time; "
        f"{os.cpu_count()} CPUs; names: {args.names}\n",
        flush=True,
    )
    for count in (int(item) for item in args.counts.split(",")):
        run_count(args, binary, count, rate)


if __name__ == "__main__":
    main()
