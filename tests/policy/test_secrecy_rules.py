"""Secrets: credential-like env values, registry passwords, public templates with env.

pulumi-policy shows secrecy to remediations only; validations see plain values and the resource's
``additional_secret_outputs``. These tests run both paths the way pulumi-policy runs them.
"""

from __future__ import annotations

import pytest
from pulumi_policy.secret import Secret

from pulumi_runpod_endpoint.policy.facts import Props, template_facts
from pulumi_runpod_endpoint.policy.rules import looks_secret, plain_secret_env
from tests.policy.analyzer import (
    PROVIDER_BLOB,
    UNKNOWN,
    endpoint,
    registry_auth,
    remediate,
    template,
    violations,
)

TOKEN = "hf_abcdefghijklmnopqrstu"


@pytest.mark.parametrize(
    ("name", "value", "secret"),
    [
        pytest.param("HF_TOKEN", "abc", True, id="name-token"),
        pytest.param("DB_PASSWORD", "hunter2", True, id="name-password"),
        pytest.param("MODEL", "hf_AbCdEfGhIjKlMnOpQrSt", True, id="prefix"),
        pytest.param("BLOB", "q8Zr2LmX9vT4pW7kN1sB6yF3hJ0", True, id="high-entropy"),
        pytest.param("MODEL", "meta-llama/Llama-3-8B", False, id="model-name"),
        pytest.param("MAX_TOKENS_PER_BATCH", "4096", True, id="conservative-name-match"),
        pytest.param("LOG_LEVEL", "info", False, id="plain"),
        pytest.param("HF_TOKEN", "{{ RUNPOD_SECRET_hf_token }}", False, id="runpod-secret-reference"),
    ],
)
def test_looks_secret(name: str, value: str, secret: bool) -> None:
    assert looks_secret(name, value) is secret


def test_looks_secret__config_patterns_and_a_broken_one() -> None:
    assert looks_secret("WANDB_PROJECT", "demo", {"secretNamePatterns": ["^WANDB_"]})
    assert not looks_secret("WANDB_PROJECT", "demo", {"secretNamePatterns": ["(unclosed"]})


def test_looks_secret__a_huge_value_is_judged_on_its_start() -> None:
    assert looks_secret("BLOB", "q8Zr2LmX9vT4pW7kN1sB6yF3hJ0" * 40_000)
    assert not looks_secret("NOTES", "a" * 1_000_000)


# -- env-secrets-must-be-secret ----------------------------------------------------------------------------
@pytest.mark.parametrize("make", [endpoint, template], ids=["endpoint", "template"])
def test_env_secrets__the_resources_keep_env_secret_so_they_pass(make: object) -> None:
    declared = make(env={"HF_TOKEN": TOKEN, "MODEL": "llama"})  # type: ignore[operator]
    assert violations("env-secrets-must-be-secret", declared) == []
    assert remediate("env-secrets-must-be-secret", declared) is None  # env arrives as one secret


def test_env_secrets__validation_sees_only_the_resources_promise() -> None:
    # A resource under this type token that neither marks env secret nor declares it a secret output.
    bare = endpoint(env={"HF_TOKEN": TOKEN, "MODEL": "llama"})
    bare.secret_inputs, bare.secret_outputs = (), ()
    [message] = violations("env-secrets-must-be-secret", bare)
    assert message == (
        "ServerlessEndpoint 'inference': env HF_TOKEN looks like a credential, and this resource does not keep env "
        "secret (no 'env' in additional_secret_outputs), so the values would be readable in the stack's state "
        "(env-secrets-must-be-secret). Fix: pass env as a secret (pulumi.Output.secret(...) or "
        "config.require_secret(...)), or reference a RunPod secret: '{{ RUNPOD_SECRET_name }}'."
    )
    assert TOKEN not in message


def test_env_secrets__remediation_makes_env_a_secret_and_keeps_the_rest() -> None:
    bare = template(env={"HF_TOKEN": TOKEN, "MODEL": "llama"})
    bare.secret_inputs = ()
    fixed = remediate("env-secrets-must-be-secret", bare)
    assert isinstance(fixed["env"], Secret)
    assert fixed["env"].value == {"HF_TOKEN": TOKEN, "MODEL": "llama"}
    assert fixed["image"] == "runpod/worker:1.0" and fixed["__provider"] == PROVIDER_BLOB


def test_env_secrets__what_the_remediation_sees_one_value_marked_is_enough_for_that_value() -> None:
    facts = template_facts(
        Props(
            {"name": "t", "image": "x", "env": {"HF_TOKEN": TOKEN, "API_KEY": "k"}},
            secret_paths=frozenset({"env.HF_TOKEN"}),
        ),
        "t",
    )
    assert facts is not None
    [message] = plain_secret_env(facts, {})
    assert "env API_KEY looks like a credential but env is not a Pulumi secret" in message


def test_env_secrets__runpod_secret_references_and_plain_settings_pass() -> None:
    bare = endpoint(env={"HF_TOKEN": "{{ RUNPOD_SECRET_hf }}", "MODEL": "llama"})
    bare.secret_inputs, bare.secret_outputs = (), ()
    assert violations("env-secrets-must-be-secret", bare) == []
    assert remediate("env-secrets-must-be-secret", bare) is None


def test_env_secrets__an_unknown_env_is_not_judged() -> None:
    bare = endpoint(env=UNKNOWN)
    bare.secret_inputs, bare.secret_outputs = (), ()
    assert violations("env-secrets-must-be-secret", bare) == []
    assert remediate("env-secrets-must-be-secret", bare) is None


# -- registry-passwords-must-be-secret ------------------------------------------------------------------------
def test_registry_password__registry_auth_keeps_it_secret_so_it_passes() -> None:
    assert violations("registry-passwords-must-be-secret", registry_auth()) == []
    assert remediate("registry-passwords-must-be-secret", registry_auth()) is None


def test_registry_password__validation_flags_a_resource_that_does_not_declare_it_and_never_shows_it() -> None:
    bare = registry_auth()
    bare.secret_inputs, bare.secret_outputs = (), ()
    [message] = violations("registry-passwords-must-be-secret", bare)
    assert message == (
        "RegistryAuth 'registry': password is not a declared secret output of this resource "
        "(additional_secret_outputs lacks 'password'), so the credential may be stored in plain text in the stack's "
        "state (registry-passwords-must-be-secret). Fix: declare it with pulumi_runpod_endpoint.RegistryAuth (which "
        "always keeps username and password secret), giving the password from config.require_secret(...)."
    )
    assert "s3cret-token" not in message


def test_registry_password__remediation_makes_it_a_secret() -> None:
    bare = registry_auth()
    bare.secret_inputs = ()  # declared as a secret output, but the input itself is plain
    assert violations("registry-passwords-must-be-secret", bare) == []  # all a validation can see
    fixed = remediate("registry-passwords-must-be-secret", bare)
    assert isinstance(fixed["password"], Secret) and fixed["password"].value == "s3cret-token"
    assert fixed["username"] == "robot"  # not asked for by default
    assert fixed["__provider"] == PROVIDER_BLOB


def test_registry_password__the_username_too_when_configured() -> None:
    bare = registry_auth()
    bare.secret_inputs, bare.secret_outputs = (), ()
    config = {"secretFields": ["password", "username"]}
    [message] = violations("registry-passwords-must-be-secret", bare, config=config)
    assert "username and password are not declared secret outputs" in message and "robot" not in message
    fixed = remediate("registry-passwords-must-be-secret", bare, config=config)
    assert isinstance(fixed["password"], Secret) and isinstance(fixed["username"], Secret)


def test_registry_password__an_unknown_password_is_not_judged() -> None:
    bare = registry_auth(password=UNKNOWN)
    bare.secret_inputs, bare.secret_outputs = (), ()
    assert violations("registry-passwords-must-be-secret", bare) == []
    assert remediate("registry-passwords-must-be-secret", bare) is None


# -- no-public-template-env -------------------------------------------------------------------------------
def test_public_template_env__refused() -> None:
    [message] = violations("no-public-template-env", template(public=True, env={"HF_TOKEN": TOKEN, "MODEL": "x"}))
    assert message == (
        "Template 'base': public is True and env sets HF_TOKEN, MODEL: a public template shows its env to every "
        "RunPod user (no-public-template-env). Fix: set public=False, or move env to the ServerlessEndpoints that "
        "use the template (their env stays private), or list names that hold nothing secret in the policy's "
        "allowedEnvNames."
    )
    assert TOKEN not in message


def test_public_template_env__the_templates_own_opt_in_counts_only_when_the_policy_honors_it() -> None:
    opted_in = template(public=True, env={"MODEL": "x"}, allow_public_env=True)
    [message] = violations("no-public-template-env", opted_in)
    assert "(allow_public_env=True does not waive this rule unless its honorOptIn is set)" in message
    assert violations("no-public-template-env", opted_in, config={"honorOptIn": True}) == []


def test_public_template_env__allowed_names_private_templates_and_public_ones_without_env_pass() -> None:
    public = template(public=True, env={"MODEL": "x"})
    assert violations("no-public-template-env", public, config={"allowedEnvNames": ["MODEL"]}) == []
    assert violations("no-public-template-env", template(env={"HF_TOKEN": TOKEN})) == []
    assert violations("no-public-template-env", template(public=True)) == []


def test_public_template_env__unknown_public_or_env_is_not_judged() -> None:
    assert violations("no-public-template-env", template(public=UNKNOWN, env={"MODEL": "x"})) == []
    assert violations("no-public-template-env", template(public=True, env=UNKNOWN)) == []
