"""What policy/charts.py says about the charts, checked where it can be: this repository's chart is rendered
offline, so its claim that the templates set runAsNonRoot and readOnlyRootFilesystem is checked on what Helm
renders with each stack's values."""

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from policy.charts import CHARTS, Merged, chart_name
from policy.values import at
from policy.workloads import POD_SPECS, pod_spec_problems
from preview.cli import rendered_objects
from tests.policy.plans import CLOUDS, document

KINDS = {token.rsplit(":", 1)[-1]: path for token, path in POD_SPECS.items()}


def rendered_workloads(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in rendered_objects(doc) if o.get("kind") in KINDS]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_local_charts_templates_harden_what_the_policy_takes_from_them(cloud: str) -> None:
    doc = document("prod", cloud)
    local = [c for c in doc["charts"] if c["rendered"]]
    assert [chart_name(c["chart"]) for c in local] == ["flow-platform"]
    assert CHARTS["flow-platform"].components[0].fixed == {"runAsNonRoot", "readOnlyRootFilesystem"}
    workloads = rendered_workloads(doc)
    assert [o["kind"] for o in workloads] == ["Deployment"]
    spec = workloads[0]
    for step in KINDS["Deployment"]:
        spec = spec[step]
    assert pod_spec_problems(spec) == []


def test_a_rendered_container_without_the_templates_hardening_would_be_reported() -> None:
    doc = document("prod", "aws")
    spec = rendered_workloads(doc)[0]["spec"]["template"]["spec"]
    del spec["securityContext"]["runAsNonRoot"]
    for container in spec["containers"]:
        container["securityContext"].pop("runAsNonRoot", None)
        container["securityContext"]["readOnlyRootFilesystem"] = False
    assert pod_spec_problems(spec) == [
        "container langflow: runAsNonRoot is not true",
        "container langflow: readOnlyRootFilesystem is not true",
    ]


def plain(value: Any) -> Any:
    return {k: plain(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def test_values_merge_over_defaults_as_helm_merges_them() -> None:
    defaults = {"a": {"b": 1, "c": {"d": 2}}, "e": [1, 2]}
    assert plain(Merged(defaults, {"a": {"c": {"x": 3}}, "e": [3]})) == {"a": {"b": 1, "c": {"d": 2, "x": 3}}, "e": [3]}
    assert plain(Merged(defaults, {"a": {"c": None}})) == {"a": {"b": 1}, "e": [1, 2]}


class Unknown(Mapping[str, Any]):
    """A value map whose `secret` key cannot be read, as the SDK's proxy raises for a value unknown in preview."""

    def __init__(self, known: dict[str, Any]) -> None:
        self._known = known

    def __getitem__(self, key: str) -> Any:
        if key == "secret":
            raise LookupError("unknown during preview")
        return self._known[key]

    def __iter__(self) -> Iterator[str]:
        return iter([*self._known, "secret"])

    def __len__(self) -> int:
        return len(self._known) + 1


def test_only_the_paths_read_are_touched() -> None:
    merged = Merged({"resources": {}}, Unknown({"resources": {"limits": {"memory": "1Gi"}}}))
    assert at(merged, "resources", "limits", "memory") == "1Gi"
    with pytest.raises(LookupError):
        at(merged, "secret")
