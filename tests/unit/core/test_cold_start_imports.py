"""What the dynamic-provider host pays before its first answer: unpickling a provider, configure, check, diff.

The host imports a provider's module to unpickle it, and every ``pulumi up`` and ``preview`` pays
that import before the first Check. check and diff make no request, so the HTTP stack must not load
until an operation sends one: httpx alone pulls click, rich and pygments in through ``httpx._main``
(about 55 ms of the cold start, bench/host.py). One fresh interpreter per case, so nothing this test
run imported counts.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest
from pulumi.dynamic.dynamic import serialize_provider

PROVIDERS = [
    pytest.param(
        "pulumi_runpod_endpoint.endpoint.provider",
        "ServerlessEndpointProvider",
        {"auto_name_prefix": "api", "image": "runpod/worker:1", "gpu_pools": ["AMPERE_16"]},
        id="endpoint",
    ),
    pytest.param(
        "pulumi_runpod_endpoint.provider",
        "ServerlessEndpointProvider",
        {"name": "api", "image": "runpod/worker:1", "gpu_pools": ["AMPERE_16"], "workers_max": 3.0},
        id="endpoint-0.1-path-and-wire-numbers",
    ),
]
HTTP_STACK = ["httpx", "httpcore", "h11", "click", "rich", "pygments"]

# What the host does with a ``__provider`` (pulumi/dynamic/__main__.py, get_provider), then operations.
PROBE = r"""
import base64, json, sys
import dill
from pulumi.dynamic import Config, ConfigureRequest
blob, news = sys.argv[1], json.loads(sys.argv[2])
provider = dill.loads(base64.b64decode(blob))
provider.configure(ConfigureRequest(Config({"runpod:apiKey": "k"}, "project")))
checked = provider.check({}, news)
provider.diff("id", dict(checked.inputs), dict(checked.inputs))
print(json.dumps({"failures": [f.reason for f in checked.failures], "loaded": sorted(sys.modules)}))
"""


@pytest.mark.parametrize(("module", "name", "news"), PROVIDERS)
def test_unpickle_configure_check_diff__load_no_http_stack(module: str, name: str, news: dict[str, object]) -> None:
    blob = serialize_provider(getattr(importlib.import_module(module), name)())  # what the state holds
    result = subprocess.run(
        [sys.executable, "-c", PROBE, blob, json.dumps(news)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failures"] == []
    loaded = {name.split(".")[0] for name in report["loaded"]}
    assert [package for package in HTTP_STACK if package in loaded] == []
