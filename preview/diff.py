"""A Markdown diff of two plan.json files: for pull requests where a real preview has
no credentials (forks), the offline plans of the base and the head are compared."""

from __future__ import annotations

from typing import Any


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """`{"a": {"b": [1]}}` -> `{"a.b[0]": 1}`; empty containers are kept as leaves, but an
    empty document (`{}`, `[]`) has no paths at all."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{index}]"))
        return out
    if not prefix and isinstance(value, (dict, list)):
        return {}
    return {prefix: value}


def _comparable(resource: dict[str, Any]) -> dict[str, Any]:
    return {
        "inputs": resource.get("inputs", {}),
        "protect": resource.get("protect", False),
        "provider": resource.get("provider", ""),
        "parent": resource.get("parent", ""),
    }


def _ancestors(path: str) -> list[str]:
    """`a.b[0].c` -> `["a", "a.b", "a.b[0]"]`."""
    cuts = [i for i, ch in enumerate(path) if ch in ".[" and i > 0]
    return [path[:i] for i in cuts]


def changed_paths(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Leaf paths whose value differs; a subtree that exists on one side only is named once, by its root."""
    before, after = flatten(_comparable(old)), flatten(_comparable(new))
    changed = set()
    for path in before.keys() | after.keys():
        if before.get(path, ...) == after.get(path, ...):
            continue
        side = before if path not in before else after if path not in after else None
        root = path
        if side is not None:
            for ancestor in _ancestors(path):
                if not any(key == ancestor or key.startswith((f"{ancestor}.", f"{ancestor}[")) for key in side):
                    root = ancestor
                    break
        changed.add(root)
    return sorted(changed)


def markdown_diff(old: dict[str, Any], new: dict[str, Any]) -> str:
    before = {r["urn"]: r for r in old.get("resources", [])}
    after = {r["urn"]: r for r in new.get("resources", [])}
    added = [after[u] for u in after if u not in before]
    removed = [before[u] for u in before if u not in after]
    changed = [(after[u], changed_paths(before[u], after[u])) for u in after if u in before]
    changed = [(r, paths) for r, paths in changed if paths]

    old_outputs, new_outputs = flatten(old.get("outputs", {})), flatten(new.get("outputs", {}))
    output_changes = sorted(
        k for k in old_outputs.keys() | new_outputs.keys() if old_outputs.get(k, ...) != new_outputs.get(k, ...)
    )

    title = f"### Offline plan diff: `{new.get('project')}` / `{new.get('stack')}` ({new.get('cloud')})"
    lines = [title, "", f"**{len(added)} to add, {len(changed)} to change, {len(removed)} to remove**"]
    if not (added or removed or changed or output_changes):
        lines += ["", "No changes."]
    for heading, sign, group in (("Added", "+", added), ("Removed", "-", removed)):
        if group:
            lines += ["", f"#### {heading}", ""]
            lines += [f"- `{sign}` `{r['type']}` **{r['name']}**" + (" (protected)" if r.get("protect") else "") for r in group]
    if changed:
        lines += ["", "#### Changed", ""]
        for resource, paths in changed:
            lines.append(f"- `~` `{resource['type']}` **{resource['name']}**: " + ", ".join(f"`{p}`" for p in paths))
    if output_changes:
        lines += ["", "#### Outputs changed", "", ", ".join(f"`{k}`" for k in output_changes)]
    return "\n".join(lines) + "\n"
