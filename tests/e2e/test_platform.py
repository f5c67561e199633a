"""What every stack's flow platform must do, against a real Langflow started as its pods
would be (tests/e2e/conftest.py): dev (ide mode, one replica), then prod (runtime mode,
two replicas)."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from .conftest import FIGURES, Platform
from .deployment import LANGFLOW_VERSION


def test_image_is_the_tested_langflow_version(platform: Platform):
    assert platform.workload.image_tag == LANGFLOW_VERSION, (
        f"the Deployment runs {platform.workload.image}; this test installs Langflow {LANGFLOW_VERSION} "
        "(tests/e2e/deployment.py LANGFLOW_VERSION and tests/e2e/install.sh)"
    )


def test_probe_paths_answer_200(platform: Platform):
    failures = []
    for instance in platform.instances:
        for probe in platform.workload.probes.values():
            response = instance.request("GET", probe.path)
            if response.status_code != 200:
                detail = f"HTTP {response.status_code} {response.text[:300]}"
                failures.append(f"{instance.name} {probe.kind} GET {probe.path}: {detail}")
    assert not failures, "\n".join(failures)


def test_starts_within_the_startup_probe_budget(platform: Platform):
    budget = platform.workload.probes["startup"].budget_seconds
    for instance in platform.instances:
        assert instance.started is not None
        assert instance.started.seconds <= budget, (
            f"{instance.name} answered its startup probe after {instance.started.seconds:.0f} s; "
            f"the kubelet restarts it after {budget} s"
        )


def test_runs_as_the_deployment_user_without_capabilities(platform: Platform):
    expected = platform.workload.run_as_user
    for instance in platform.instances:
        # The sandbox's own processes (bubblewrap, as root) set it up and wait; the app's are the rest.
        langflow = [pid for pid in instance.pids() if Path(f"/proc/{pid}/comm").read_text().strip() != "bwrap"]
        assert langflow, f"{instance.name}: no langflow process in {instance.pids()}"
        for pid in langflow:
            status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
            uids = {int(u) for u in status["Uid"].split()}
            assert uids == {expected}, f"{instance.name} pid {pid} runs with uids {uids}, not {expected}"
            assert int(status["CapEff"].strip(), 16) == 0, f"{instance.name} pid {pid} has capabilities {status['CapEff']}"


def test_idle_memory_is_below_the_request(platform: Platform):
    time.sleep(5)
    request = platform.workload.memory_request
    over = []
    for instance in platform.instances:
        pss = instance.pss()
        FIGURES.append(f"{instance.name}: idle PSS {pss / 2**20:.0f} MiB over {len(instance.pids())} processes")
        assert pss > 0, f"{instance.name}: no memory measured for {instance.pids()}"
        if pss >= request:
            over.append(f"{instance.name} uses {pss / 2**20:.0f} MiB")
    assert not over, (
        f"idle memory (PSS summed over the process tree) at or over the Deployment's request of "
        f"{request / 2**20:.0f} MiB: {', '.join(over)}"
    )


def test_tables_are_created(platform: Platform):
    rows = platform.postgres.psql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'", platform.postgres.database
    )
    tables = set(rows.split())
    missing = {"alembic_version", "user", "flow", "apikey", "folder"} - tables
    assert not missing, f"missing tables {sorted(missing)}; the database has {sorted(tables)}"
    version = platform.postgres.psql("SELECT version_num FROM alembic_version", platform.postgres.database).split()
    assert len(version) == 1, f"alembic_version holds {version}"


def test_superuser_logs_in(platform: Platform):
    username, _ = platform.superuser
    assert username, "the Deployment sets no LANGFLOW_SUPERUSER"
    whoami = platform.first.request("GET", "/api/v1/users/whoami", headers=platform.bearer())
    assert whoami.status_code == 200, f"whoami: HTTP {whoami.status_code} {whoami.text[:300]}"
    assert whoami.json()["username"] == username
    assert whoami.json()["is_superuser"] is True


def test_an_api_key_can_be_created_and_used(platform: Platform):
    created = platform.first.request("POST", "/api/v1/api_key/", json={"name": "e2e"}, headers=platform.bearer())
    assert created.status_code == 200, f"POST /api/v1/api_key/: HTTP {created.status_code} {created.text[:500]}"
    key = created.json()["api_key"]
    for instance in platform.instances:
        whoami = instance.request("GET", "/api/v1/users/whoami", headers={"x-api-key": key})
        detail = f"HTTP {whoami.status_code} {whoami.text[:300]}"
        assert whoami.status_code == 200, f"{instance.name} whoami with the API key: {detail}"
        assert whoami.json()["username"] == platform.superuser[0]
    wrong = platform.first.request("GET", "/api/v1/users/whoami", headers={"x-api-key": "sk-" + uuid.uuid4().hex})
    assert wrong.status_code in (401, 403), f"a made-up API key got HTTP {wrong.status_code}"


def test_the_editor_only_in_ide_mode(platform: Platform):
    """dev runs the editor (ide mode); prod runs the API only (runtime mode, required)."""
    page = platform.first.request("GET", "/")
    serves_editor = page.status_code == 200 and "text/html" in page.headers.get("content-type", "")
    if platform.stack == "dev":
        assert serves_editor, f"ide mode: GET / gave HTTP {page.status_code} {page.headers.get('content-type')}"
    else:
        assert not serves_editor, "runtime mode: GET / serves the editor's page"


def test_an_uploaded_file_is_kept_where_every_replica_finds_it(platform: Platform):
    """In the stack's bucket (S3 storage), or on the volume every replica mounts (local
    storage on a shared volume): never only on one pod's disk."""
    content = f"centaurops e2e {uuid.uuid4()}".encode()
    uploaded = platform.first.request(
        "POST", "/api/v2/files", files={"file": ("e2e.txt", content, "text/plain")}, headers=platform.bearer()
    )
    assert uploaded.status_code == 201, f"POST /api/v2/files: HTTP {uploaded.status_code} {uploaded.text[:500]}"
    storage = {k: v for k, v in platform.env.items() if re.match(r"LANGFLOW_(STORAGE|OBJECT_STORAGE)", k)}
    if platform.workload.storage == "s3":
        bucket = platform.workload.bucket
        objects = platform.s3.objects(bucket)
        landed = [key for key, body in objects.items() if body == content]
        where = f"the stack's bucket {bucket} (objects: {sorted(objects)})"
    else:
        landed = [str(p) for p in platform.shared.rglob("*") if p.is_file() and p.read_bytes() == content]
        where = f"the shared volume {platform.shared}"
    assert landed, f"the uploaded file is not in {where}; the Deployment's storage settings: {storage or 'none (local)'}"
    file_id = uploaded.json()["id"]
    for instance in platform.instances:
        downloaded = instance.request("GET", f"/api/v2/files/{file_id}", headers=platform.bearer())
        assert downloaded.status_code == 200 and downloaded.content == content, (
            f"{instance.name}: GET /api/v2/files/{file_id}: HTTP {downloaded.status_code} {downloaded.text[:300]}"
        )


def test_sign_up_is_refused(platform: Platform):
    username = f"e2e-signup-{uuid.uuid4().hex[:8]}"
    response = platform.first.request("POST", "/api/v1/users/", json={"username": username, "password": uuid.uuid4().hex})
    rows = platform.postgres.psql(f"SELECT username FROM \"user\" WHERE username = '{username}'", platform.postgres.database)
    assert response.status_code in (401, 403) and not rows.strip(), (
        f"anonymous POST /api/v1/users/ got HTTP {response.status_code} {response.text[:300]}; "
        f"user row created: {bool(rows.strip())}"
    )


def test_sign_in_cookies_are_secure(platform: Platform):
    username, password = platform.superuser
    response = platform.first.request("POST", "/api/v1/login", data={"username": username, "password": password})
    assert response.status_code == 200, f"login: HTTP {response.status_code} {response.text[:300]}"
    cookies = {cookie.name: cookie for cookie in response.cookies}
    # langflow/api/v1/login.py sets both with secure=ACCESS_SECURE / REFRESH_SECURE
    for name in ("access_token_lf", "refresh_token_lf"):
        assert name in cookies, f"login set no {name} cookie (set: {sorted(cookies)})"
        assert cookies[name].secure, f"{name} is sent over plain HTTP too"


def test_cors_admits_the_platforms_own_origin_only(platform: Platform):
    origin = platform.env["LANGFLOW_CORS_ORIGINS"]
    assert origin.startswith("https://"), origin
    for candidate, admitted in ((origin, True), ("https://attacker.invalid", False)):
        preflight = platform.first.request(
            "OPTIONS",
            "/api/v1/users/whoami",
            headers={"Origin": candidate, "Access-Control-Request-Method": "GET"},
        )
        allowed = preflight.headers.get("access-control-allow-origin")
        assert (allowed == candidate) is admitted, f"Origin {candidate}: Access-Control-Allow-Origin {allowed!r}"
