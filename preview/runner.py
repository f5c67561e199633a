"""Running the Pulumi program in-process under mocks, recording every registration
exactly as the engine would receive it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import runpy
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.config import set_all_config
from pulumi.runtime.proto import engine_pb2
from pulumi.runtime.stack import run_in_stack

SECRET = "[secret]"
UNKNOWN = "[unknown]"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
_OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
_ASSET_SIGS = {"c44067f5952c0a294b673a41bacd8c17": "[asset]", "0def7320c3a5731c473e5ecbe6d01bc7": "[archive]"}
_UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SIG_KEY = "4dabf18193072939515e22adb298388d"


def plain(value: Any) -> Any:
    """A deserialized-from-the-wire property value as plain JSON: secrets hidden."""
    if isinstance(value, dict):
        sig = value.get(_SIG_KEY)
        if sig == _SECRET_SIG:
            # A secret mapping (a Secret's data) keeps its keys: they name, they do not reveal.
            inner = value.get("value")
            return {key: SECRET for key in sorted(inner)} if isinstance(inner, dict) else SECRET
        if sig == _RESOURCE_SIG:
            return value.get("urn", "")
        if sig == _OUTPUT_SIG:
            return SECRET if value.get("secret") else plain(value.get("value", UNKNOWN))
        if sig in _ASSET_SIGS:
            return _ASSET_SIGS[sig]
        return {key: plain(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == _UNKNOWN_VALUE:
        return UNKNOWN
    return value


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    protect: bool
    provider: str
    dependencies: list[str]
    inputs: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ProgramRun:
    project: str
    stack: str
    resources: list[Registration] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    # What the program told the engine with pulumi.log.warn (placeholders, an empty flows directory).
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off for one program run, back as it was afterwards.

    A run holds every output of every resource as a pending asyncio task until its
    resource registers, and while any is pending the SDK's `wait_for_rpcs` waits on all of
    them at once, allocating a callback per task on every turn. Those allocations keep
    triggering collections that traverse the same long-lived tasks (and the SDK modules the
    run imports) again and again. Paused, the first `prod` preview in a process took 3.4 s
    instead of 3.9 s (Azure), 3.8 instead of 4.4 (AWS), 4.0 instead of 4.6 (GCP);
    `bench/preview_cost.py` measures the whole preview. Reference counting still frees what
    the run drops; the cycles it leaves are collected once the collector is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class DefaultProviderError(Exception):
    """A resource fell back to a default provider the stack disables."""


def disabled_default_providers(config: dict[str, str]) -> set[str]:
    """Packages whose default provider the stack disables; `*` stands for all."""
    raw = config.get("pulumi:disable-default-providers", "[]")
    return {str(name) for name in json.loads(raw)} if raw.startswith("[") else {raw}


class RecordingEngine(pulumi_mocks.MockEngine):
    """The SDK's mock engine, keeping the program's warnings instead of logging them."""

    def __init__(self, run: ProgramRun):
        super().__init__(logging.getLogger("preview"))
        self.run = run

    def Log(self, request):  # noqa: N802 - gRPC method name
        if request.severity == engine_pb2.WARNING:
            self.run.warnings.append(request.message)
        else:
            super().Log(request)


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The SDK's mock monitor, also keeping each register request as sent."""

    def __init__(self, mocks: pulumi_mocks.Mocks, run: ProgramRun, disabled_default_providers: set[str]):
        super().__init__(mocks)
        self.run = run
        self._stack_urn = ""
        self._disabled = disabled_default_providers

    def RegisterResource(self, request):  # noqa: N802 - gRPC method name
        package = request.type.split(":", 1)[0]
        disabled = package in self._disabled or ("*" in self._disabled and package != "pulumi")
        if request.custom and not request.provider and disabled:
            # What the engine does under `pulumi:disable-default-providers`.
            raise DefaultProviderError(
                f"{request.type} {request.name!r} has no explicit provider, and the stack disables"
                f" the default {package} provider (pulumi:disable-default-providers)"
            )
        response = super().RegisterResource(request)
        # The engine, not the SDK, makes `additionalSecretOutputs` (a password's `result`) secret.
        fields = response.object.fields
        for key in request.additionalSecretOutputs:
            if key in fields:
                secret = struct_pb2.Struct()
                secret.fields[_SIG_KEY].string_value = _SECRET_SIG
                secret.fields["value"].CopyFrom(fields[key])
                fields[key].struct_value.CopyFrom(secret)
        dependencies = set(request.dependencies)
        for deps in request.propertyDependencies.values():
            dependencies.update(deps.urns)
        if request.type == "pulumi:pulumi:Stack":
            self._stack_urn = response.urn
        self.run.resources.append(
            Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                custom=bool(request.custom),
                protect=bool(request.protect),
                # A provider reference is "<urn>::<id>".
                provider=request.provider.rsplit("::", 1)[0] if request.provider else "",
                dependencies=sorted(dependencies),
                inputs=plain(json_format.MessageToDict(request.object)),
            )
        )
        return response

    def RegisterResourceOutputs(self, request):  # noqa: N802 - gRPC method name
        if request.urn == self._stack_urn:
            self.run.outputs = plain(json_format.MessageToDict(request.outputs))
        return super().RegisterResourceOutputs(request)


def run_program(
    project_dir: Path,
    *,
    project: str,
    stack: str,
    config: dict[str, str],
    mocks: pulumi_mocks.Mocks,
    program: Callable[[], None] | None = None,
) -> ProgramRun:
    """Run `project_dir/__main__.py` (or `program`) for `stack` with `config`, as `pulumi up` would.

    Exceptions of the program (pulumi.RunError for bad config) propagate to the caller.
    """
    run = ProgramRun(project=project, stack=stack)
    monitor = RecordingMonitor(mocks, run, disabled_default_providers(config))
    settings = pulumi_mocks.MockSettings(
        monitor=monitor,
        monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
        engine=RecordingEngine(run),
        project=project,
        stack=stack,
        dry_run=False,
        organization="organization",
        callbacks=None,
    )
    pulumi_settings.configure(settings)
    pulumi_settings.ROOT.set(None)
    set_all_config(config, [])
    main_path = str(project_dir / "__main__.py")
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))

    def program_main() -> None:
        if program is not None:
            program()
        else:
            runpy.run_path(main_path, run_name="__main__")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Pulumi runs a program from its project directory: relative paths (the chart, the
    # flows) resolve the same way here.
    previous_dir = Path.cwd()
    os.chdir(project_dir)
    try:
        with cycle_collector_paused():
            loop.run_until_complete(run_in_stack(program_main))
    finally:
        os.chdir(previous_dir)
        # A failed run leaves outputs waiting on what never came: end them quietly.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()
        # Leave a usable loop behind for whatever runs next in this thread.
        asyncio.set_event_loop(asyncio.new_event_loop())
    return run
