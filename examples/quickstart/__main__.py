"""Quickstart: one Serverless endpoint, straight from a container image (no template to make first).

./scripts/quickstart points this stack at the bundled emulator. For real RunPod:

    pulumi config set --secret runpod:apiKey rpa_...
    pulumi config rm runpod:restUrl; pulumi config rm runpod:apiUrl
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()

endpoint = ServerlessEndpoint(
    "inference",
    ServerlessEndpointArgs(
        name="inference",
        image=config.get("image") or "runpod/worker-v1-vllm:v2.7.0stable-cuda12.1.0",
        gpu_pools=["ADA_24", "AMPERE_24"],  # a set: workers land on whichever has capacity
        workers_min=0,
        workers_max=config.get_int("workersMax") or 3,
        idle_timeout=5,
        scaler_type="QUEUE_DELAY",
        scaler_value=4,
        flashboot="FLASHBOOT",
        execution_timeout_ms=600_000,
        env={"MODEL_NAME": "Qwen/Qwen2.5-0.5B-Instruct"},
    ),
)

pulumi.export("endpoint_id", endpoint.id)
pulumi.export("url", endpoint.run_url)
pulumi.export("runsync_url", endpoint.runsync_url)
pulumi.export("workers_max", endpoint.workers_max)
pulumi.export("backend", endpoint.backend)
