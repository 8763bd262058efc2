"""End-to-end test program. Config: workersMax, cpu, adoptId, getId, name."""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()
args = ServerlessEndpointArgs(
    name=config.get("name") or "e2e",
    template_id="tmpl12345",
    workers_min=0,
    workers_max=config.get_int("workersMax") if config.get_int("workersMax") is not None else 3,
    idle_timeout=5,
    flashboot=True,
    execution_timeout_ms=600_000,
    env={"HF_TOKEN": "hf_e2e_token_value"},
    adopt_existing_id=config.get("adoptId"),
)
if config.get_bool("cpu"):
    args.instance_ids = ["cpu3g-4-16"]
else:
    args.gpu_ids = ["AMPERE_16", "ADA_24"]

endpoint = ServerlessEndpoint("endpoint", args)
pulumi.export("id", endpoint.id)
pulumi.export("url", endpoint.run_url)
pulumi.export("workers_max", endpoint.workers_max)
pulumi.export("compute_type", endpoint.compute_type)

existing_id = config.get("getId")
if existing_id:
    existing = ServerlessEndpoint.get("existing", existing_id)
    pulumi.export("existing_name", existing.name)
