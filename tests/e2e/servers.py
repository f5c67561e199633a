"""The managed services a stack gets from its cloud, as real servers on loopback:
PostgreSQL with TLS required (RDS with rds.force_ssl), Redis with TLS and a password
(ElastiCache with transit encryption and an auth token), and an S3 API (moto)."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import trustme

from .processes import free_port, stop_tree, tail, wait_for

LOOPBACK = "127.0.0.1"
STARTUP_TIMEOUT = 60


@dataclass
class Tls:
    """A test CA and one server certificate for 127.0.0.1 and localhost."""

    ca_pem: Path
    cert_pem: Path
    key_pem: Path

    @classmethod
    def create(
        cls, directory: Path, *, organization: str = "centaurops e2e test CA", names: tuple[str, ...] | None = None
    ) -> Tls:
        """`names`: what the server certificate names; by default 127.0.0.1 and localhost,
        empty for one that names no address the client dials (only a made-up name)."""
        directory.mkdir(parents=True, exist_ok=True)
        ca = trustme.CA(organization_name=organization)
        names = (LOOPBACK, "localhost") if names is None else names
        server = ca.issue_cert(*(names or ("cache.centaurops.invalid",)))
        tls = cls(directory / "ca.pem", directory / "server.pem", directory / "server.key")
        ca.cert_pem.write_to_path(str(tls.ca_pem))
        server.cert_chain_pems[0].write_to_path(str(tls.cert_pem))
        server.private_key_pem.write_to_path(str(tls.key_pem))
        return tls

    def install_for(self, user: str, directory: Path) -> tuple[Path, Path, Path]:
        """Copies of the certificate and key that only `user` reads (servers refuse a
        world-readable key)."""
        directory.mkdir(parents=True, exist_ok=True)
        entry = pwd.getpwnam(user)
        copies = []
        for source in (self.cert_pem, self.key_pem, self.ca_pem):
            target = directory / source.name
            shutil.copyfile(source, target)
            os.chown(target, entry.pw_uid, entry.pw_gid)
            target.chmod(0o600)
            copies.append(target)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        return copies[0], copies[1], copies[2]


def as_user(user: str) -> list[str]:
    """A command prefix that drops root to `user` (PostgreSQL refuses to run as root)."""
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--init-groups", "--no-new-privs", "--"]


def _popen(command: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs)


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    assert found, "PostgreSQL server not installed (tests/e2e/install.sh installs Debian's postgresql)"
    return found[-1].parent


class Postgres:
    """A PostgreSQL cluster that takes TLS connections only, with one database and its owner."""

    USER = "postgres"  # the Debian package's system user

    def __init__(self, directory: Path, tls: Tls, *, database: str, username: str, password: str):
        self.directory, self.database, self.username, self.password = directory, database, username, password
        self.port = free_port()
        self.bin = _postgres_bin()
        self.log = directory / "postgres.log"
        entry = pwd.getpwnam(self.USER)
        directory.mkdir(parents=True, exist_ok=True)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        self.data = directory / "data"
        self.socket_dir = directory / "socket"
        self.socket_dir.mkdir(exist_ok=True)
        os.chown(self.socket_dir, entry.pw_uid, entry.pw_gid)
        cert, key, _ = tls.install_for(self.USER, directory / "tls")
        subprocess.run(
            [*as_user(self.USER), str(self.bin / "initdb"), "-D", str(self.data), "-U", self.USER, "--auth-local=trust",
             "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8"],
            check=True, capture_output=True, cwd=directory,
        )  # fmt: skip
        # Like rds.force_ssl: password logins over TLS only; anything else is refused.
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\nhostnossl all all 0.0.0.0/0 reject\n"
        )
        settings = {
            "listen_addresses": LOOPBACK,
            "port": str(self.port),
            "unix_socket_directories": str(self.socket_dir),
            "ssl": "on",
            "ssl_cert_file": str(cert),
            "ssl_key_file": str(key),
            "password_encryption": "scram-sha-256",
            "fsync": "off",
            "log_connections": "on",
        }
        options = [f"-c{k}={v}" for k, v in settings.items()]
        self.process = _popen([*as_user(self.USER), str(self.bin / "postgres"), "-D", str(self.data), *options], self.log)
        try:
            wait_for(self._ready, timeout=STARTUP_TIMEOUT, what=f"PostgreSQL on port {self.port}")
            self.psql(f"CREATE ROLE {username} LOGIN PASSWORD '{password}'")
            self.psql(f"CREATE DATABASE {database} OWNER {username}")
        except BaseException:
            self.stop()
            raise

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited ({self.process.returncode}):\n{tail(self.log)}")
        ready = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", str(self.socket_dir), "-p", str(self.port)], capture_output=True, check=False
        )
        return ready.returncode == 0

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run SQL as the cluster's superuser over the local socket; the tab-separated rows."""
        result = subprocess.run(
            [*as_user(self.USER), str(self.bin / "psql"), "-h", str(self.socket_dir), "-p", str(self.port), "-d", database,
             "-v", "ON_ERROR_STOP=1", "-XAtF", "\t", "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout

    @property
    def url(self) -> str:
        """The connection URL in the program's shape (components/aws/database.py)."""
        return f"postgresql://{self.username}:{self.password}@{LOOPBACK}:{self.port}/{self.database}?sslmode=require"

    def stop(self) -> None:
        stop_tree(self.process)


class Redis:
    """A Redis server on a TLS port only, with a password (requirepass, as an auth token)."""

    USER = "redis"  # the Debian package's system user

    def __init__(self, directory: Path, tls: Tls, *, password: str):
        self.directory, self.password = directory, password
        self.port = free_port()
        self.log = directory / "redis.log"
        directory.mkdir(parents=True, exist_ok=True)
        entry = pwd.getpwnam(self.USER)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        cert, key, ca = tls.install_for(self.USER, directory / "tls")
        self.process = _popen(
            [*as_user(self.USER), "redis-server", "--bind", LOOPBACK, "--port", "0", "--tls-port", str(self.port),
             "--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-ca-cert-file", str(ca),
             "--tls-auth-clients", "no", "--requirepass", password, "--save", "", "--appendonly", "no",
             "--dir", str(directory)],
            self.log,
        )  # fmt: skip
        try:
            wait_for(self._ready, timeout=STARTUP_TIMEOUT, what=f"Redis on TLS port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited ({self.process.returncode}):\n{tail(self.log)}")
        return "Ready to accept connections" in self.log.read_text(errors="replace")

    def client(self, ca: Path):
        import redis

        # The test's own client checks the CA only: a stand-in for a server whose
        # certificate names no address (Memorystore's) names none here either.
        return redis.Redis(
            host=LOOPBACK,
            port=self.port,
            password=self.password,
            ssl=True,
            ssl_ca_certs=str(ca),
            ssl_check_hostname=False,
            socket_timeout=10,
        )

    def url(self, database: int = 0) -> str:
        """The connection URL in the program's shape (components/foundation.py, CacheConnection.url)."""
        return f"rediss://:{self.password}@{LOOPBACK}:{self.port}/{database}"

    def stop(self) -> None:
        stop_tree(self.process)


class S3:
    """moto's S3 API server, with the stack's bucket."""

    ACCESS_KEY = "e2e-access-key"
    SECRET_KEY = "e2e-secret-key"  # moto accepts any credentials

    def __init__(self, directory: Path, *, region: str):
        directory.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.region = region
        self.log = directory / "moto.log"
        moto_server = Path(sys.executable).with_name("moto_server")
        self.process = _popen([str(moto_server), "-H", LOOPBACK, "-p", str(self.port)], self.log)
        try:
            wait_for(self._ready, timeout=STARTUP_TIMEOUT, what=f"moto on port {self.port}")
        except BaseException:
            self.stop()
            raise

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"moto_server exited ({self.process.returncode}):\n{tail(self.log)}")
        with contextlib.suppress(Exception):
            self.client().list_buckets()
            return True
        return False

    @property
    def endpoint(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.SECRET_KEY,
        )

    def objects(self, bucket: str) -> dict[str, bytes]:
        client = self.client()
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
        return {key: client.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}

    def stop(self) -> None:
        stop_tree(self.process)
