"""Bring an endpoint made by hand under Pulumi, without recreating it.

`pulumi import` cannot work for Python dynamic resources (pulumi/pulumi issue 16175), so:
- adopt_existing_id: the first `pulumi up` takes the endpoint over and updates it to these inputs;
  from then on Pulumi manages (and on destroy, deletes) it;
- ServerlessEndpoint.get: a read-only reference; Pulumi never changes or deletes it.
"""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()

adopted = ServerlessEndpoint(
    "adopted",
    ServerlessEndpointArgs(
        adopt_existing_id=config.require("adoptId"),
        name="console-made",
        image="ghcr.io/example/worker:1.0",
        gpu_pools=["AMPERE_24"],
        workers_max=2,
        flashboot=True,
        execution_timeout_ms=120_000,
    ),
)
pulumi.export("adopted_id", adopted.id)

reference_id = config.get("referenceId")
if reference_id:
    other = ServerlessEndpoint.get("shared", reference_id)
    pulumi.export("shared_name", other.name)
    pulumi.export("shared_url", other.run_url)
