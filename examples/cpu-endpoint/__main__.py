"""A CPU endpoint for light pre/post-processing: no GPU, billed per vCPU."""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

tokenizer = ServerlessEndpoint(
    "tokenizer",
    ServerlessEndpointArgs(
        name="tokenizer",
        template_id=pulumi.Config().get("templateId") or "tmpltokenize",
        compute_type="CPU",
        cpu_flavor_ids=["cpu3c", "cpu5c"],
        vcpu_count=4,
        workers_min=0,
        workers_max=5,
        idle_timeout=5,
        execution_timeout_ms=30_000,
    ),
)

pulumi.export("endpoint_id", tokenizer.id)
pulumi.export("instance_ids", tokenizer.instance_ids)
