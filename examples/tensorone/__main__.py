"""A Serverless endpoint on Tensor One: the same GraphQL API as RunPod, so the same resource.

pulumi config set --secret runpod:apiKey <Tensor One key>
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

endpoint = ServerlessEndpoint(
    "worker",
    ServerlessEndpointArgs(
        name="tensorone-worker",
        template_id=pulumi.Config().get("templateId") or "tmpltensor1",
        gpu_ids=["AMPERE_16", "AMPERE_24"],
        locations=["US"],
        workers_min=0,
        workers_max=2,
        flashboot=True,
        execution_timeout_ms=300_000,
        env={"LOG_LEVEL": "info"},
    ),
)

pulumi.export("endpoint_id", endpoint.id)
pulumi.export("url", endpoint.run_url)
