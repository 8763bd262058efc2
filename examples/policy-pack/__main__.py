"""The policy pack: every rule from pulumi_runpod_endpoint.policy, at its default level.

pulumi preview --policy-pack examples/policy-pack
pulumi preview --policy-pack examples/policy-pack --policy-pack-config policy-config.json
"""

from pulumi_policy import PolicyPack

from pulumi_runpod_endpoint.policy import all_policies

PolicyPack(name="runpod-endpoints", policies=all_policies())
