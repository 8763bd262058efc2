"""python -m pulumi_runpod_endpoint.emulator --port N [options]

Serves RunPod's APIs (REST v2 at /v2, GraphQL at /graphql) or Tensor One's (GraphQL only) on
one port, with the control API at /_emulator. Prints one line when ready:

    RunPod API emulator (runpod) ready on http://127.0.0.1:PORT (GraphQL /graphql, REST /v2)
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

import uvicorn

from .app import FLAVORS, Emulator
from .clock import DEFAULT_START, Clock, ManualClock, SystemClock
from .faults import Fault
from .settings import EmulatorSettings, parse_rate_limits


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_runpod_endpoint.emulator",
        description="Serve a RunPod-compatible API (REST /v2, GraphQL /graphql) for offline use and tests.",
    )
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any non-empty key)")
    parser.add_argument(
        "--flavor", choices=FLAVORS, default="runpod", help="which API to imitate (tensorone: GraphQL only)"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='inject a fault, e.g. \'{"kind": "rate_limit", "times": 2}\' (repeatable)',
    )
    parser.add_argument(
        "--clock",
        choices=("system", "manual"),
        default="system",
        help="manual: time stands still until POST /_emulator/clock moves it (tests never sleep)",
    )
    parser.add_argument(
        "--clock-start", default=None, help="a manual clock's start, RFC 3339 (default 2026-11-29T12:00:00Z)"
    )
    parser.add_argument(
        "--rate-limit",
        default=None,
        metavar="WINDOWS",
        help="impose a REST v2 rate limit per key, e.g. minute=60,hour=3000 (RateLimit headers on every answer)",
    )
    parser.add_argument(
        "--rate-limit-exempt-key", action="append", default=[], metavar="KEY", help="a key the rate limit spares"
    )
    parser.add_argument("--forbidden-key", action="append", default=[], metavar="KEY", help="a key that gets 403")
    parser.add_argument("--drain-seconds", type=float, default=0.0, help="how long scaled-down workers drain")
    parser.add_argument("--rollout-seconds", type=float, default=1.0, help="how long a release takes to roll out")
    parser.add_argument(
        "--worker-quota", type=int, default=None, help="the account's total workers (sum of workers.max)"
    )
    return parser


def _clock(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Clock:
    if args.clock == "system":
        return SystemClock()
    start = DEFAULT_START
    if args.clock_start:
        try:
            start = datetime.fromisoformat(args.clock_start.replace("Z", "+00:00")).timestamp()
        except ValueError as error:
            parser.error(f"--clock-start: {error}")
    return ManualClock(start)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = EmulatorSettings(
        latency_seconds=args.latency,
        drain_seconds=args.drain_seconds,
        rollout_seconds=args.rollout_seconds,
        worker_quota=args.worker_quota,
        forbidden_keys=set(args.forbidden_key),
        rate_limit_exempt_keys=set(args.rate_limit_exempt_key),
    )
    try:
        if args.rate_limit:
            settings.rate_limits = parse_rate_limits(args.rate_limit)
    except ValueError as error:
        parser.error(f"--rate-limit: {error}")
    emulator = Emulator(flavor=args.flavor, api_key=args.api_key, clock=_clock(args, parser), settings=settings)
    try:
        emulator.faults.set([Fault.from_json(json.loads(item)) for item in args.fault])
    except (ValueError, TypeError) as error:
        parser.error(f"--fault: {error}")

    # Idle connections live longer than uvicorn's 5 s default, as behind RunPod's edge: a client that
    # pauses between calls (a `pulumi` step, a rollout wait) must not race the server closing them.
    config = uvicorn.Config(
        emulator.app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=75,
    )
    server = uvicorn.Server(config)
    original_startup = server.startup
    apis = "GraphQL /graphql" if args.flavor == "tensorone" else "GraphQL /graphql, REST /v2"

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
        print(f"RunPod API emulator ({args.flavor}) ready on http://{args.host}:{port} ({apis})", flush=True)

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
