"""One Langflow process started as the pod would start it.

The container is modelled with a mount namespace (bubblewrap): the host's root is mounted
read-only, the Deployment's emptyDirs are empty writable directories at their mount paths,
its ConfigMap volumes are read-only directories of the ConfigMap's files, the Langflow venv
sits where the image has it (/app/.venv), and /dev/shm is a fresh tmpfs as in any
container. The process runs as the Deployment's runAsUser/runAsGroup with fsGroup as its
supplementary group, no capabilities and no_new_privs, with exactly the container's
environment. The network namespace is the host's, so the app reaches the servers on
loopback; the container's listen address (0.0.0.0:containerPort in its own network
namespace) becomes 127.0.0.1 on a free port, the way a port mapping would.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .deployment import IMAGE_ENV, IMAGE_PATH, Workload
from .processes import free_port, plain, process_tree, pss_bytes, stop_tree, tail, wait_for

LOOPBACK = "127.0.0.1"
IMAGE_VENV = "/app/.venv"
# Bounds of the waits. The first start of a Langflow version migrates an empty database
# and indexes every component; on a 2-core CI machine that takes minutes.
STARTUP_TIMEOUT = float(os.environ.get("E2E_STARTUP_TIMEOUT", "900"))
READY_TIMEOUT = 120.0
REQUEST_TIMEOUT = 60.0


def listen_locally(command: tuple[str, ...], env: dict[str, str], container_port: int, port: int):
    """The container's listen address, in its CLI flags and environment, moved to loopback:
    host 0.0.0.0 -> 127.0.0.1, containerPort -> `port`. Anything else is left as it is."""
    argv = list(command)
    for i, arg in enumerate(argv[:-1]):
        if arg == "--host":
            argv[i + 1] = LOOPBACK
        if arg == "--port" and argv[i + 1] == str(container_port):
            argv[i + 1] = str(port)
    env = dict(env)
    if "LANGFLOW_HOST" in env:
        env["LANGFLOW_HOST"] = LOOPBACK
    if env.get("LANGFLOW_PORT") == str(container_port):
        env["LANGFLOW_PORT"] = str(port)
    return tuple(argv), env


def openssl_cafile(python: Path) -> Path:
    """The CA bundle OpenSSL reads by default for `python` (the system trust store)."""
    out = subprocess.run(
        [str(python), "-c", "import ssl; print(ssl.get_default_verify_paths().openssl_cafile)"],
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    return Path(out.stdout.strip()).resolve()


@dataclass
class Started:
    seconds: float  # from exec to the startup probe's first 200
    ready_seconds: float | None  # to the readiness probe's first 200, if it came


SKIPPED_ROOT_ENTRIES = {"proc", "dev", "tmp", "app", "sys"}


def _bind_as_is(entry: Path) -> list[str]:
    return ["--symlink", str(entry.readlink()), str(entry)] if entry.is_symlink() else ["--ro-bind", str(entry), str(entry)]


def root_binds(mount_paths: list[str]) -> list[str]:
    """The host's root, read-only, as the image's file system: each top-level directory
    bound as is, except one under which a volume is mounted at a path the host lacks (the
    cache CA at /etc/flow-platform/cache): that one is a fresh directory holding a bind of
    each of its entries, so the kubelet-like mount point can be made in it."""
    args: list[str] = []
    for entry in sorted(Path("/").iterdir()):
        if entry.name in SKIPPED_ROOT_ENTRIES or not (entry.is_dir() or entry.is_symlink()):
            continue
        missing = [
            path
            for path in mount_paths
            if Path(path).is_relative_to(entry)
            and Path(path) != entry
            and not (entry / Path(path).relative_to(entry).parts[0]).exists()
        ]
        if entry.is_dir() and not entry.is_symlink() and missing:
            args += ["--dir", str(entry)]
            for child in sorted(entry.iterdir()):
                args += _bind_as_is(child)
            # bwrap makes a mount point's missing parents 0700; the kubelet's are 0755.
            for path in missing:
                for parent in reversed(Path(path).parents):
                    if parent.is_relative_to(entry) and parent != entry and not parent.exists():
                        args += ["--perms", "0755", "--dir", str(parent)]
        else:
            args += _bind_as_is(entry)
    return args


class Instance:
    """A sandboxed Langflow process for one replica of `workload`."""

    def __init__(
        self,
        name: str,
        workload: Workload,
        env: dict[str, str],
        *,
        venv: Path,
        directory: Path,
        trusted_ca: Path,
        cloud_env: dict[str, str],
        shared: Path | None = None,
        files: dict[str, str] | None = None,
    ):
        """`shared`: the directory behind a volume every replica mounts (a csi volume or a
        claim); `files`: file contents that stand in for the rendered ones, by path (a CA)."""
        self.name, self.workload = name, workload
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o755)
        self.port = free_port()
        self.log = directory / "langflow.log"
        # The image's ENV first, then the Deployment's env (which wins), then what the
        # cloud gives a pod that the test has to stand in for (credentials, endpoints).
        container_env = {"PATH": IMAGE_PATH.format(venv=IMAGE_VENV), **IMAGE_ENV, **env, **cloud_env}
        command, self.env = listen_locally(workload.command, container_env, workload.container_port, self.port)
        self.command = command

        binds: list[str] = []
        self.volumes: dict[str, Path] = {}
        uid, gid = workload.run_as_user, workload.run_as_group
        group = workload.fs_group if workload.fs_group is not None else gid
        for index, mount in enumerate(workload.mounts):
            if mount.kind == "shared":
                assert shared is not None, f"{mount.path}: a shared volume, and no directory for it"
                # As a CSI driver or claim mounts it: the pod's fsGroup owns it, group-writable.
                os.chown(shared, 0, group)
                shared.chmod(0o2770)
                self.volumes[mount.path] = shared
                binds += ["--ro-bind" if mount.read_only else "--bind", str(shared), mount.path]
                continue
            source = directory / f"volume-{index}-{mount.kind}"
            source.mkdir()
            self.volumes[mount.path] = source
            if mount.kind == "emptyDir":
                # The kubelet makes an emptyDir 0777; with fsGroup, group-owned and setgid.
                os.chown(source, 0, group)
                source.chmod(0o2777 if workload.fs_group is not None else 0o777)
            else:
                for filename, content in mount.files.items():
                    content = (files or {}).get(f"{mount.path}/{filename}", content)
                    (source / filename).write_text(content)
                    (source / filename).chmod(0o444)
            binds += ["--ro-bind" if mount.read_only else "--bind", str(source), mount.path]

        # The image's trust store holds the CA of the managed services' certificates (a
        # public one in the cloud); here the test CA is added to the same default bundle.
        bundle_path = openssl_cafile(venv / "bin" / "python")
        bundle = directory / "ca-certificates.crt"
        bundle.write_bytes(bundle_path.read_bytes() + b"\n" + trusted_ca.read_bytes())

        root = root_binds([mount.path for mount in workload.mounts])
        self.argv = [
            "bwrap",
            *root,
            "--ro-bind", "/sys", "/sys",
            "--dev", "/dev",
            "--perms", "1777", "--tmpfs", "/dev/shm",
            "--proc", "/proc",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", name,
            "--die-with-parent", "--new-session",
            "--dir", "/app",
            "--ro-bind", str(venv.resolve()), IMAGE_VENV,
            *binds,
            "--ro-bind", str(bundle), str(bundle_path),
            "--remount-ro", "/",
            "--chdir", "/app",
            "--",
            "setpriv", f"--reuid={uid}", f"--regid={gid}", f"--groups={group}", "--inh-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--",
            *command,
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None
        self.started: Started | None = None

    # -- life cycle ------------------------------------------------------------------

    def start(self) -> Started:
        begin = time.monotonic()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv, env=self.env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        startup = self.workload.probes["startup"]
        wait_for(
            lambda: self._answers(startup.path),
            timeout=STARTUP_TIMEOUT,
            what=f"{self.name}: startup probe GET {startup.path}\n{self.log_tail()}",
            interval=1.0,
        )
        seconds = time.monotonic() - begin
        readiness = self.workload.probes["readiness"]
        try:
            wait_for(lambda: self._answers(readiness.path), timeout=READY_TIMEOUT, what="readiness", interval=2.0)
            ready_seconds: float | None = time.monotonic() - begin
        except TimeoutError:
            ready_seconds = None  # reported by the probe test, with the log
        self.started = Started(seconds, ready_seconds)
        return self.started

    def _answers(self, path: str) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode} before answering {path}:\n{self.log_tail()}")
        try:
            return requests.get(self.url(path), timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop_tree(self.process)

    # -- observing -------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"http://{LOOPBACK}:{self.port}{path}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        return requests.request(method, self.url(path), **kwargs)

    def log_text(self) -> str:
        return plain(self.log.read_text(errors="replace"))

    def log_tail(self, lines: int = 60) -> str:
        return f"--- last {lines} lines of {self.name}'s log ({self.log}) ---\n{tail(self.log, lines)}"

    def pids(self) -> list[int]:
        return process_tree(self.process.pid) if self.process is not None else []

    def pss(self) -> int:
        return pss_bytes(self.pids())


def message_texts(result: Any) -> list[str]:
    """Every message text in a response of Langflow's run endpoint."""
    found = []
    if isinstance(result, dict):
        for key, value in result.items():
            if key == "text" and isinstance(value, str) and value:
                found.append(value)
            else:
                found += message_texts(value)
    elif isinstance(result, list):
        for item in result:
            found += message_texts(item)
    return found
