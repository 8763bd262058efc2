"""The 0.1 fixture's program moved to today's input names (tests/fixtures/legacy_0_1/moved.json),
with the same resource names, so its resources are the state's resources."""

import json
from pathlib import Path

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

for name, inputs in json.loads((Path(__file__).parent / "moved.json").read_text()).items():
    ServerlessEndpoint(name, ServerlessEndpointArgs(**inputs))
