"""v2's PATCH rules, each pinned: the builder sends only changed groups, with explicit clears."""

from __future__ import annotations

from pulumi_runpod_endpoint.endpoint.v2 import (
    CpuConfig,
    EndpointConfig,
    GpuSelection,
    Scaling,
    Workers,
    build_patch,
)

BASE = EndpointConfig(
    name="api",
    type="QUEUE",
    image="img:1",
    env={"A": "1", "B": "2"},
    gpu=GpuSelection(
        pools=["ADA_24", "ADA_48_PRO"], excluded_types=["NVIDIA L40"], count=1, allowed_cuda_versions=["12.8"]
    ),
    workers=Workers(min=0, max=3, idle_timeout=10),
    scaling=Scaling(type="QUEUE_DELAY", queue_delay=4),
    data_center_ids=["EU-RO-1"],
    timeout=300000,
    flashboot="OFF",
)


def patched(**changes: object) -> dict[str, object]:
    return build_patch(BASE, BASE.model_copy(update=changes))


def test_nothing_changed_sends_nothing() -> None:
    assert build_patch(BASE, BASE) == {}


def test_a_plain_field_is_sent_alone() -> None:
    assert patched(image="img:2") == {"image": "img:2"}
    assert patched(timeout=600000) == {"timeout": 600000}


def test_none_means_not_managed_and_is_never_sent() -> None:
    assert patched(image=None, env=None, gpu=None, workers=None, data_center_ids=None) == {}


def test_pools_and_exclusions_are_one_selection() -> None:
    gpu = BASE.gpu.model_copy(update={"pools": ["ADA_24", "ADA_48_PRO", "AMPERE_48"]})  # type: ignore[union-attr]
    assert patched(gpu=gpu) == {
        "gpu": {"pools": ["ADA_24", "ADA_48_PRO", "AMPERE_48"], "excludedTypes": ["NVIDIA L40"]}
    }


def test_a_changed_exclusion_sends_its_pools_too() -> None:
    gpu = BASE.gpu.model_copy(update={"excluded_types": ["NVIDIA L40S"]})  # type: ignore[union-attr]
    assert patched(gpu=gpu) == {"gpu": {"pools": ["ADA_24", "ADA_48_PRO"], "excludedTypes": ["NVIDIA L40S"]}}


def test_removing_exclusions_sends_pools_without_them_which_clears_them() -> None:
    gpu = BASE.gpu.model_copy(update={"excluded_types": []})  # type: ignore[union-attr]
    assert patched(gpu=gpu) == {"gpu": {"pools": ["ADA_24", "ADA_48_PRO"]}}


def test_pool_order_is_not_a_change() -> None:
    gpu = BASE.gpu.model_copy(update={"pools": ["ADA_48_PRO", "ADA_24"]})  # type: ignore[union-attr]
    assert patched(gpu=gpu) == {}


def test_a_cuda_set_is_cleared_only_explicitly() -> None:
    unmanaged = BASE.gpu.model_copy(update={"allowed_cuda_versions": None})  # type: ignore[union-attr]
    assert patched(gpu=unmanaged) == {}
    cleared = BASE.gpu.model_copy(update={"allowed_cuda_versions": []})  # type: ignore[union-attr]
    assert patched(gpu=cleared) == {"gpu": {"allowedCudaVersions": []}}


def test_switching_from_a_cuda_set_to_a_floor_clears_the_set_in_the_same_patch() -> None:
    gpu = BASE.gpu.model_copy(update={"allowed_cuda_versions": [], "min_cuda_version": "12.4"})  # type: ignore[union-attr]
    assert patched(gpu=gpu) == {"gpu": {"allowedCudaVersions": [], "minCudaVersion": "12.4"}}


def test_setting_a_floor_does_not_touch_the_set() -> None:
    gpu = GpuSelection(min_cuda_version="12.4")
    assert patched(gpu=gpu) == {"gpu": {"minCudaVersion": "12.4"}}


def test_a_floor_is_cleared_with_an_empty_string() -> None:
    old = BASE.model_copy(update={"gpu": GpuSelection(pools=["ADA_24"], min_cuda_version="12.4")})
    new = BASE.model_copy(update={"gpu": GpuSelection(pools=["ADA_24"], min_cuda_version="")})
    assert build_patch(old, new) == {"gpu": {"minCudaVersion": ""}}


def test_env_is_replaced_whole() -> None:
    assert patched(env={"A": "1"}) == {"env": {"A": "1"}}
    assert patched(env={}) == {"env": {}}


def test_cpu_replaces_the_whole_selection() -> None:
    old = EndpointConfig(cpu=[CpuConfig(id="cpu3c", vcpu_count=4), CpuConfig(id="cpu5c", vcpu_count=4)])
    new = EndpointConfig(cpu=[CpuConfig(id="cpu3c", vcpu_count=4), CpuConfig(id="cpu5g", vcpu_count=8)])
    assert build_patch(old, new) == {"cpu": [{"id": "cpu3c", "vcpuCount": 4}, {"id": "cpu5g", "vcpuCount": 8}]}
    reordered = EndpointConfig(cpu=list(reversed(old.cpu or [])))
    assert build_patch(old, reordered) == {}


def test_workers_are_sent_as_a_whole_group() -> None:
    assert patched(workers=Workers(max=5)) == {"workers": {"min": 0, "max": 5}}
    assert patched(workers=Workers(min=0, max=5, idle_timeout=10)) == {
        "workers": {"min": 0, "max": 5, "idleTimeout": 10}
    }


def test_scaling_always_carries_its_type_and_value() -> None:
    assert patched(scaling=Scaling(type="QUEUE_DELAY", queue_delay=2.5)) == {
        "scaling": {"type": "QUEUE_DELAY", "queueDelay": 2.5}
    }
    assert patched(scaling=Scaling.of("REQUEST_COUNT", 3)) == {"scaling": {"type": "REQUEST_COUNT", "requestCount": 3}}


def test_placement_clears_with_empty_lists_and_ignores_order() -> None:
    assert patched(data_center_ids=[]) == {"dataCenterIds": []}
    assert patched(data_center_ids=["EU-RO-1"]) == {}
    assert patched(network_volumes=["vol_1"]) == {"networkVolumes": ["vol_1"]}


def test_registry_clears_with_null() -> None:
    old = BASE.model_copy(update={"registry": "reg_1"})
    assert build_patch(old, BASE.model_copy(update={"registry": ""})) == {"registry": None}
    assert build_patch(old, BASE.model_copy(update={"registry": "reg_2"})) == {"registry": "reg_2"}


def test_reapplying_a_template_restates_the_programs_overrides_and_env() -> None:
    new = EndpointConfig(image="img:mine", env={"A": "1"}, timeout=300000)
    body = build_patch(BASE, new, reapply_template="tpl_1")
    assert body["templateId"] == "tpl_1"
    assert body["image"] == "img:mine"
    assert body["env"] == {"A": "1"}


def test_reapplying_a_template_with_no_env_declared_sends_an_empty_env() -> None:
    body = build_patch(BASE, EndpointConfig(), reapply_template="tpl_1")
    assert body == {"templateId": "tpl_1", "env": {}}


def test_the_create_body_leaves_out_empty_placement_and_memory() -> None:
    config = EndpointConfig(
        name="x",
        type="QUEUE",
        image="i",
        cpu=[CpuConfig(id="cpu3c", vcpu_count=2, memory=4)],
        data_center_ids=[],
        network_volumes=[],
        env={},
        registry="",
    )
    assert config.create_body() == {
        "name": "x",
        "type": "QUEUE",
        "image": "i",
        "cpu": [{"id": "cpu3c", "vcpuCount": 2}],
    }
