"""python -m flowsync export --url URL [--project NAME] [--out DIR] [--prune]

The API key is read from the environment (LANGFLOW_API_KEY, or the variable --api-key-env names),
never from the command line. Exit status: 0 all written, 1 a flow refused or the API failed, 2 a
usage error."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .client import ApiError, Client
from .export import export

API_KEY_ENV = "LANGFLOW_API_KEY"


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m flowsync", description="Flows of a Langflow IDE, promoted through Git.")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser(
        "export",
        help="write the IDE's flows into a directory, normalised",
        description=f"The API key of the flows' owner is read from ${API_KEY_ENV} (or --api-key-env).",
    )
    command.add_argument("--url", required=True, help="the IDE's origin, e.g. https://flows-dev.example.com")
    command.add_argument("--project", metavar="NAME", help="only this project's flows (default: all the key's user owns)")
    command.add_argument("--out", metavar="DIR", type=Path, default=Path("flows"), help="the flows directory (default: flows)")
    command.add_argument("--prune", action="store_true", help="delete the files of flows no longer exported")
    command.add_argument(
        "--api-key-env", metavar="VAR", default=API_KEY_ENV, help=f"the API key's variable (default: {API_KEY_ENV})"
    )
    return parser


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--url must be an http:// or https:// origin, got {url!r}")
    return url


def _api_key(variable: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise UsageError(f"{variable} is not set: export the API key of the flows' owner in it (never on the command line)")
    return key


def _in_project(client: Client, flows: list[dict[str, Any]], project: str) -> list[dict[str, Any]]:
    projects = client.projects()
    matches = [p for p in projects if p.get("name") == project]
    if len(matches) != 1:
        names = ", ".join(sorted(repr(p.get("name")) for p in projects)) or "none"
        problem = "no project" if not matches else f"{len(matches)} projects"
        raise ApiError(f"{problem} named {project!r} in {client.url}; its projects: {names}")
    return [f for f in flows if f.get("folder_id") == matches[0].get("id")]


def _export(args: argparse.Namespace) -> int:
    client = Client(_checked_url(args.url), _api_key(args.api_key_env))
    # Saved components are reusable pieces of the editor, not flows to serve.
    flows = [f for f in client.flows() if not f.get("is_component")]
    if args.project is not None:
        flows = _in_project(client, flows, args.project)
    outcome = export(flows, args.out, prune=args.prune)
    for line in outcome.done:
        print(line)
    for line in outcome.refused:
        print(f"error: {line}", file=sys.stderr)
    return 1 if outcome.refused else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _export(args)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (ApiError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
