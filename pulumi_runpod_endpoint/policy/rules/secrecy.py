"""Secrets that must stay secret: credential-like env values, registry passwords, public templates.

What a rule can see of secrecy depends on where pulumi-policy calls it (pulumi-policy 1.21,
``policy.py``): a *validation* gets every value unwrapped, with no mark of which are secrets
(``deserialize_properties`` without ``proxy_secrets``); a *remediation* gets them marked. So:

* a remediation judges the value itself (``Props.is_secret`` answers True or False), and fixes it by
  marking it secret;
* a validation can only judge the resource's own promise, its ``additional_secret_outputs`` (which
  ``ServerlessEndpoint`` and ``Template`` always declare for ``env`` and ``RegistryAuth`` for
  ``username`` and ``password``, besides marking those inputs secret themselves).

Neither can see whether a secret came from secret config or was typed into the program's source --
where it sits in plain text in version control whatever the state says.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ...validation import is_runpod_secret_reference
from ..facts import EndpointFacts, RegistryAuthFacts, TemplateFacts
from ..settings import flag, number, settings, strings

__all__ = ["looks_secret", "plain_secret_env", "public_template_env", "registry_passwords", "unsecret_fields"]

_SECRET_NAME = re.compile(
    r"(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|SESSION_?KEY)", re.I
)
_SECRET_PREFIX = re.compile(r"^(hf_|sk-|sk_live_|ghp_|gho_|github_pat_|glpat-|xox[bap]-|rpa_|AKIA|ASIA|AIza)")
_MAX_JUDGED = 4096  # longer values are judged on their first 4 KiB: a 1 MB value must not cost seconds


def _entropy(text: str) -> float:
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_secret(name: str, value: str, config: Mapping[str, Any] | None = None) -> bool:
    """A token-like name, a known token prefix, or a long high-entropy value -- but never a reference to
    a RunPod secret (``{{ RUNPOD_SECRET_name }}``), which holds no secret itself."""
    if is_runpod_secret_reference(value):
        return False
    conf = settings(config or {}, "env-secrets-must-be-secret")
    sample = value[:_MAX_JUDGED]
    if _SECRET_NAME.search(name) or _SECRET_PREFIX.match(sample):
        return True
    for pattern in strings(conf["secretNamePatterns"]):
        try:
            if re.search(pattern, name, re.I):
                return True
        except re.error:
            continue  # a broken pattern in the config must not break the pack
    long_enough = len(sample) >= int(number(conf["minSecretLength"], 20)) and " " not in sample
    return long_enough and _entropy(sample) >= number(conf["minEntropyBitsPerChar"], 3.5)


def plain_secret_env(facts: EndpointFacts | TemplateFacts, config: Mapping[str, Any]) -> list[str]:
    """Credential-like env values must reach Pulumi as secrets (encrypted in the state)."""
    env = facts.spec.env or {}
    if not env or not facts.known("env"):
        return []
    props = facts.props
    flagged: list[str] = []
    for key, value in env.items():
        if not looks_secret(key, value, config):
            continue
        secret = props.is_secret("env", key)
        if secret is None:  # a validation: only the resource's promise is visible
            secret = "env" in props.secret_outputs
        if not secret:
            flagged.append(key)
    if not flagged:
        return []
    names = ", ".join(sorted(flagged))
    looks = "looks like a credential" if len(flagged) == 1 else "look like credentials"
    if props.secret_paths is None:
        detail = (
            f"env {names} {looks}, and this resource does not keep env secret (no 'env' in "
            "additional_secret_outputs), so the values would be readable in the stack's state "
            "(env-secrets-must-be-secret)."
        )
    else:
        detail = (
            f"env {names} {looks} but env is not a Pulumi secret, so the values would be readable in the "
            "stack's state (env-secrets-must-be-secret)."
        )
    return [
        facts.say(
            detail,
            "pass env as a secret (pulumi.Output.secret(...) or config.require_secret(...)), or reference a RunPod "
            "secret: '{{ RUNPOD_SECRET_name }}'.",
        )
    ]


def unsecret_fields(facts: RegistryAuthFacts, config: Mapping[str, Any]) -> list[str]:
    """The RegistryAuth inputs that must be secrets and are not (or are not promised to be)."""
    wanted = [name for name in strings(settings(config, "registry-passwords-must-be-secret")["secretFields"])]
    found: list[str] = []
    for name in ("username", "password"):
        if name not in wanted or not facts.known(name) or name not in facts.props.values:
            continue
        secret = facts.props.is_secret(name)
        if secret is None:
            secret = name in facts.props.secret_outputs
        if not secret:
            found.append(name)
    return found


def registry_passwords(facts: RegistryAuthFacts, config: Mapping[str, Any]) -> list[str]:
    """A registry credential in plain text is a key to the team's private images. The message never
    shows the value."""
    fields = unsecret_fields(facts, config)
    if not fields:
        return []
    names = " and ".join(fields)
    if facts.props.secret_paths is None:
        detail = (
            f"{names} {'is not a declared secret output' if len(fields) == 1 else 'are not declared secret outputs'}"
            f" of this resource (additional_secret_outputs lacks {' and '.join(repr(f) for f in fields)}), so the "
            "credential may be stored in plain text in the stack's state (registry-passwords-must-be-secret)."
        )
        fix = (
            "declare it with pulumi_runpod_endpoint.RegistryAuth (which always keeps username and password "
            "secret), giving the password from config.require_secret(...)."
        )
    else:
        detail = (
            f"{names} {'is' if len(fields) == 1 else 'are'} not a Pulumi secret, so the credential would be stored "
            "in plain text in the stack's state (registry-passwords-must-be-secret)."
        )
        fix = "give it from secret config (config.require_secret('registryPassword')) or pulumi.Output.secret(...)."
    return [facts.say(detail, fix)]


def public_template_env(facts: TemplateFacts, config: Mapping[str, Any]) -> list[str]:
    """A public template shows everything in it, env included, to every RunPod user."""
    conf = settings(config, "no-public-template-env")
    if not facts.known("public", "env") or not facts.spec.public:
        return []
    env = facts.spec.env or {}
    shown = sorted(set(env) - set(strings(conf["allowedEnvNames"])))
    if not shown:
        return []
    if flag(conf["honorOptIn"]) and facts.allow_public_env is not False:
        return []  # opted in (or the opt-in is not known yet in this preview)
    names = ", ".join(shown[:10]) + (", ..." if len(shown) > 10 else "")
    opt_in = (
        " (allow_public_env=True does not waive this rule unless its honorOptIn is set)"
        if (facts.allow_public_env)
        else ""
    )
    return [
        facts.say(
            f"public is True and env sets {names}: a public template shows its env to every RunPod user "
            f"(no-public-template-env){opt_in}.",
            "set public=False, or move env to the ServerlessEndpoints that use the template (their env stays "
            "private), or list names that hold nothing secret in the policy's allowedEnvNames.",
        )
    ]
