"""N endpoints, ours or the reference provider's, for bench/stack.py.

Config: ``bench:impl`` (ours | reference), ``bench:count``, ``bench:workersMax`` (the update phase
changes it), ``bench:names`` (auto: ours names them from the resource name, one request per create;
chosen: the program names them, and ours lists before creating).
"""

import os

import pulumi

if os.environ.get("BENCH_PROFILE"):  # where the program's time goes: cProfile to that file at exit
    import atexit
    import cProfile

    _profile = cProfile.Profile()
    _profile.enable()

    def _write_profile() -> None:
        _profile.disable()
        _profile.dump_stats(os.environ["BENCH_PROFILE"])

    atexit.register(_write_profile)

config = pulumi.Config("bench")
impl = config.require("impl")
count = config.require_int("count")
workers_max = config.get_int("workersMax") or 3
chosen = config.get("names") == "chosen"

if impl == "ours":
    from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

    for index in range(count):
        ServerlessEndpoint(
            f"ep-{index}",
            ServerlessEndpointArgs(
                name=f"ep-{index}" if chosen else None,
                image="runpod/worker:1",
                gpu_pools=["AMPERE_16"],
                workers_min=0,
                workers_max=workers_max,
            ),
        )
else:
    from bench.reference_provider import ReferenceEndpoint, ReferenceFullEndpoint
    from pulumi_runpod_endpoint.endpoint.names import PLACEHOLDERS

    # "reference-wide": the reference with ours's number of output placeholders (what do they cost?);
    # "reference-full": with ours's placeholders and ours's state (ReferenceFullProvider)
    wide = {
        "reference-wide": dict.fromkeys(f"out_{n}" for n in range(30)),
        "reference-full": dict.fromkeys(PLACEHOLDERS),
    }.get(impl, {})
    resource = ReferenceFullEndpoint if impl == "reference-full" else ReferenceEndpoint
    for index in range(count):
        resource(
            f"ep-{index}",
            {
                **wide,
                "name": f"ep-{index}",
                "image": "runpod/worker:1",
                "gpu_pools": ["AMPERE_16"],
                "workers_min": 0,
                "workers_max": workers_max,
            },
        )
