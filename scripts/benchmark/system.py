"""The whole system for the benchmark: the README's runner (scripts/neuvo.py run) on free ports,
the production profile's stores (throw-away PostgreSQL databases and a Redis key prefix), and the
pids of its processes. The same approach as tests/e2e/conftest.py's launched()."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import redis

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("NEUVO_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("NEUVO_BENCH_REDIS", "redis://127.0.0.1:6379/1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def free_ports(count: int) -> int:
    """The first of `count` consecutive free ports (Rasa replicas listen on consecutive ports)."""
    for _ in range(50):
        first = free_port()
        try:
            for offset in range(1, count):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", first + offset))
        except OSError:
            continue
        return first
    raise RuntimeError(f"no {count} consecutive free ports")


@dataclass(frozen=True)
class Stores:
    """The service's database, Rasa's tracker store and Redis lock store of one launch."""

    database_url: str  # the service (SQLAlchemy URL)
    tracker_store_url: str  # Rasa
    redis_host: str
    redis_port: int
    redis_db: int
    redis_prefix: str


@contextmanager
def throwaway_stores() -> Iterator[Stores]:
    """Two new PostgreSQL databases and a fresh Redis key prefix, all removed afterwards."""
    run = uuid.uuid4().hex[:10]
    service_db, tracker_db = f"neuvo_bench_{run}", f"neuvo_bench_rasa_{run}"
    store = redis.Redis.from_url(REDIS)
    store.ping()  # fails clearly when Redis is not running
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{service_db}"')
        admin.execute(f'CREATE DATABASE "{tracker_db}"')
    options = store.connection_pool.connection_kwargs
    prefix = f"neuvobench{run}"
    try:
        yield Stores(
            database_url=f"{POSTGRES.replace('postgresql://', 'postgresql+psycopg://')}/{service_db}",
            tracker_store_url=f"{POSTGRES}/{tracker_db}",
            redis_host=str(options.get("host", "127.0.0.1")),
            redis_port=int(options.get("port", 6379)),
            redis_db=int(options.get("db", 0)),
            redis_prefix=prefix,
        )
    finally:
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            for name in (service_db, tracker_db):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class System:
    url: str
    var_dir: Path
    runner: subprocess.Popen[bytes]
    admin_token: str
    replicas: int
    rasa_urls: list[str] = field(default_factory=list)
    rasa_token: str = ""

    @property
    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin_token}"}

    @property
    def process_names(self) -> list[str]:
        rasa = ["rasa"] + [f"rasa-{i}" for i in range(2, self.replicas + 1)]
        return ["actions", *rasa, "handoff"]

    def pid(self, name: str) -> int:
        return int((self.var_dir / "run" / f"{name}.pid").read_text())

    def replica_name(self, url: str) -> str:
        index = self.rasa_urls.index(url)
        return "rasa" if index == 0 else f"rasa-{index + 1}"

    def runner_alive(self) -> None:
        if self.runner.poll() is not None:
            raise RuntimeError(f"the runner exited ({self.runner.returncode}):\n{self.logs()}")

    def logs(self, tail: int = 3000) -> str:
        parts = []
        for log in [*sorted((self.var_dir / "log").glob("*.log")), self.var_dir / "runner.log"]:
            if log.exists():
                parts.append(f"--- {log.name}\n" + log.read_text(errors="replace")[-tail:])
        return "\n".join(parts)

    def service_ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def replica_ready(self, url: str) -> bool:
        """The replica answers with a model loaded."""
        try:
            response = httpx.get(f"{url}/status", params={"token": self.rasa_token}, timeout=2)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_file"))

    def wait(self, what: str, check: object, seconds: float = 300) -> float:
        """Wait until `check()` is true; the seconds it took."""
        started = time.monotonic()
        while not check():  # type: ignore[operator]
            self.runner_alive()
            if time.monotonic() - started > seconds:
                raise RuntimeError(f"{what} not ready after {seconds:.0f} s:\n{self.logs()}")
            time.sleep(0.5)
        return time.monotonic() - started

    def wait_all_ready(self, seconds: float = 300) -> None:
        self.wait("the handoff service", self.service_ready, seconds)
        for url in self.rasa_urls:  # /readyz passes with one replica up; the benchmark needs all
            self.wait(f"Rasa at {url}", lambda url=url: self.replica_ready(url), seconds)


@contextmanager
def launched(var_dir: Path, *, replicas: int, stores: Stores, admin_token: str) -> Iterator[System]:
    """The runner with all processes on free ports, rate limits off (all load comes from one
    address), the production profile's stores; stopped with SIGINT like Ctrl-C."""
    port = free_port()
    env = {
        **os.environ,
        "NEUVO_VAR_DIR": str(var_dir),
        "HANDOFF_PORT": str(port),
        "RASA_PORT": str(free_ports(replicas)),
        "ACTION_SERVER_PORT": str(free_port()),
        "HANDOFF_BOOTSTRAP_TOKEN": admin_token,
        "HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP": "0",
        "HANDOFF_RATE_LIMIT_MESSAGES_PER_IP": "0",
        "HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION": "0",
        "HANDOFF_RATE_LIMIT_LOGINS_PER_IP": "0",
        "NEUVO_RASA_REPLICAS": str(replicas),
        "NEUVO_LOCK_STORE": "redis",
        "NEUVO_REDIS_HOST": stores.redis_host,
        "NEUVO_REDIS_PORT": str(stores.redis_port),
        "NEUVO_REDIS_DB": str(stores.redis_db),
        "NEUVO_REDIS_KEY_PREFIX": stores.redis_prefix,
        "RASA_TRACKER_STORE_URL": stores.tracker_store_url,
        "DATABASE_URL": stores.database_url,
    }
    for inherited in ("RASA_URL", "RASA_URLS", "ACTION_SERVER_URL", "RASA_AUTH_TOKEN"):
        env.pop(inherited, None)
    var_dir.mkdir(parents=True, exist_ok=True)
    with (var_dir / "runner.log").open("wb") as output:
        runner = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "neuvo.py"), "run", "--wait", "300"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    system = System(
        url=f"http://127.0.0.1:{port}",
        var_dir=var_dir,
        runner=runner,
        admin_token=admin_token,
        replicas=replicas,
    )
    try:
        runtime = var_dir / "run" / "rasa.json"
        system.wait("the runner", runtime.exists, 300)
        time.sleep(0.2)  # written in one go right after the processes started
        rasa = json.loads(runtime.read_text())
        system.rasa_urls, system.rasa_token = rasa["urls"], rasa["token"]
        system.wait_all_ready()
        yield system
    finally:
        if runner.poll() is None:
            runner.send_signal(signal.SIGINT)
            try:
                runner.wait(timeout=90)
            except subprocess.TimeoutExpired:
                runner.kill()
                runner.wait()
        for pid_file in (var_dir / "run").glob("*.pid"):  # only if the runner could not stop them
            with suppress(OSError, ValueError):
                os.killpg(int(pid_file.read_text()), signal.SIGKILL)
