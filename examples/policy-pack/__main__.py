"""The policy pack: every rule from pulumi_runpod_endpoint.policy, at its default level.

    pulumi preview --policy-pack examples/policy-pack
    pulumi preview --policy-pack examples/policy-pack --policy-pack-config policy-config.json

Rules cover ServerlessEndpoint, NetworkVolume, RegistryAuth and Template resources and the stack as a
whole; `policy-config.example.json` shows their settings. To pick rules, build the list from
`pulumi_runpod_endpoint.policy.policy(name)` instead of `all_policies()`.
"""

from pulumi_policy import PolicyPack

from pulumi_runpod_endpoint.policy import all_policies

PolicyPack(name="runpod-endpoints", policies=all_policies())
