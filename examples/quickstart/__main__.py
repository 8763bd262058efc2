"""Quickstart: one Serverless endpoint.

By default ./scripts/quickstart points this stack at the bundled emulator. For real RunPod:

    pulumi config set --secret runpod:apiKey rpa_...
    pulumi config rm runpod:apiUrl; pulumi config rm runpod:restUrl
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()
template_id = config.get("templateId") or "tmplquickstart"

endpoint = ServerlessEndpoint(
    "inference",
    ServerlessEndpointArgs(
        name="inference",
        template_id=template_id,
        gpu_ids=["AMPERE_16", "ADA_24"],
        workers_min=0,
        workers_max=config.get_int("workersMax") or 3,
        idle_timeout=5,
        scaler_type="QUEUE_DELAY",
        scaler_value=4,
        flashboot=True,
        execution_timeout_ms=600_000,
    ),
)

pulumi.export("endpoint_id", endpoint.id)
pulumi.export("url", endpoint.run_url)
pulumi.export("runsync_url", endpoint.runsync_url)
pulumi.export("workers_max", endpoint.workers_max)
