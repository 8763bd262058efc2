"""Every rule's configuration: its keys, their JSON schema and their defaults, in one table.

The pack builds each rule's ``PolicyConfigSchema`` from this table (so the schema the CLI validates a
``--policy-pack-config`` file against, and the defaults a rule falls back on, can never disagree),
and the README's rule table is this table in prose. Pure data: no Pulumi, no pulumi-policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["DEFAULTS", "RULE_SETTINGS", "Setting", "flag", "number", "schema_properties", "settings", "strings"]


@dataclass(frozen=True)
class Setting:
    """One config key of one rule: its JSON schema and its default."""

    schema: Mapping[str, Any]
    default: Any
    doc: str = ""


_STRINGS = {"type": "array", "items": {"type": "string"}}
_PRICES = {"type": "object", "additionalProperties": {"type": "number", "minimum": 0}}
_MONEY = {"type": "number", "minimum": 0}
_RATE_OR_NULL = {"type": ["number", "null"], "minimum": 0}
_VOLUMES = {"type": "object", "additionalProperties": {"type": "string"}}

_PRICE_SETTINGS = {
    "gpuPricesPerHour": Setting(_PRICES, {}, "USD per GPU-hour by pool id, over the shipped catalog's prices"),
    "cpuPricePerVcpuHour": Setting(
        _RATE_OR_NULL, None, "USD per vCPU-hour for every CPU flavor; null: the catalog's, else the estimate 0.05"
    ),
}
_EXTERNAL_VOLUMES = {
    "externalVolumes": Setting(
        _VOLUMES, {}, "volume id -> data center id, for volumes this stack mounts but does not declare"
    ),
}

RULE_SETTINGS: dict[str, dict[str, Setting]] = {
    "max-workers": {"maxWorkers": Setting({"type": "integer", "minimum": 0}, 10, "most workers_max allowed")},
    "endpoint-hourly-cost": {
        "maxHourlyCost": Setting(_MONEY, 50.0, "USD per hour, one endpoint with every worker up"),
        **_PRICE_SETTINGS,
    },
    "stack-hourly-cost": {
        "maxStackHourlyCost": Setting(_MONEY, 200.0, "USD per hour, every endpoint of the stack at full scale"),
        **_PRICE_SETTINGS,
    },
    "scale-to-zero": {
        "production": Setting({"type": "boolean"}, False, "treat every stack as production"),
        "productionStacks": Setting(_STRINGS, ["prod", "production"], "stack names that are production"),
        "productionTagKey": Setting({"type": "string"}, "environment", "stack tag that marks production"),
        "productionTagValues": Setting(_STRINGS, ["prod", "production"], "its values meaning production"),
    },
    "allowed-gpus": {
        "allowedGpuPools": Setting(_STRINGS, [], "GPU pool ids (empty: any)"),
        "allowedGpuTypes": Setting(_STRINGS, [], "GPU type ids workers may land on (empty: any)"),
        "allowedCpuFlavors": Setting(_STRINGS, [], "CPU flavor ids (empty: any)"),
    },
    "allowed-regions": {
        "allowedDataCenters": Setting(_STRINGS, [], "data center ids (empty: any)"),
        "allowedRegions": Setting(_STRINGS, [], "catalog regions, e.g. EUROPE (empty: any)"),
    },
    "idle-timeout-bounds": {
        "minIdleTimeout": Setting({"type": "integer", "minimum": 1}, 1, "seconds"),
        "maxIdleTimeout": Setting({"type": "integer", "minimum": 1}, 300, "seconds"),
    },
    "execution-timeout-required": {
        "maxExecutionTimeoutMs": Setting({"type": "integer", "minimum": 1000}, 3_600_000, "milliseconds"),
    },
    "env-secrets-must-be-secret": {
        "secretNamePatterns": Setting(_STRINGS, [], "extra regular expressions for secret env names"),
        "minEntropyBitsPerChar": Setting(_MONEY, 3.5, "a long value this random counts as a credential"),
        "minSecretLength": Setting({"type": "integer", "minimum": 1}, 20, "shortest value the entropy test judges"),
    },
    "flashboot-recommended": {
        "recommendedMode": Setting(
            {"type": "string", "enum": ["FLASHBOOT", "PRIORITY_FLASHBOOT"]}, "FLASHBOOT", "the least FlashBoot mode"
        ),
    },
    "unique-endpoint-names": {
        "ignoreCase": Setting({"type": "boolean"}, False, "'API' and 'api' count as the same name"),
    },
    "volume-size-cap": {"maxSizeGb": Setting({"type": "integer", "minimum": 10}, 1024, "largest size_gb allowed")},
    "volumes-in-endpoint-data-centers": dict(_EXTERNAL_VOLUMES),
    "one-volume-per-data-center": dict(_EXTERNAL_VOLUMES),
    "registry-passwords-must-be-secret": {
        "secretFields": Setting(
            {"type": "array", "items": {"type": "string", "enum": ["password", "username"]}},
            ["password"],
            "RegistryAuth inputs that must be secrets",
        ),
    },
    "no-public-template-env": {
        "honorOptIn": Setting({"type": "boolean"}, False, "let allow_public_env=True pass"),
        "allowedEnvNames": Setting(_STRINGS, [], "env names a public template may set"),
    },
}

DEFAULTS: dict[str, dict[str, Any]] = {
    rule: {key: setting.default for key, setting in keys.items()} for rule, keys in RULE_SETTINGS.items()
}


def schema_properties(rule: str) -> dict[str, dict[str, Any]]:
    """The JSON-schema ``properties`` of a rule's config, each with its default."""
    return {
        key: {**setting.schema, "default": setting.default, **({"description": setting.doc} if setting.doc else {})}
        for key, setting in RULE_SETTINGS[rule].items()
    }


def settings(config: Mapping[str, Any], rule: str) -> dict[str, Any]:
    """A rule's configuration: the pack's config over the defaults (keys left unset keep them).

    The CLI hands numbers over as floats (protobuf ``Struct``): read them with ``number``.
    """
    return {**DEFAULTS[rule], **{key: value for key, value in config.items() if key in DEFAULTS[rule]}}


def number(value: Any, default: float) -> float:
    """A config number (the CLI sends 5 as 5.0); a non-number falls back to the default."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def strings(value: Any) -> list[str]:
    """A config list of strings; anything else counts as empty."""
    return [str(item) for item in value] if isinstance(value, list | tuple) else []


def flag(value: Any) -> bool:
    return value is True
