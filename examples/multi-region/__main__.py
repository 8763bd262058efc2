"""Workers may start in any of three EU data centers; each has its own copy of the model volume
(a network volume lives in one data center, so an endpoint mounts at most one per data center)."""

import pulumi

from pulumi_runpod_endpoint import NetworkVolume, NetworkVolumeArgs, ServerlessEndpoint, ServerlessEndpointArgs

centers = ["EU-RO-1", "EU-CZ-1", "EUR-IS-1"]
volumes = [
    NetworkVolume(f"model-{center.lower()}", NetworkVolumeArgs(size_gb=50, data_center_id=center)) for center in centers
]

embeddings = ServerlessEndpoint(
    "embeddings",
    ServerlessEndpointArgs(
        name="embeddings-eu",
        image="ghcr.io/example/embeddings:3.1",
        gpu_pools=["AMPERE_24", "ADA_24"],
        data_center_ids=centers,
        network_volume_ids=[volume.id for volume in volumes],
        workers_max=4,
        scaler_type="REQUEST_COUNT",
        scaler_value=8,
        flashboot=True,
        execution_timeout_ms=60_000,
    ),
)

pulumi.export("endpoint_id", embeddings.id)
pulumi.export("volume_ids", [volume.id for volume in volumes])
