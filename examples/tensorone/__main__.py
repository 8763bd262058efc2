"""The same resource on Tensor One (RunPod's GraphQL surface, GraphQL only).

pulumi config set --secret runpod:apiKey <Tensor One key>
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

endpoint = ServerlessEndpoint(
    "worker",
    ServerlessEndpointArgs(
        name="tensorone-worker",
        image="ghcr.io/example/worker:1.0",
        gpu_pools=["AMPERE_16", "AMPERE_24"],
        data_center_ids=["US-TX-3"],
        workers_max=2,
        flashboot=True,
        execution_timeout_ms=300_000,
        env={"LOG_LEVEL": "info"},
    ),
)

pulumi.export("endpoint_id", endpoint.id)
pulumi.export("url", endpoint.run_url)
pulumi.export("backend", endpoint.backend)
