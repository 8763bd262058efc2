"""A GPU endpoint for an LLM: the template (image, disk) is managed in RunPod; the model weights
live on a network volume so workers start without downloading them."""

import pulumi

from pulumi_runpod_endpoint import ServerlessEndpoint, ServerlessEndpointArgs

config = pulumi.Config()

llm = ServerlessEndpoint(
    "llm",
    ServerlessEndpointArgs(
        name="llm-inference",
        template_id=config.require("templateId"),
        gpu_ids=["ADA_48_PRO", "AMPERE_48"],  # pools in priority order
        gpu_count=1,
        network_volume_id=config.require("networkVolumeId"),
        workers_min=0,
        workers_max=2,
        idle_timeout=30,
        scaler_type="QUEUE_DELAY",
        scaler_value=4,
        flashboot=True,
        execution_timeout_ms=300_000,
        allowed_cuda_versions=["12.8", "12.9"],
        env={"MODEL_PATH": "/runpod-volume/llama-3-8b", "HF_TOKEN": config.get_secret("hfToken") or ""},
    ),
)

pulumi.export("endpoint_id", llm.id)
pulumi.export("runsync_url", llm.runsync_url)
