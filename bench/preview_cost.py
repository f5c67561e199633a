"""What the offline preview costs beyond importing the SDKs it cannot do without.

For every stack file `Pulumi.<stack>.yaml` of the project and every cloud whose
foundation exists, this measures in fresh processes:

- preview: `python -m preview <stack> --stack-file <file> --cloud <cloud>`, run in-process
  by a child (its stdout discarded, its plan written to a temporary directory);
- import floor: a child that only imports what declaring that stack's resources needs:
  pulumi, pydantic, yaml, helm_python with its Helm library loaded (the preview renders
  the project's chart with it) and, for every custom resource type of the stack's plan, the SDK
  module that defines its class (`aws:ec2/vpc:Vpc` -> `pulumi_aws.ec2.vpc.Vpc`). The cloud
  SDKs load their modules lazily, so a bare `import pulumi_aws` would not be a floor.

Wall time is measured around each child process (interpreter start-up included, alike
for both); peak memory is the child's own max RSS (getrusage(RUSAGE_SELF) at its end).
The ratio of CPU time (user + system, same getrusage) is shown beside the wall-time ratio:
on a busy machine wall time is noisy, CPU time much less so; the target is on wall time.
Each figure is the median of --repeat runs, after one warm-up preview. The preview child
also reports which SDK packages it imported: an AWS stack must load neither pulumi_gcp
nor pulumi_azure_native.

This is a report, not a test: it exits 0, and says MISSED for every target missed.
Run it with `make bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5
# helm_python: the preview renders the project's chart with it (Helm's Go SDK, 80 MB).
BASE_MODULES = ("pulumi", "pydantic", "yaml", "helm_python")
CLOUD_SDKS = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure": "pulumi_azure_native"}


# --- children: run in a fresh interpreter, report to a JSON file ----------------------


def _usage() -> dict[str, Any]:
    """This process's peak memory (bytes) and CPU time (user + system seconds) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return {"max_rss": peak, "cpu": usage.ru_utime + usage.ru_stime}


def _sdk_packages() -> list[str]:
    return sorted(name for name in sys.modules if name.startswith("pulumi_") and "." not in name)


def _child_preview(stack: str, stack_file: str, cloud: str, out_dir: str) -> dict[str, Any]:
    sys.path.insert(0, str(PROJECT_DIR))
    from preview.cli import main

    with Path(os.devnull).open("w") as devnull, contextlib.redirect_stdout(devnull):
        code = main([stack, "--stack-file", stack_file, "--cloud", cloud, "--out", out_dir])
    return {"exit_code": code, **_usage(), "sdk_packages": _sdk_packages()}


def _resource_class(type_token: str) -> tuple[str, str]:
    """(module, class) of a custom resource type: `aws:ec2/vpc:Vpc` -> (`pulumi_aws.ec2.vpc`, `Vpc`)."""
    package, module, name = type_token.split(":")
    if package == "pulumi" and module == "providers":
        return f"pulumi_{name.replace('-', '_')}", "Provider"
    if package == "kubernetes":
        # `networking.k8s.io/v1` -> `networking.v1`; `helm.sh/v3` -> `helm.v3`; CRDs -> CustomResource.
        group, version = module.split("/")
        candidate = f"pulumi_kubernetes.{group.split('.')[0].replace('-', '_')}.{version}"
        try:
            if hasattr(importlib.import_module(candidate), name):
                return candidate, name
        except ModuleNotFoundError:
            pass
        return "pulumi_kubernetes.apiextensions", "CustomResource"
    root = f"pulumi_{package.replace('-', '_')}"
    parts = [part for part in module.split("/") if part != "index"]
    for length in range(len(parts), -1, -1):
        candidate = ".".join([root, *parts[:length]])
        try:
            if hasattr(importlib.import_module(candidate), name):
                return candidate, name
        except ModuleNotFoundError as error:
            if error.name is None or not candidate.startswith(error.name):
                raise
    raise LookupError(f"no SDK class for resource type {type_token}")


def _child_floor(types: list[str]) -> dict[str, Any]:
    for module in BASE_MODULES:
        importlib.import_module(module)
    importlib.import_module("helm_python").helm_sdk_version()  # loads the shared library itself
    classes = sorted({_resource_class(token) for token in types})
    # The preview imports the SDKs inside its program run, with the cycle collector
    # paused (preview.runner): the floor imports them the same way, which makes it
    # lower, not higher, than importing them with the collector on.
    sys.path.insert(0, str(PROJECT_DIR))
    from preview.runner import cycle_collector_paused

    with cycle_collector_paused():
        for module, name in classes:
            getattr(importlib.import_module(module), name)
    return {"exit_code": 0, **_usage(), "sdk_packages": _sdk_packages(), "modules": [m for m, _ in classes]}


def _child(argv: list[str]) -> int:
    kind, report = argv[0], Path(argv[1])
    result = _child_preview(*argv[2:6]) if kind == "preview" else _child_floor(json.loads(argv[2]))
    report.write_text(json.dumps(result))
    return 0


# --- the parent: measure, repeat, report ----------------------------------------------


@dataclass
class Sample:
    seconds: float
    max_rss: int
    cpu: float
    report: dict[str, Any]


@dataclass
class Case:
    stack: str
    stack_file: Path
    cloud: str
    resources: int = 0
    custom_types: list[str] = field(default_factory=list)
    preview: list[Sample] = field(default_factory=list)
    floor: list[Sample] = field(default_factory=list)
    error: str = ""


def _measure(args: list[str], workdir: Path) -> Sample:
    report = workdir / "report.json"
    report.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", args[0], str(report), *args[1:]]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0 or not report.exists():
        raise RuntimeError(f"child {args[0]} failed ({done.returncode}):\n{done.stderr}")
    data = json.loads(report.read_text())
    if data["exit_code"] != 0:
        raise RuntimeError(f"child {args[0]}: preview exited {data['exit_code']}:\n{done.stderr}")
    return Sample(seconds, data["max_rss"], data["cpu"], data)


def _preview(case: Case, workdir: Path) -> Sample:
    out = workdir / "out"
    return _measure(["preview", case.stack, str(case.stack_file), case.cloud, str(out)], workdir)


def _run_case(case: Case, repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="preview-cost-") as tmp:
        workdir = Path(tmp)
        _preview(case, workdir)  # warm-up (byte code, file cache); also gives the plan
        plan = json.loads((workdir / "out" / "plan.json").read_text())
        case.resources = len(plan["resources"])
        case.custom_types = sorted({r["type"] for r in plan["resources"] if r["custom"]})
        for _ in range(repeat):
            case.preview.append(_preview(case, workdir))
            case.floor.append(_measure(["floor", json.dumps(case.custom_types)], workdir))


def _median(samples: list[Sample], attribute: str) -> float:
    return statistics.median(getattr(sample, attribute) for sample in samples)


def _mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"


def _floor_classes(modules: list[str]) -> str:
    """`35 resource classes from pulumi_aws (ec2, eks, ...), pulumi_random`."""
    groups: dict[str, set[str]] = {}
    for module in modules:
        package, _, rest = module.partition(".")
        groups.setdefault(package, set()).update([rest.split(".")[0]] if rest else [])
    packages = [f"{package} ({', '.join(sorted(subs))})" if subs else package for package, subs in sorted(groups.items())]
    return f"{len(modules)} resource classes from {', '.join(packages)}"


def _report(cases: list[Case], repeat: int) -> list[str]:
    """Print the table and the SDKs loaded; the list of missed targets."""
    header = ("stack", "cloud", "resources", "preview", "floor", "ratio", "(cpu ratio)", "preview RSS", "floor RSS", "ratio")
    rows = []
    missed = []
    for case in cases:
        seconds = _median(case.preview, "seconds"), _median(case.floor, "seconds")
        memory = _median(case.preview, "max_rss"), _median(case.floor, "max_rss")
        time_ratio, memory_ratio = seconds[0] / seconds[1], memory[0] / memory[1]
        cpu_ratio = _median(case.preview, "cpu") / _median(case.floor, "cpu")
        rows.append(
            (
                case.stack,
                case.cloud,
                str(case.resources),
                f"{seconds[0]:.2f} s",
                f"{seconds[1]:.2f} s",
                f"{time_ratio:.2f}x",
                f"({cpu_ratio:.2f}x)",
                _mib(memory[0]),
                _mib(memory[1]),
                f"{memory_ratio:.2f}x",
            )
        )
        for what, ratio in (("time", time_ratio), ("peak memory", memory_ratio)):
            if ratio > TARGET_RATIO:
                missed.append(
                    f"{case.stack}/{case.cloud}: preview {what} is {ratio:.2f}x the import floor (target <= {TARGET_RATIO}x)"
                )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"Offline preview cost against the SDK import floor: median of {repeat} fresh processes each")
    print(f"Target: preview <= {TARGET_RATIO}x the import floor, in wall time and in peak memory (max RSS)\n")
    for row in [header, *rows]:
        print(
            "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width) for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )

    print("\nSDK packages loaded by the preview (an AWS stack must load neither pulumi_gcp nor pulumi_azure_native):")
    for case in cases:
        loaded = sorted({name for sample in case.preview for name in sample.report["sdk_packages"]})
        floor_loaded = sorted({name for sample in case.floor for name in sample.report["sdk_packages"]})
        foreign = [sdk for cloud, sdk in CLOUD_SDKS.items() if cloud != case.cloud]
        verdicts = ", ".join(f"{sdk} {'IMPORTED' if sdk in loaded else 'not imported'}" for sdk in foreign)
        print(f"  {case.stack}/{case.cloud}: {', '.join(loaded)}; {verdicts}")
        for sdk in foreign:
            if sdk in loaded:
                missed.append(f"{case.stack}/{case.cloud}: the preview imported {sdk}, another cloud's SDK")
        beyond = sorted(set(loaded) - set(floor_loaded))
        if beyond:
            print(f"    beyond the floor: {', '.join(beyond)}")
        print(f"    floor: {', '.join(BASE_MODULES)} + {_floor_classes(case.floor[0].report['modules'])}")
    return missed


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    sys.path.insert(0, str(PROJECT_DIR))
    from components.config.rules import AVAILABLE_CLOUDS

    stack_files = sorted(PROJECT_DIR.glob("Pulumi.*.yaml"))
    cases = [
        Case(stack=path.name.removeprefix("Pulumi.").removesuffix(".yaml"), stack_file=path, cloud=cloud)
        for path in stack_files
        for cloud in AVAILABLE_CLOUDS
    ]
    for case in cases:
        print(f"measuring {case.stack}/{case.cloud} ...", file=sys.stderr, flush=True)
        try:
            _run_case(case, args.repeat)
        except RuntimeError as error:
            case.error = str(error)
    missed = _report([case for case in cases if not case.error], args.repeat)
    missed += [f"{case.stack}/{case.cloud} could not be measured: {case.error}" for case in cases if case.error]
    print()
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        print("All targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
