"""CPU endpoints for light pre/post-processing: no GPU, billed per vCPU.

Two ways to pick CPUs: every flavor at one vCPU count, or a mixed list of {flavor, vCPUs}.
"""

import pulumi

from pulumi_runpod_endpoint import CpuChoiceArgs, ServerlessEndpoint, ServerlessEndpointArgs

tokenizer = ServerlessEndpoint(
    "tokenizer",
    ServerlessEndpointArgs(
        name="tokenizer",
        image="ghcr.io/example/tokenizer:1.4",
        cpu_flavor_ids=["cpu3c", "cpu5c"],
        vcpu_count=4,
        workers_max=5,
        idle_timeout=5,
        execution_timeout_ms=30_000,
    ),
)

resizer = ServerlessEndpoint(
    "resizer",
    ServerlessEndpointArgs(
        name="image-resizer",
        image="ghcr.io/example/resizer:2.0",
        cpu=[CpuChoiceArgs(flavor_id="cpu5c", vcpu_count=4), CpuChoiceArgs(flavor_id="cpu5g", vcpu_count=8)],
        workers_max=3,
        execution_timeout_ms=60_000,
    ),
)

pulumi.export("tokenizer_id", tokenizer.id)
pulumi.export("resizer_cpu", resizer.cpu)
