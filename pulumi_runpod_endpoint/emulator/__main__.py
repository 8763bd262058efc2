"""python -m pulumi_runpod_endpoint.emulator --port N [--host 127.0.0.1] [--api-key KEY]"""

from __future__ import annotations

import argparse
import json
import sys

import uvicorn

from .app import Emulator
from .faults import Fault


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pulumi_runpod_endpoint.emulator",
        description="Serve a RunPod-compatible API (REST /v1, GraphQL /graphql) for offline use and tests.",
    )
    parser.add_argument("--port", type=int, required=True, help="port to listen on (0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--api-key", default=None, help="accept only this key (default: any non-empty key)")
    parser.add_argument(
        "--flavor",
        choices=("runpod", "tensorone"),
        default="runpod",
        help="which API to imitate (tensorone: GraphQL only, workers as 'clusters')",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every API request")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="JSON",
        help='inject a fault, e.g. \'{"kind": "rate_limit", "times": 2}\' (repeatable)',
    )
    args = parser.parse_args(argv)

    emulator = Emulator(flavor=args.flavor, api_key=args.api_key)
    emulator.state.settings.latency_seconds = args.latency
    try:
        emulator.faults.set([Fault.from_json(json.loads(item)) for item in args.fault])
    except (ValueError, TypeError) as error:
        parser.error(f"--fault: {error}")

    config = uvicorn.Config(emulator.app, host=args.host, port=args.port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    original_startup = server.startup

    async def startup(sockets: object = None) -> None:
        await original_startup(sockets=sockets)  # type: ignore[arg-type]
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
        print(
            f"RunPod API emulator ({args.flavor}) ready on http://{args.host}:{port} (GraphQL /graphql, REST /v1)",
            flush=True,
        )

    server.startup = startup  # type: ignore[method-assign]
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
