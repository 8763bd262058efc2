"""End-to-end test program. Config steers it: workersMax, workersMin, image, cpu, adoptId, getId,
name, wait, rolloutTimeout."""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()
args = ServerlessEndpointArgs(
    name=config.get("name") or "e2e",
    image=config.get("image") or "runpod/worker:1.0",
    workers_min=config.get_int("workersMin") or 0,
    workers_max=config.get_int("workersMax") if config.get_int("workersMax") is not None else 3,
    idle_timeout=5,
    flashboot=True,
    execution_timeout_ms=600_000,
    env={"HF_TOKEN": "hf_e2e_token_value"},
    adopt_existing_id=config.get("adoptId"),
    wait_for_rollout=config.get_bool("wait"),
    rollout_timeout_seconds=config.get_float("rolloutTimeout"),
)
if config.get_bool("cpu"):
    args.cpu_flavor_ids = ["cpu3g"]
    args.vcpu_count = 4
else:
    args.gpu_pools = ["AMPERE_16", "ADA_24"]

endpoint = ServerlessEndpoint("endpoint", args)
pulumi.export("id", endpoint.id)
pulumi.export("url", endpoint.run_url)
pulumi.export("workers_max", endpoint.workers_max)
pulumi.export("backend", endpoint.backend)

existing_id = config.get("getId")
if existing_id:
    existing = ServerlessEndpoint.get("existing", existing_id)
    pulumi.export("existing_name", existing.name)
