"""flowsync/normalise.py: the same flow, the same bytes; a real change, other bytes."""

from __future__ import annotations

import json

from flowsync.normalise import normalise, render

from .flows import ECHO, echo, flow, node

ID = "4f0a8d3e-6c1b-4d2a-9e57-1b2c3d4e5f61"


def _two_nodes() -> dict:
    return flow(ID, "Two", node("ChatInput-a", "Chat Input"), node("ChatOutput-b", "Chat Output"), endpoint_name="two")


def test_rendering_is_idempotent_and_ends_with_one_newline():
    text = render(_two_nodes())
    assert render(json.loads(text)) == text
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "data": {\n    "edges": []')


def test_what_each_instance_or_look_sets_changes_nothing():
    base = render(_two_nodes())
    other = _two_nodes()
    other |= {
        "updated_at": "2027-01-01T00:00:00+00:00",
        "user_id": "11111111-1111-4111-8111-111111111111",
        "folder_id": "22222222-2222-4222-8222-222222222222",
        "workspace_id": "33333333-3333-4333-8333-333333333333",
        "version_token": "44444444-4444-4444-8444-444444444444",
    }
    other["data"]["viewport"] = {"x": -312.5, "y": 40, "zoom": 0.7}
    first = other["data"]["nodes"][0]
    first |= {"selected": True, "dragging": True, "measured": {"width": 320, "height": 234}, "positionAbsolute": {"x": 1, "y": 2}}
    assert render(other) == base


def test_key_and_element_order_change_nothing():
    base = _two_nodes()
    shuffled = json.loads(json.dumps(dict(reversed(base.items()))))
    shuffled["data"]["nodes"].reverse()
    assert render(shuffled) == render(base)


def test_a_real_change_shows():
    base = render(_two_nodes())
    for change in (
        lambda f: f.update(name="Two renamed"),
        lambda f: f["data"]["nodes"][0]["data"]["node"]["template"].update(x={"value": "1"}),
        lambda f: f["data"]["nodes"][1]["position"].update(x=400),
        lambda f: f["data"]["nodes"].pop(),
        lambda f: f.update(endpoint_name="three"),
    ):
        changed = _two_nodes()
        change(changed)
        assert render(changed) != base


def test_a_group_nodes_inner_flow_is_normalised_too():
    group = node("GroupNode-g", "Group")
    group["data"]["node"]["flow"] = {"data": {"nodes": [{**node("X-1", "X"), "selected": True}], "edges": [], "viewport": {}}}
    inner = normalise(flow(ID, "Grouped", group))["data"]["nodes"][0]["data"]["node"]["flow"]["data"]
    assert "viewport" not in inner and "selected" not in inner["nodes"][0]


def test_text_is_kept_as_written():
    assert '"name": "Écho œ"' in render(flow(ID, "Écho œ"))


def test_the_input_is_not_changed():
    original = _two_nodes()
    before = json.dumps(original, sort_keys=True)
    render(original)
    assert json.dumps(original, sort_keys=True) == before


def test_the_shipped_flows_are_normalised():
    # What an export of them from the IDE writes: a first export makes no diff.
    assert render(echo()) == ECHO.read_text()
