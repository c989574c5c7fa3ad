#!/usr/bin/env python3
"""Neuvo's process runner: train the model when needed and run the three processes.

  neuvo.py train   train the Rasa model unless the training data, config and bot lock are unchanged
  neuvo.py run     migrate the database, start the action server, Rasa and the handoff service,
                   wait until they are ready, print the URL; restart a process that crashes;
                   stop everything cleanly on Ctrl-C or SIGTERM
  neuvo.py reload  train if needed and load the model into the running Rasa without downtime
                   (Rasa's PUT /model; conversations stay in the tracker store)

Standard library only: it runs before anything is imported from either environment.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT_BIN = ROOT / ".venv-bot" / "bin"
SERVICE_BIN = ROOT / ".venv" / "bin"
# Rasa's dependencies print pages of deprecation warnings that say nothing about Neuvo.
QUIET_BOT = {"PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
# What a trained model depends on: a change to any of these retrains (the rule components'
# code and lexicons are read when Rasa starts, not trained).
MODEL_INPUTS = [
    "bot/config.yml",
    "bot/domain",
    "bot/data",
    "data",
    "bot/components/linear_classifier.py",
    "bot/components/label_classifier.py",
    "bot/components/saved_model.py",
    "requirements/bot.lock",
]


def log(message: str) -> None:
    print(f"[neuvo] {message}", flush=True)


# ---------------------------------------------------------------- settings


def load_dotenv(path: Path) -> None:
    """Put KEY=VALUE lines of .env into the environment unless already set there."""
    if not path.exists():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            sys.exit(f"error: {path}:{number}: expected KEY=VALUE, got {line!r}")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def settings() -> dict[str, str]:
    """Every variable the three processes read, with its default (see .env.example)."""
    load_dotenv(ROOT / ".env")
    var_dir = (ROOT / os.environ.get("NEUVO_VAR_DIR", "var")).resolve()
    env = {
        "NEUVO_VAR_DIR": str(var_dir),
        "NEUVO_MODEL_DIR": str((ROOT / os.environ.get("NEUVO_MODEL_DIR", "models")).resolve()),
        "HANDOFF_HOST": "127.0.0.1",
        "HANDOFF_PORT": "8000",
        "RASA_PORT": "5005",
        "ACTION_SERVER_PORT": "5055",
        "DATABASE_URL": f"sqlite:///{var_dir}/neuvo.db",
        "RASA_TRACKER_STORE_URL": f"sqlite:///{var_dir}/rasa_trackers.db",
        "RASA_TELEMETRY_ENABLED": "false",
        "HANDOFF_LOG_FORMAT": "json",  # one JSON object per line in var/log/handoff.log
    }
    env = {key: os.environ.get(key, default) for key, default in env.items()}
    env.setdefault("RASA_URL", os.environ.get("RASA_URL", f"http://127.0.0.1:{env['RASA_PORT']}"))
    # Several Rasa replicas (the production profile): ports RASA_PORT, RASA_PORT+1, …; they need
    # a shared tracker store (PostgreSQL) and the Redis lock store.
    env["NEUVO_RASA_REPLICAS"] = os.environ.get("NEUVO_RASA_REPLICAS", "1")
    replicas = int(env["NEUVO_RASA_REPLICAS"])
    env["RASA_URLS"] = os.environ.get("RASA_URLS") or ",".join(
        [env["RASA_URL"]]
        + [f"http://127.0.0.1:{int(env['RASA_PORT']) + i}" for i in range(1, replicas)]
    )
    env["NEUVO_LOCK_STORE"] = os.environ.get("NEUVO_LOCK_STORE", "redis" if replicas > 1 else "")
    # Rasa's lock of a conversation lives 60 s by default: a replica killed during a turn leaves
    # its lock behind, and the replica that takes over waits it out. Shorter than the service's
    # bot timeout (BOT_TIMEOUT_SECONDS, 30), so that the fail-over answers in time; one message
    # per conversation at a time is the service's own rule (conversations/turns.py).
    env["TICKET_LOCK_LIFETIME"] = os.environ.get("TICKET_LOCK_LIFETIME", "20")
    for key, default in (
        ("NEUVO_REDIS_HOST", "127.0.0.1"),
        ("NEUVO_REDIS_PORT", "6379"),
        ("NEUVO_REDIS_DB", "1"),
        ("NEUVO_REDIS_KEY_PREFIX", "neuvo"),
    ):
        env[key] = os.environ.get(key, default)
    env["ACTION_SERVER_URL"] = os.environ.get(
        "ACTION_SERVER_URL", f"http://127.0.0.1:{env['ACTION_SERVER_PORT']}"
    )
    env["ACTION_SERVER_WEBHOOK_URL"] = f"{env['ACTION_SERVER_URL']}/webhook"
    # Rasa's token (its HTTP API and the REST channel), the service's token for the action server
    # (tickets) and the action server's token: every side gets them from here; fresh ones on
    # every run unless configured.
    env["RASA_AUTH_TOKEN"] = os.environ.get("RASA_AUTH_TOKEN") or secrets.token_urlsafe(24)
    env["HANDOFF_ACTIONS_TOKEN"] = os.environ.get("HANDOFF_ACTIONS_TOKEN") or secrets.token_urlsafe(
        24
    )
    # The action server's own token: Rasa (endpoints.yml) and the service send it.
    env["ACTION_SERVER_TOKEN"] = os.environ.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(24)
    env["HANDOFF_API_URL"] = os.environ.get(
        "HANDOFF_API_URL", f"http://127.0.0.1:{env['HANDOFF_PORT']}"
    )
    env["NEUVO_COUNTY_FILE"] = str(
        (ROOT / os.environ.get("NEUVO_COUNTY_FILE", "county/itauusimaa.yml")).resolve()
    )
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["SANIC_HOST"] = "127.0.0.1"  # the action server listens on localhost only
    return env


# ---------------------------------------------------------------- training


def model_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def model_path(env: dict[str, str]) -> Path:
    return Path(env["NEUVO_MODEL_DIR"]) / "neuvo.tar.gz"


def train(env: dict[str, str]) -> Path:
    """Train unless the model was trained from exactly these inputs."""
    model = model_path(env)
    stamp = model.with_suffix(".fingerprint")
    fingerprint = model_fingerprint()
    if model.exists() and stamp.exists() and stamp.read_text().strip() == fingerprint:
        log(f"model is up to date: {model}")
        return model
    log("training the Rasa model (one to two minutes) …")
    command = [
        str(BOT_BIN / "rasa"), "train",
        "--config", "bot/config.yml",
        "--domain", "bot/domain",
        "--data", "bot/data", "data/nlu_fi", "data/nlu_sv",
        "--out", str(model.parent),
        "--fixed-model-name", "neuvo",
        "--quiet",
    ]  # fmt: skip
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env, **QUIET_BOT}, check=True)
    stamp.write_text(fingerprint + "\n")
    log(f"model trained in {time.monotonic() - started:.0f} s: {model}")
    return model


# ---------------------------------------------------------------- running


@dataclass
class Managed:
    """One child process, restarted with a back-off when it dies."""

    name: str
    command: list[str]
    log_file: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self, env: dict[str, str]) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log_file.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env={**os.environ, **env, **self.extra_env},
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        (self.log_file.parent.parent / "run").mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{self.process.pid}\n")

    @property
    def pid_file(self) -> Path:
        return self.log_file.parent.parent / "run" / f"{self.name}.pid"

    def stop(self, timeout: float = 15.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.pid_file.unlink(missing_ok=True)


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(200 <= response.status < 300)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def run(env: dict[str, str], *, wait_seconds: float) -> int:
    model = train(env)
    var_dir = Path(env["NEUVO_VAR_DIR"])
    log_dir = var_dir / "log"
    log(f"checking the county configuration {env['NEUVO_COUNTY_FILE']} …")
    checked = subprocess.run(
        [str(SERVICE_BIN / "python"), "-m", "handoff.county", env["NEUVO_COUNTY_FILE"]],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    if checked.returncode != 0:
        return 1
    log("migrating the database …")
    subprocess.run(
        [str(SERVICE_BIN / "alembic"), "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    replicas = int(env["NEUVO_RASA_REPLICAS"])
    if replicas > 1 and (
        env["NEUVO_LOCK_STORE"] != "redis" or env["RASA_TRACKER_STORE_URL"].startswith("sqlite")
    ):
        log(
            "several Rasa replicas need a shared tracker store and the Redis lock store: set "
            "RASA_TRACKER_STORE_URL=postgresql://… and NEUVO_LOCK_STORE=redis (see the README)"
        )
        return 1
    endpoints = "endpoints-redis.yml" if env["NEUVO_LOCK_STORE"] == "redis" else "endpoints.yml"
    rasa_ports = [int(env["RASA_PORT"]) + i for i in range(replicas)]
    processes = [
        Managed(
            "actions",
            [str(BOT_BIN / "python"), "-m", "actions.server", "--port", env["ACTION_SERVER_PORT"]],
            log_dir / "actions.log",
            QUIET_BOT,
        ),
        *[
            Managed(
                "rasa" if i == 0 else f"rasa-{i + 1}",
                [str(BOT_BIN / "rasa"), "run", "--enable-api",
                 f"--auth-token={env['RASA_AUTH_TOKEN']}",  # a token may start with "-"
                 "--interface", "127.0.0.1", "--port", str(port),
                 "--credentials", "bot/credentials.yml", "--endpoints", endpoints,
                 "--model", str(model)],
                log_dir / ("rasa.log" if i == 0 else f"rasa-{i + 1}.log"),
                QUIET_BOT,
            )
            for i, port in enumerate(rasa_ports)
        ],
        Managed(
            "handoff",
            # The service logs each request itself (route templates, no ids or query strings)
            # and reads X-Forwarded-* only from HANDOFF_TRUSTED_PROXIES: uvicorn does neither.
            [str(SERVICE_BIN / "uvicorn"), "handoff.main:create_app", "--factory",
             "--host", env["HANDOFF_HOST"], "--port", env["HANDOFF_PORT"],
             "--no-access-log", "--no-proxy-headers"],
            log_dir / "handoff.log",
        ),
    ]  # fmt: skip
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for process in processes:
        process.start(env)
    runtime = var_dir / "run" / "rasa.json"
    runtime.write_text(
        json.dumps({"urls": env["RASA_URLS"].split(","), "token": env["RASA_AUTH_TOKEN"]})
    )
    runtime.chmod(0o600)  # `neuvo.py reload` reads Rasa's API token from here
    rasa_count = f"{replicas} Rasa replicas" if replicas > 1 else "Rasa"
    log(f"started the action server, {rasa_count} and the handoff service; logs in {log_dir}")

    base_url = f"http://{env['HANDOFF_HOST']}:{env['HANDOFF_PORT']}"
    deadline = time.monotonic() + wait_seconds
    ready = False
    exit_code = 0
    while not stopping:
        for process in processes:
            assert process.process is not None
            if process.process.poll() is not None:
                code = process.process.returncode
                now = time.monotonic()
                process.restarts = [t for t in process.restarts if now - t < 300] + [now]
                if len(process.restarts) > 5:
                    log(f"{process.name} keeps dying (exit {code}); see {process.log_file}")
                    stopping, exit_code = True, 1
                    break
                log(f"{process.name} exited with {code}; restarting it")
                process.start(env)
        if not ready and http_ok(f"{base_url}/readyz"):
            ready = True
            log(f"Neuvo is ready: {base_url}/  (API docs: {base_url}/docs)  Ctrl-C stops it.")
        if not ready and time.monotonic() > deadline:
            log(f"not ready after {wait_seconds:.0f} s; see the logs in {log_dir}")
            stopping, exit_code = True, 1
        time.sleep(0.5)

    log("stopping …")
    for process in reversed(processes):
        process.stop()
    runtime.unlink(missing_ok=True)
    log("stopped")
    return exit_code


def reload(env: dict[str, str]) -> int:
    """Train if needed, then have the running Rasa load the model (the old one serves meanwhile)."""
    model = train(env)
    runtime = Path(env["NEUVO_VAR_DIR"]) / "run" / "rasa.json"
    if not runtime.exists():
        sys.exit(
            f"error: {runtime} not found: is Neuvo running (make run) with this NEUVO_VAR_DIR?"
        )
    rasa = json.loads(runtime.read_text())
    query = urllib.parse.urlencode({"token": rasa["token"]})
    for url in rasa["urls"]:  # one replica after another: the others serve meanwhile
        request = urllib.request.Request(
            f"{url}/model?{query}",
            data=json.dumps({"model_file": str(model)}).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            sys.exit(
                f"error: Rasa at {url} refused the model: HTTP {error.code} {error.read()[:300]!r}"
            )
        except (urllib.error.URLError, OSError) as error:
            sys.exit(f"error: Rasa is not reachable at {url}: {error}")
        log(f"Rasa at {url} loaded {model} in {time.monotonic() - started:.0f} s (HTTP {status})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["train", "run", "reload"])
    parser.add_argument("--wait", type=float, default=300.0, help="seconds to wait for readiness")
    args = parser.parse_args()
    env = settings()
    if args.command == "train":
        train(env)
        return 0
    if args.command == "reload":
        return reload(env)
    return run(env, wait_seconds=args.wait)


if __name__ == "__main__":
    sys.exit(main())
