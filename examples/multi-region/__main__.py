"""Workers may start in any of three EU data centers; each has its own copy of the model
volume (network volumes are per data center)."""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

volumes = {"EU-RO-1": "volro000001", "EU-SE-1": "volse000001", "EU-NL-1": "volnl000001"}

embeddings = ServerlessEndpoint(
    "embeddings",
    ServerlessEndpointArgs(
        name="embeddings-eu",
        template_id=pulumi.Config().get("templateId") or "tmplembed01",
        gpu_type_ids=["NVIDIA L4", "NVIDIA RTX A5000", "NVIDIA GeForce RTX 4090"],
        data_center_ids=list(volumes),
        network_volume_ids=list(volumes.values()),
        workers_min=0,
        workers_max=4,
        idle_timeout=10,
        scaler_type="REQUEST_COUNT",
        scaler_value=8,
        flashboot=True,
        execution_timeout_ms=60_000,
    ),
)

pulumi.export("endpoint_id", embeddings.id)
pulumi.export("data_center_ids", embeddings.data_center_ids)
