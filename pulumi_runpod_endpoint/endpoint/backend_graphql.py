"""The GraphQL backends: RunPod's GraphQL (opt-in until it retires in early 2027) and Tensor One.

The flat spec is translated to GraphQL's ``EndpointInput``: pools and exclusions -> ``gpuIds``
(``"ADA_24,-NVIDIA L40"``), CPU flavors at vCPU counts -> ``instanceIds`` (``cpu3g-4-16``, and no GPU
field at all), data centers -> ``locations``, FlashBoot mode -> ``flashBootType`` (the `` -fb`` name
suffix on Tensor One), ``type`` -> ``QB``/``LB``, an image -> an inline ``template``. What RunPod does
with these, and the evidence, is in the research notes of issue 11; the rules this module follows:

* **Not found is specific.** Only RunPod's answer for an endpoint id it cannot see, "No AiApi found"
  (runpod-mcp 4c8e403), is "gone" -- for reads, refresh, the verify after a delete and adopt. Any
  other error (a missing *template*, a validation failure) is a refusal, never "gone".
* **Every write sends the whole record.** ``saveEndpoint`` with an ``id`` resets what it is not sent
  (idleTimeout, scalerValue, workersMax, workersMin, gpuCount, scalerType, instanceIds, locations:
  runpodctl PR 281 and runpod-mcp 8b80863, measured live), so updates and the scale-to-zero before a
  delete send every field we know, never a null.
* **Templates.** ``saveEndpoint`` reads ``templateId`` on create only; an endpoint made from a template
  is re-pointed with ``updateEndpointTemplate`` (runpodctl PR 266, tested live; runpod-python). An
  endpoint made from an ``image`` gets its own template in the create call (inline ``template``, as
  runpod/flash does), and container changes (image, args, disk, ports, registry, env) are written to
  that template with ``saveTemplate``, which rolls the workers (flash does exactly this). A template
  the endpoint does not own -- the user's, maybe shared -- is never written: the endpoint gets its own
  copy first. ``graphql_problems`` refuses in ``check`` what this cannot express.
* **Tensor One** documents only ``saveEndpoint``, ``myself { endpoints }`` and ``deleteEndpoint``,
  with FlashBoot as the `` -fb`` name suffix (docs.tensorone.ai). Its docs call ``gpuIds`` and
  ``templateId`` required, as RunPod's own GraphQL docs did while RunPod accepted an inline ``template``
  and ``instanceIds`` (both in RunPod's older schema, which Tensor One copies), so images and CPU are
  sent the same way there. Reads list and pick (a list at the 400-row cap cannot prove an endpoint
  gone) and ask only for documented fields; container settings cannot be changed in place there
  (no documented way), which ``update`` says. Its docs put the key in the URL (``?api_key=``); we never
  do: the key travels in ``Authorization: Bearer`` on every backend.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any, Literal

from ..api.catalog import shipped_catalog
from ..api.errors import IncompleteList, NotFound, Unauthorized, UnexpectedAnswer, ValidationFailed
from ..api.graphql import GraphQLExecutor
from ..api.session import Session
from ..dynamic.tokens import MANAGED_FIELDS
from ..validation import FieldProblem
from .backend import ENDPOINT_MISSING, FLASHBOOT_SUFFIX, Change, Observed, RolloutState, strip_flashboot_suffix
from .spec import SPEC_FIELDS, EndpointSpec, cpu_selection

__all__ = [
    "ENDPOINT_MISSING",
    "LIST_CAP",
    "GraphQLBackend",
    "graphql_input",
    "graphql_problems",
    "observed_from_graphql",
]

Flavor = Literal["runpod", "tensorone"]

LIST_CAP = 400  # myself { endpoints } answers at most this many, oldest first (runpod-mcp 4c8e403)
DEFAULT_CONTAINER_DISK_GB = 10  # an inline template needs one (containerDiskInGb: Int!); runpod-python's default
CONTAINER_FIELDS = ("image", "container_args", "container_disk_gb", "ports", "registry_auth_id", "env")
_TYPES = {"QUEUE": "QB", "LOAD_BALANCER": "LB"}
_SPEC_TYPES = {value: key for key, value in _TYPES.items()}

_TEMPLATE_FIELDS = "id name imageName dockerArgs containerDiskInGb ports env { key value } containerRegistryAuthId"
_RUNPOD_FIELDS = (
    "id name type templateId gpuIds gpuCount instanceIds idleTimeout locations networkVolumeId "
    "networkVolumeIds { networkVolumeId } scalerType scalerValue workersMin workersMax executionTimeoutMs "
    "allowedCudaVersions minCudaVersion flashBootType createdAt version env { key value } "
    f"template {{ {_TEMPLATE_FIELDS} boundEndpointId }}"
)
# Tensor One: the fields its docs show, plus three of the older schema's it has always had (gpuCount,
# executionTimeoutMs, allowedCudaVersions: in RunPod's 2025-09 model dump, before the additions Tensor
# One's docs lack). A field a server lacks would fail every read, so nothing else is asked for.
_TENSORONE_FIELDS = (
    "id name gpuIds gpuCount idleTimeout locations networkVolumeId scalerType scalerValue templateId "
    "workersMin workersMax executionTimeoutMs allowedCudaVersions"
)


# -- check ------------------------------------------------------------------------------------------
def graphql_problems(spec: EndpointSpec, *, flavor: str) -> list[FieldProblem]:
    """What GraphQL cannot express: refused in ``check``, naming the backend that can."""
    problems: list[FieldProblem] = []
    rest = "the REST v2 API (the default: remove runpod:api graphql)"
    if spec.scaler_value is not None and spec.scaler_value != int(spec.scaler_value):
        problems.append(
            FieldProblem(
                "scaler_value",
                f"scaler_value {spec.scaler_value} is fractional, but GraphQL's scalerValue is a whole number: "
                f"use a whole number, or {rest}",
            )
        )
    if spec.template_id is not None:
        overrides = [name for name in CONTAINER_FIELDS if getattr(spec, name) is not None]
        if overrides:
            problems.append(
                FieldProblem(
                    overrides[0],
                    f"{', '.join(overrides)} cannot be set together with template_id on the {flavor_name(flavor)} "
                    "backend: a GraphQL endpoint made from a template runs that template as it is (saveEndpoint "
                    "ignores env when a templateId is referenced), and changing the template would change every "
                    "endpoint that uses it. Set these in the template itself; or drop template_id and give image, "
                    f"so the endpoint gets a template of its own; or use {rest}, where they override the template",
                )
            )
    if flavor != "tensorone":
        return problems
    if spec.flashboot == "PRIORITY_FLASHBOOT":
        problems.append(FieldProblem("flashboot", "tensorone offers FlashBoot on or off: use 'FLASHBOOT' or 'OFF'"))
    if spec.min_cuda_version is not None:
        problems.append(
            FieldProblem("min_cuda_version", "tensorone has no minimum CUDA version: use allowed_cuda_versions")
        )
    if spec.network_volume_ids and len(spec.network_volume_ids) > 1:
        problems.append(FieldProblem("network_volume_ids", "tensorone mounts at most one network volume per endpoint"))
    if spec.type != "QUEUE":
        problems.append(FieldProblem("type", "tensorone serves QUEUE endpoints only"))
    return problems


def flavor_name(flavor: str) -> str:
    return "tensorone" if flavor == "tensorone" else "GraphQL (runpod:api graphql)"


# -- spec -> EndpointInput ---------------------------------------------------------------------------
def graphql_input(
    spec: EndpointSpec | Mapping[str, Any], flavor: Flavor, endpoint_id: str | None = None
) -> dict[str, Any]:
    """``EndpointInput`` for ``saveEndpoint``: the whole record, never a null (an update resets what
    it leaves out). ``spec`` is a checked spec, or flat fields last known (the scale to zero)."""
    flat = spec.model_dump(exclude_none=True) if isinstance(spec, EndpointSpec) else dict(spec)
    name = str(flat["name"])
    data: dict[str, Any] = {
        "name": name,
        "workersMin": flat.get("workers_min", 0),
        "workersMax": flat.get("workers_max", 0),
        "scalerType": flat.get("scaler_type") or "QUEUE_DELAY",
        "scalerValue": int(flat.get("scaler_value") or 4),
    }
    if endpoint_id is not None:
        data["id"] = endpoint_id
    if flat.get("idle_timeout") is not None:
        data["idleTimeout"] = flat["idle_timeout"]
    if flat.get("execution_timeout_ms") is not None:
        data["executionTimeoutMs"] = flat["execution_timeout_ms"]
    cpus = cpu_selection(flat.get("cpu"), flat.get("cpu_flavor_ids"), flat.get("vcpu_count"))
    if cpus:
        data["instanceIds"] = [instance_id(c.flavor_id, c.vcpu_count) for c in cpus]  # and no GPU field at all
    else:
        pools, excluded = flat.get("gpu_pools") or [], flat.get("gpu_excluded_types") or []
        data["gpuIds"] = ",".join([*pools, *(f"-{gpu}" for gpu in excluded)])
        data["gpuCount"] = flat.get("gpu_count") or 1
        # An update that leaves the CUDA pair out keeps the old values (runpod-mcp 8b80863): "" clears them
        # (runpodctl's full echo sends minCudaVersion "", flash allowedCudaVersions "").
        clear = "" if endpoint_id is not None else None
        cuda = ",".join(flat.get("allowed_cuda_versions") or []) or clear
        if cuda is not None:
            data["allowedCudaVersions"] = cuda
        floor = flat.get("min_cuda_version") or clear
        if flavor == "runpod" and floor is not None:
            data["minCudaVersion"] = floor
    data["locations"] = ",".join(flat.get("data_center_ids") or [])  # left out or "": no constraint
    volumes = list(flat.get("network_volume_ids") or [])
    flashboot = flat.get("flashboot") or "OFF"
    if flavor == "runpod":
        data["type"] = _TYPES.get(str(flat.get("type") or "QUEUE"), "QB")
        data["networkVolumeIds"] = [{"networkVolumeId": volume} for volume in volumes]  # [] clears; null keeps
        data["flashBootType"] = flashboot
    else:
        data["networkVolumeId"] = volumes[0] if volumes else ""
        if flashboot != "OFF":
            data["name"] = (strip_flashboot_suffix(name) or name) + FLASHBOOT_SUFFIX  # Tensor One's only switch
        if flat.get("template_id") is not None:
            data["templateId"] = flat["template_id"]  # its docs send it on updates too
    if endpoint_id is None:
        if flat.get("template_id") is not None:
            data["templateId"] = flat["template_id"]
        else:
            data["template"] = template_input(flat, name=f"{name[:100]}__{secrets.token_hex(4)}")
    return data


def template_input(flat: Mapping[str, Any], *, name: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The container settings as a template: ``EndpointTemplateInput`` (inline) or ``SaveTemplateInput``."""
    template: dict[str, Any] = {
        "name": name,
        "imageName": flat.get("image"),
        "containerDiskInGb": flat.get("container_disk_gb") or DEFAULT_CONTAINER_DISK_GB,
        "dockerArgs": flat.get("container_args") or "",
        "env": [{"key": k, "value": v} for k, v in (env if env is not None else flat.get("env") or {}).items()],
        "ports": ",".join(flat.get("ports") or []),
        "containerRegistryAuthId": flat.get("registry_auth_id") or "",
    }
    return template


def instance_id(flavor: str, vcpus: int) -> str:
    """``cpu3g-4-16``: flavor, vCPUs and GiB of memory (the flavor's GB per vCPU, from the catalog)."""
    per_vcpu = float((shipped_catalog().cpu_flavor(flavor) or {}).get("ramGbPerVcpu") or 2)
    return f"{flavor}-{vcpus}-{round(vcpus * per_vcpu)}"


# -- Endpoint -> observed ----------------------------------------------------------------------------
def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def owns_template(data: Mapping[str, Any]) -> bool:
    """The endpoint runs a template made for it (inline at create, or by us), not a user's template."""
    template = data.get("template")
    if not isinstance(template, Mapping) or not template.get("id"):
        return False
    endpoint_id = data.get("id")
    return bool(template.get("boundEndpointId") == endpoint_id or template.get("name") == private_template(endpoint_id))


def private_template(endpoint_id: Any) -> str:
    """The name of a template this package made for an endpoint after its create."""
    return f"endpoint-{endpoint_id}-template"


def observed_from_graphql(data: Mapping[str, Any], flavor: Flavor) -> Observed:
    """A GraphQL ``Endpoint`` in the flat spec's names (None where this API does not say)."""
    gpu_ids = _split(data.get("gpuIds"))
    cpus = []
    for item in [str(item) for item in data.get("instanceIds") or []]:
        parts = item.split("-")
        if len(parts) == 3 and parts[1].isdigit():
            cpus.append({"flavor_id": parts[0], "vcpu_count": int(parts[1])})
    counts = {c["vcpu_count"] for c in cpus}
    raw_name = data.get("name")
    flashboot = data.get("flashBootType")
    if flashboot is None:
        flashboot = "FLASHBOOT" if isinstance(raw_name, str) and raw_name.endswith(FLASHBOOT_SUFFIX) else "OFF"
    volumes = [v.get("networkVolumeId") for v in data.get("networkVolumeIds") or [] if isinstance(v, Mapping)]
    if not volumes and data.get("networkVolumeId"):
        volumes = [data["networkVolumeId"]]
    template = data.get("template")
    template = template if isinstance(template, Mapping) else {}
    env_items = template.get("env") if template.get("env") is not None else data.get("env")
    env = {item["key"]: item["value"] for item in env_items or [] if isinstance(item, Mapping) and "key" in item}
    fields: dict[str, Any] = {
        "name": strip_flashboot_suffix(raw_name) if isinstance(raw_name, str) else None,
        "type": _SPEC_TYPES.get(str(data.get("type")), "QUEUE") if data.get("type") else None,
        # An endpoint's own template is not a template_id the program set: only a user's template is.
        "template_id": None if owns_template(data) else data.get("templateId"),
        "image": template.get("imageName"),
        "container_args": template.get("dockerArgs") or None,
        "container_disk_gb": template.get("containerDiskInGb"),
        "ports": _split(template.get("ports")) or None,
        "registry_auth_id": template.get("containerRegistryAuthId") or None,
        "env": env or None,
        "gpu_pools": [item for item in gpu_ids if not item.startswith("-")] or None,
        "gpu_excluded_types": [item[1:] for item in gpu_ids if item.startswith("-")] or None,
        "gpu_count": data.get("gpuCount") if not cpus else None,
        "allowed_cuda_versions": _split(data.get("allowedCudaVersions")) or None,
        "min_cuda_version": data.get("minCudaVersion") or None,
        "cpu": cpus or None,
        "cpu_flavor_ids": list(dict.fromkeys(c["flavor_id"] for c in cpus)) if len(counts) == 1 else None,
        "vcpu_count": next(iter(counts)) if len(counts) == 1 else None,
        "workers_min": data.get("workersMin"),
        "workers_max": data.get("workersMax"),
        "idle_timeout": data.get("idleTimeout"),
        "scaler_type": data.get("scalerType"),
        "scaler_value": data.get("scalerValue"),
        "data_center_ids": _split(data.get("locations")) or None,
        "network_volume_ids": volumes or None,
        "execution_timeout_ms": data.get("executionTimeoutMs"),
        "flashboot": flashboot,
    }
    template = data.get("template")
    bound = isinstance(template, Mapping) and template.get("boundEndpointId") == data.get("id")
    return Observed(
        str(data.get("id")),
        fields,
        created_at=data.get("createdAt"),
        version=data.get("version"),
        bound_template=bound if isinstance(template, Mapping) else None,
    )


# -- the backend ---------------------------------------------------------------------------------------
class GraphQLBackend:
    """``ServerlessEndpoint`` on RunPod's GraphQL API, or Tensor One's copy of it."""

    def __init__(self, session: Session, url: str, *, flavor: str = "runpod", list_cap: int = LIST_CAP) -> None:
        if flavor not in ("runpod", "tensorone"):
            raise ValueError(f"unknown GraphQL flavor {flavor!r}")
        self.flavor: Flavor = "tensorone" if flavor == "tensorone" else "runpod"
        self.name = "tensorone" if flavor == "tensorone" else "graphql"
        self.graphql = GraphQLExecutor(session, url)
        self.list_cap = list_cap
        fields = _TENSORONE_FIELDS if self.flavor == "tensorone" else _RUNPOD_FIELDS
        self._save = f"mutation SaveEndpoint($input: EndpointInput!) {{ saveEndpoint(input: $input) {{ {fields} }} }}"
        self._get = f"query Endpoint($id: String!) {{ myself {{ endpoint(id: $id) {{ {fields} }} }} }}"
        self._list = f"query Endpoints {{ myself {{ endpoints {{ {fields} }} }} }}"
        self._delete = "mutation DeleteEndpoint($id: String!) { deleteEndpoint(id: $id) }"
        # Nullable $input, as runpodctl sends it: valid whether or not the server's argument is non-null.
        self._repoint = (
            "mutation UpdateEndpointTemplate($input: UpdateEndpointTemplateInput) "
            f"{{ updateEndpointTemplate(input: $input) {{ {fields} }} }}"
        )
        template = f"saveTemplate(input: $input) {{ {_TEMPLATE_FIELDS} }}"
        self._save_template = f"mutation SaveTemplate($input: SaveTemplateInput) {{ {template} }}"

    def problems(self, spec: EndpointSpec) -> list[FieldProblem]:
        return graphql_problems(spec, flavor=self.flavor)

    # -- reads -----------------------------------------------------------------------------------------
    def _myself(self, data: Mapping[str, Any], what: str) -> Mapping[str, Any]:
        myself = data.get("myself")
        if myself is None:
            # HTTP 200, no errors, myself: null -- the key authenticates but has no user behind it (LIVE,
            # runpod-mcp credential-check). With "No AiApi found" the executor has already raised NotFound.
            raise Unauthorized(
                f"{what}: the API key has no user behind it (GraphQL myself is null); use a user API key"
            )
        if not isinstance(myself, Mapping):
            raise UnexpectedAnswer(f"{what}: the GraphQL answer's myself is not an object")
        return myself

    def _raw(self, endpoint_id: str) -> Mapping[str, Any]:
        what = f"read endpoint {endpoint_id}"
        if self.flavor == "tensorone":
            return self._find_listed(endpoint_id, what)
        data = self.graphql.execute(
            self._get, {"id": endpoint_id}, idempotent=True, what=what, not_found=ENDPOINT_MISSING
        )
        found = self._myself(data, what).get("endpoint")
        if found is None:
            raise NotFound(f"{what}: no such endpoint", status=404)  # a user, and no endpoint with that id
        if not isinstance(found, Mapping) or found.get("id") != endpoint_id:
            raise UnexpectedAnswer(f"{what}: the answer is not endpoint {endpoint_id}")
        return found

    def _find_listed(self, endpoint_id: str, what: str) -> Mapping[str, Any]:
        """Tensor One documents no single-endpoint read: the list, whose absence proves "gone" only
        when the list is complete."""
        items = self._list_raw(what)
        for item in items:
            if item.get("id") == endpoint_id:
                return item
        if len(items) >= self.list_cap:
            raise UnexpectedAnswer(
                f"{what}: not among the first {self.list_cap} endpoints, and the API lists no more; it may still "
                "exist. Delete unused endpoints so that the account lists fewer"
            )
        raise NotFound(f"{what}: no endpoint with that id is listed", status=404)

    def _list_raw(self, what: str) -> list[Mapping[str, Any]]:
        data = self.graphql.execute(self._list, idempotent=True, what=what)
        items = self._myself(data, what).get("endpoints") or []
        return [item for item in items if isinstance(item, Mapping)]

    def get(self, endpoint_id: str) -> Observed:
        return observed_from_graphql(self._raw(endpoint_id), self.flavor)

    def list(self) -> list[Observed]:
        """Every endpoint of the user. The API answers at most 400, oldest first: at the cap the newest
        are missing, and the create recovery that lists to find its endpoint would make a second one,
        so a full list is an error, not an answer."""
        items = self._list_raw("list endpoints")
        if len(items) >= self.list_cap:
            raise IncompleteList(
                f"list endpoints: the API listed {len(items)} endpoints, the most it lists (oldest first), so the "
                "newest are not among them and a create whose answer was lost cannot be checked safely. Delete "
                "unused endpoints, or use the REST v2 API (the default: remove runpod:api graphql)"
            )
        return [observed_from_graphql(item, self.flavor) for item in items]

    # -- writes ----------------------------------------------------------------------------------------
    def _saved(self, data: Mapping[str, Any], key: str, what: str) -> Mapping[str, Any]:
        saved = data.get(key)
        if not isinstance(saved, Mapping):
            raise UnexpectedAnswer(f"{what}: {key} returned nothing")
        return saved

    def _save_endpoint(self, payload: dict[str, Any], what: str, *, idempotent: bool) -> Mapping[str, Any]:
        data = self.graphql.execute(
            self._save, {"input": payload}, idempotent=idempotent, what=what, not_found=ENDPOINT_MISSING
        )
        return self._saved(data, "saveEndpoint", what)

    def create(self, spec: EndpointSpec) -> Observed:
        what = f"create endpoint {spec.name!r}"
        saved = self._save_endpoint(graphql_input(spec, self.flavor), what, idempotent=False)
        return observed_from_graphql(saved, self.flavor)

    def update(self, endpoint_id: str, change: Change, *, current: Observed | None = None) -> Observed | None:
        """Template first (re-point, or write the endpoint's own), then the whole record."""
        what = f"update endpoint {endpoint_id}"
        new = change.new
        if self.flavor == "tensorone":
            self._refuse_container_change_on_tensorone(change, what)
        else:
            if new.template_id is not None:
                if change.reapply_template:
                    self._repoint_to(endpoint_id, new.template_id, what)
            elif self._container_changes(change):
                self._write_own_template(endpoint_id, change, what)
        record = change.whole(SPEC_FIELDS)
        saved = self._save_endpoint(graphql_input(record, self.flavor, endpoint_id), what, idempotent=True)
        if self.flavor == "tensorone" and new.template_id is not None and saved.get("templateId") != new.template_id:
            raise ValidationFailed(
                f"{what}: Tensor One kept template {saved.get('templateId')!r} instead of {new.template_id!r}; it "
                "documents no way to change an endpoint's template. Replace the endpoint (a new resource name) "
                "to move it to another template"
            )
        return observed_from_graphql(saved, self.flavor)

    def _refuse_container_change_on_tensorone(self, change: Change, what: str) -> None:
        if change.new.template_id is None and self._container_changes(change):
            raise ValidationFailed(
                f"{what}: Tensor One documents no way to change an endpoint's image, arguments, disk, ports, "
                "registry or env in place. Replace the endpoint (a new resource name), or make it from a "
                "Tensor One template (template_id) and edit the template there"
            )

    def _container_changes(self, change: Change) -> bool:
        """Whether the endpoint's own template must be (re)written: container settings differ from the
        last observed ones, or the endpoint was until now on a template the program named."""
        old = change.old
        if "template_id" in (old.get(MANAGED_FIELDS) or []) and old.get("template_id") is not None:
            return True
        record = change.whole(SPEC_FIELDS)  # what the program does not manage stays as observed: no change
        for name in ("image", "container_args", "container_disk_gb", "registry_auth_id"):
            if (record.get(name) or None) != (old.get(name) or None):
                return True
        if sorted(record.get("ports") or []) != sorted(old.get("ports") or []):
            return True
        return change.env_to_send() != dict(old.get("env") or {})

    def _write_own_template(self, endpoint_id: str, change: Change, what: str) -> None:
        """``saveTemplate`` on the endpoint's own template; one made first if it runs someone else's."""
        raw = self._raw(endpoint_id)
        template = raw.get("template") if isinstance(raw.get("template"), Mapping) else None
        flat = change.whole(SPEC_FIELDS)
        if change.new.container_disk_gb is None and template is not None:
            flat["container_disk_gb"] = template.get("containerDiskInGb")  # not ours to change
        if owns_template(raw) and template is not None:
            payload = template_input(flat, name=str(template.get("name")), env=change.env_to_send())
            payload.update(id=template["id"], volumeInGb=0)
            self.graphql.execute(self._save_template, {"input": payload}, idempotent=True, what=what)
            return
        # The endpoint runs a template it does not own (the user's, maybe shared): never write that one.
        payload = template_input(flat, name=private_template(endpoint_id), env=change.env_to_send())
        payload.update(volumeInGb=0, isServerless=True)
        data = self.graphql.execute(self._save_template, {"input": payload}, idempotent=False, what=what)
        made = self._saved(data, "saveTemplate", what)
        self._repoint_to(endpoint_id, str(made.get("id")), what)

    def _repoint_to(self, endpoint_id: str, template_id: str, what: str) -> None:
        variables = {"input": {"endpointId": endpoint_id, "templateId": template_id}}
        data = self.graphql.execute(self._repoint, variables, idempotent=True, what=what, not_found=ENDPOINT_MISSING)
        self._saved(data, "updateEndpointTemplate", what)

    def scale_to_zero(self, endpoint_id: str, last_known: Mapping[str, Any] | None) -> None:
        """saveEndpoint resets what it is not sent, so it gets the whole record, at zero workers."""
        fields = {key: value for key, value in (last_known or {}).items() if value is not None}
        if not fields.get("name") or not (fields.get("gpu_pools") or fields.get("cpu") or fields.get("cpu_flavor_ids")):
            fields = {k: v for k, v in self.get(endpoint_id).fields.items() if v is not None}
        fields.update(workers_min=0, workers_max=0)
        what = f"scale endpoint {endpoint_id} to zero"
        self._save_endpoint(graphql_input(fields, self.flavor, endpoint_id), what, idempotent=True)

    def delete(self, endpoint_id: str, last_known: Mapping[str, Any] | None = None) -> None:
        self.graphql.execute(
            self._delete,
            {"id": endpoint_id},
            idempotent=True,
            what=f"delete endpoint {endpoint_id}",
            not_found=ENDPOINT_MISSING,
        )

    def rollout(self, endpoint_id: str) -> RolloutState | None:
        return None  # GraphQL reports no releases: there is nothing to wait for
