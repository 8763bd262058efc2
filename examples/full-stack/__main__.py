"""A whole serverless stack: model weights on a network volume, a private image behind a registry
credential, shared container settings in a template, and the endpoint that uses all three.

    pulumi config set --secret registryPassword <token>     (the emulator accepts anything)

Edit the template's image and run `pulumi up`: the endpoint takes the template's ``revision`` as an
input, so the same `up` re-applies the template and the endpoint rolls out the new image (RunPod
itself never propagates template edits). `pulumi destroy` tears it down in dependency order.
"""

import pulumi

from pulumi_runpod_endpoint import (
    NetworkVolume,
    NetworkVolumeArgs,
    RegistryAuth,
    RegistryAuthArgs,
    ServerlessEndpoint,
    ServerlessEndpointArgs,
    Template,
    TemplateArgs,
)

config = pulumi.Config()
data_center = config.get("dataCenter") or "EU-RO-1"

weights = NetworkVolume(
    "weights", NetworkVolumeArgs(size_gb=config.get_int("volumeGb") or 100, data_center_id=data_center)
)

registry = RegistryAuth(
    "ghcr",
    RegistryAuthArgs(
        username=config.get("registryUser") or "ci-bot",
        password=config.get_secret("registryPassword") or pulumi.Output.secret("emulator-password"),
    ),
)

template = Template(
    "llm",
    TemplateArgs(
        image=config.get("image") or "ghcr.io/example/llm-worker:1.0",
        container_disk_gb=20,
        env={"MODEL_PATH": "/runpod-volume/model"},
        registry_auth_id=registry.id,
    ),
)

endpoint = ServerlessEndpoint(
    "llm",
    ServerlessEndpointArgs(
        template_id=template.id,
        template_revision=template.revision,
        gpu_pools=["ADA_48_PRO", "AMPERE_48"],
        data_center_ids=[data_center],
        network_volume_ids=[weights.id],
        workers_max=2,
        flashboot="FLASHBOOT",
        env={"LOG_LEVEL": "info"},
    ),
)

pulumi.export("volume_id", weights.id)
pulumi.export("template_revision", template.revision)
pulumi.export("endpoint_id", endpoint.id)
pulumi.export("runsync_url", endpoint.runsync_url)
