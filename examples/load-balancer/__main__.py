"""A load-balancer endpoint: HTTP goes straight to the workers' own server (no queue).

RunPod's load-balancer docs: workers listen on PORT and answer health checks on PORT_HEALTH at
HEALTH_CHECK_PATH (default /ping). Load balancers scale on REQUEST_COUNT (requests per worker).
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

api = ServerlessEndpoint(
    "api",
    ServerlessEndpointArgs(
        name="fastapi-lb",
        type="LOAD_BALANCER",
        image="ghcr.io/example/fastapi-worker:0.3",
        gpu_pools=["AMPERE_16"],
        ports=["8000/http"],
        env={"PORT": "8000", "PORT_HEALTH": "8000", "HEALTH_CHECK_PATH": "/ping"},
        scaler_type="REQUEST_COUNT",
        scaler_value=10,
        workers_min=1,
        workers_max=4,
        wait_for_rollout=True,  # `pulumi up` returns once the workers serve this release
        rollout_timeout_seconds=600,
    ),
)

pulumi.export("base_url", api.request_urls.apply(lambda urls: urls.get("base")))
pulumi.export("health_url", api.health_url)
