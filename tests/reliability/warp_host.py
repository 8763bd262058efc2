"""The Pulumi SDK's dynamic-provider host (``python -m pulumi.dynamic``), on a fast clock.

    python tests/reliability/warp_host.py FACTOR

Time in this process runs FACTOR times faster: ``time.monotonic``, ``time.time`` and ``time.sleep``
are scaled before anything else is imported, so the provider's session -- its Retry-After waits, its
rate-limit pacing, its backoff -- runs unchanged, only faster, against an emulator whose clock runs at
the same speed. A minute's rate-limit window passes in a second; nothing else about the host differs.

The provider's own log (``pulumi_runpod_endpoint``, INFO: every retry and every pacing wait, with the
x-request-id of the answer it waited after) goes to stderr, for the load test to check each wait;
with ``RELIABILITY_HOST_LOG=DEBUG`` every library's DEBUG log goes there too (the leak check).
"""

from __future__ import annotations

import logging
import os
import runpy
import sys
import time


def main() -> None:
    factor = float(sys.argv[1])
    real_sleep, real_monotonic, real_time = time.sleep, time.monotonic, time.time
    monotonic_start, time_start = real_monotonic(), real_time()

    def monotonic() -> float:
        return monotonic_start + (real_monotonic() - monotonic_start) * factor

    def wall() -> float:
        return time_start + (real_time() - time_start) * factor

    def sleep(seconds: float) -> None:
        real_sleep(max(seconds, 0.0) / factor)

    time.monotonic, time.time = monotonic, wall
    time.sleep = sleep  # type: ignore[assignment]  # float-only is all the provider passes
    debug = os.environ.get("RELIABILITY_HOST_LOG") == "DEBUG"  # everything: httpx, httpcore, grpc, ours
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING, format="%(name)s %(message)s", stream=sys.stderr
    )
    logging.getLogger("pulumi_runpod_endpoint").setLevel(logging.DEBUG if debug else logging.INFO)
    sys.argv = sys.argv[:1]
    runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
