"""Fixtures of the end-to-end test: a stack's render, its managed services on loopback,
and its Langflow replicas started as the pods would be. See docs/e2e.md."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from components.config.rules import AVAILABLE_CLOUDS
from preview.cli import PROJECT_DIR
from tests.plans import foundation_for

from .deployment import (
    LANGFLOW_VERSION,
    Workload,
    cache_connections,
    render,
    resolve_env,
    secret_values,
    workload,
)
from .instance import Instance
from .servers import LOOPBACK, S3, Postgres, Redis, Tls

LANGFLOW_VENV = PROJECT_DIR / ".tools" / f"langflow-{LANGFLOW_VERSION}"
# Runtime mode: two replicas sharing the database, the cache and the bucket.
REPLICAS = {"dev": 1, "prod": 2}
# The shipped stacks as they are (AWS), then prod on each other cloud's foundation: its
# cache (port, CA, hostname check, databases) and its file storage, stood in for here.
PLATFORMS = ("dev", "prod", *(f"prod-{cloud}" for cloud in AVAILABLE_CLOUDS if cloud != "aws"))
# Summary lines printed at the end of the session (startup times, memory).
FIGURES: list[str] = []


@dataclass
class Platform:
    """One stack: its rendered workload, its services, the Secret's values and its replicas."""

    stack: str
    workload: Workload
    secret: dict[str, str]
    env: dict[str, str]
    postgres: Postgres
    redis: Redis
    s3: S3
    tls: Tls
    cache_tls: Tls  # the CA and certificate of the cache's server
    shared: Path  # the volume every replica mounts, when files live on one
    instances: list[Instance] = field(default_factory=list)
    _token: str | None = None
    _replica: Callable[[int, Workload], Instance] | None = None

    def start_replica(self, workload: Workload | None = None) -> Instance:
        """One more replica, started as a new pod of the Deployment would be: of `workload` (another
        render of the same stack, as after a deploy) when given; it is stopped with the platform."""
        assert self._replica is not None
        instance = self._replica(len(self.instances), workload or self.workload)
        self.instances.append(instance)
        started = instance.start()
        ready = f"{started.ready_seconds:.0f} s" if started.ready_seconds is not None else "never"
        FIGURES.append(f"{instance.name}: startup probe 200 after {started.seconds:.0f} s, readiness after {ready}")
        return instance

    @property
    def first(self) -> Instance:
        return self.instances[0]

    @property
    def superuser(self) -> tuple[str, str]:
        return self.env.get("LANGFLOW_SUPERUSER", ""), self.env.get("LANGFLOW_SUPERUSER_PASSWORD", "")

    def login(self, instance: Instance | None = None) -> str:
        """An access token of the superuser (POST /api/v1/login)."""
        username, password = self.superuser
        response = (instance or self.first).request("POST", "/api/v1/login", data={"username": username, "password": password})
        assert response.status_code == 200, f"login as {username!r}: HTTP {response.status_code} {response.text[:500]}"
        return response.json()["access_token"]

    def bearer(self) -> dict[str, str]:
        if self._token is None:
            self._token = self.login()
        return {"Authorization": f"Bearer {self._token}"}

    def redis_client(self):
        return self.redis.client(self.cache_tls.ca_pem)


@pytest.fixture(scope="session")
def langflow_venv() -> Path:
    if os.geteuid() != 0:
        pytest.fail("the e2e test runs as root: it makes mount namespaces and runs servers and the app as other users")
    stamp = LANGFLOW_VENV / ".installed"
    if not stamp.exists():
        pytest.fail(f"Langflow {LANGFLOW_VERSION} is not installed in {LANGFLOW_VENV}: run tests/e2e/install.sh (make e2e does)")
    return LANGFLOW_VENV


@pytest.fixture(scope="session")
def work_dir() -> Iterator[Path]:
    # Under /tmp but not pytest's tmp_path: that one is private to root, and the servers
    # and the app run as other users.
    directory = Path(tempfile.mkdtemp(prefix="centaurops-e2e-"))
    directory.chmod(0o755)
    yield directory
    if os.environ.get("E2E_KEEP"):
        print(f"\ne2e: kept {directory}")
    else:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def tls(work_dir: Path) -> Tls:
    return Tls.create(work_dir / "tls")


@pytest.fixture(scope="session")
def s3(work_dir: Path) -> Iterator[S3]:
    server = S3(work_dir / "s3", region="us-east-1")
    yield server
    server.stop()


def _platform(
    name: str, work_dir: Path, tls: Tls, s3: S3, venv: Path, *, label: str = "", replicas: int | None = None, **settings: Any
) -> Iterator[Platform]:
    """`name` is a stack (its own cloud), or stack-cloud to run it on another cloud; `settings`
    change the stack's (as a stack file would), `label` names such a variant."""
    stack, _, cloud = name.partition("-")
    plan, objects = render(stack, cloud or None, **settings)
    rendered = workload(stack, plan, objects)
    cache = foundation_for(stack, **({"cloud": cloud} if cloud else {})).cache
    name = label or name
    directory = work_dir / name
    directory.mkdir()
    directory.chmod(0o755)
    # A cache whose server a public CA signs (ElastiCache, Azure Managed Redis) is verified
    # with the image's trust store, which the test CA joins; one signed by its own CA
    # (Memorystore) only with that CA, which the image does not trust: the pod must use
    # the CA the foundation hands over. If the cloud says its certificate does not name
    # the host, the server's certificate here does not either.
    own_ca = cache.ca_certificate is not None
    cache_tls = (
        Tls.create(
            directory / "cache-ca",
            organization="centaurops e2e cache instance CA",
            names=() if not cache.verify_hostname else None,
        )
        if own_ca
        else tls
    )
    postgres = redis = None
    platform = None
    try:
        postgres = Postgres(
            directory / "postgres",
            tls,
            database=rendered.database["dbName"],
            username=rendered.database["username"],
            password=secrets.token_urlsafe(24),
        )
        redis = Redis(directory / "redis", cache_tls, password=secrets.token_urlsafe(24))
        if rendered.storage == "s3":
            s3.client().create_bucket(Bucket=rendered.bucket)
        ca_pem = cache_tls.ca_pem.read_text() if own_ca else None
        connections = {
            "DATABASE_URL": postgres.url,
            **cache_connections(cache, host=LOOPBACK, port=redis.port, password=redis.password, ca_pem=ca_pem),
        }
        secret = secret_values(rendered, connections)
        env = resolve_env(rendered, secret)
        shared = directory / "shared"
        shared.mkdir()
        # What a pod on the cloud gets without the chart asking: credentials of its
        # identity (EKS Pod Identity) and the S3 endpoint, here moto's.
        cloud_env = {
            "AWS_ACCESS_KEY_ID": S3.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": S3.SECRET_KEY,
            "AWS_ENDPOINT_URL_S3": s3.endpoint,
        }
        # The cache-ca ConfigMap holds the foundation's CA: here, the stand-in server's.
        files = {rendered.cache_ca_file: ca_pem} if rendered.cache_ca_file and ca_pem else {}

        def replica(index: int, of: Workload) -> Instance:
            return Instance(
                f"{name}-{index}",
                of,
                resolve_env(of, secret),
                venv=venv,
                directory=directory / f"replica-{index}",
                trusted_ca=tls.ca_pem,
                cloud_env=cloud_env,
                shared=shared,
                files=files,
            )

        platform = Platform(name, rendered, secret, env, postgres, redis, s3, tls, cache_tls, shared, _replica=replica)
        for _ in range(REPLICAS[stack] if replicas is None else replicas):
            platform.start_replica()
        yield platform
    finally:
        for instance in platform.instances if platform else []:
            instance.stop()
        for server in (redis, postgres):
            if server is not None:
                server.stop()


class Platforms:
    """The platforms started so far in this session, each started once, all stopped at its end."""

    def __init__(self, work_dir: Path, tls: Tls, s3: S3, venv: Path):
        self._args = (work_dir, tls, s3, venv)
        self._started: dict[str, Platform] = {}
        self._stack = contextlib.ExitStack()

    def get(self, name: str) -> Platform:
        if name not in self._started:
            self._started[name] = self._stack.enter_context(contextlib.contextmanager(_platform)(name, *self._args))
        return self._started[name]

    def variant(self, label: str, name: str, *, replicas: int, **settings: Any) -> Platform:
        """Another platform of `name` whose stack settings are changed by `settings`."""
        if label not in self._started:
            platform = contextlib.contextmanager(_platform)(name, *self._args, label=label, replicas=replicas, **settings)
            self._started[label] = self._stack.enter_context(platform)
        return self._started[label]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def platforms(work_dir: Path, tls: Tls, s3: S3, langflow_venv: Path) -> Iterator[Platforms]:
    started = Platforms(work_dir, tls, s3, langflow_venv)
    yield started
    started.close()


@pytest.fixture(scope="session")
def dev_platform(platforms: Platforms) -> Platform:
    return platforms.get("dev")


@pytest.fixture(scope="session")
def prod_platform(platforms: Platforms) -> Platform:
    return platforms.get("prod")


@pytest.fixture(scope="module", params=PLATFORMS)
def platform(request: pytest.FixtureRequest, platforms: Platforms) -> Platform:
    """Each platform in turn: dev (ide mode), prod (runtime mode), then prod on each other cloud."""
    return platforms.get(request.param)


@pytest.fixture(scope="module", params=[name for name in PLATFORMS if name != "dev"])
def runtime_platform(request: pytest.FixtureRequest, platforms: Platforms) -> Platform:
    """prod (runtime mode, two replicas) on each cloud's foundation."""
    return platforms.get(request.param)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("call", "setup"):
        funcargs = getattr(item, "funcargs", {})
        for value in funcargs.values():
            if isinstance(value, Platform):
                for instance in value.instances:
                    report.sections.append((f"{instance.name} log", instance.log_tail(80)))


_SESSION_START = time.monotonic()


def _interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_sessionstart(session: pytest.Session) -> None:
    # A SIGTERM (a timeout, CI cancelling) ends the session like Ctrl-C, so the fixtures'
    # finalizers still stop every server and replica.
    signal.signal(signal.SIGTERM, _interrupted)


def pytest_terminal_summary(terminalreporter) -> None:
    terminalreporter.section("e2e figures")
    for line in FIGURES:
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"e2e session wall time: {time.monotonic() - _SESSION_START:.0f} s")
