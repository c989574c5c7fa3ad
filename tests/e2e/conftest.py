"""The whole system for end-to-end tests: the README's runner starts Rasa, the action server and
the handoff service once per test session. Needs a trained model (make train)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.county_files import live_chat_county

ROOT = Path(__file__).resolve().parents[2]
ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class System:
    url: str
    var_dir: Path
    runner: subprocess.Popen[str]
    action_server_url: str = ""

    def cli(self, *args: str, password: str | None = None) -> str:
        """Run `python -m handoff.advisors …` against this system's database."""
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.var_dir}/neuvo.db",
            "NEUVO_COUNTY_FILE": str(self.var_dir / "county-live-chat.yml"),
        }
        done = subprocess.run(
            [sys.executable, "-m", "handoff.advisors", *args],
            input=None if password is None else password + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def wait_ready(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.runner.poll() is None, "the runner exited: " + self.logs()
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        pytest.fail(f"not ready after {seconds} s: {self.logs()}")

    def logs(self) -> str:
        parts = []
        for log in sorted((self.var_dir / "log").glob("*.log")):
            parts.append(f"--- {log.name}\n" + log.read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def pid(self, name: str) -> int:
        return int((self.var_dir / "run" / f"{name}.pid").read_text())

    def rasa(self) -> dict[str, Any]:
        """The runner's note of Rasa's replicas and token: {"urls": [...], "token": ...}."""
        runtime: dict[str, Any] = json.loads((self.var_dir / "run" / "rasa.json").read_text())
        return runtime


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


@contextmanager
def launched(var_dir: Path, **extra_env: str) -> Iterator[System]:
    """The README's runner with all processes, on free ports, its data under `var_dir`."""
    port = free_port()
    env = {
        **os.environ,
        "NEUVO_COUNTY_FILE": str(live_chat_county(var_dir)),
        "NEUVO_VAR_DIR": str(var_dir),
        "HANDOFF_PORT": str(port),
        "RASA_PORT": str(free_ports(int(extra_env.get("NEUVO_RASA_REPLICAS", "1")))),
        "ACTION_SERVER_PORT": str(free_port()),
        "HANDOFF_BOOTSTRAP_TOKEN": ADMIN_TOKEN,
        # Every test talks from 127.0.0.1, faster than a resident: the limits are tested in-process.
        "HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP": "0",
        "HANDOFF_RATE_LIMIT_MESSAGES_PER_IP": "0",
        "HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION": "0",
        "HANDOFF_RATE_LIMIT_LOGINS_PER_IP": "0",
    }
    for inherited in (
        "DATABASE_URL",
        "RASA_URL",
        "RASA_URLS",
        "ACTION_SERVER_URL",
        "RASA_TRACKER_STORE_URL",
        "NEUVO_RASA_REPLICAS",
        "NEUVO_LOCK_STORE",
    ):
        env.pop(inherited, None)
    env.update(extra_env)
    runner = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "neuvo.py"), "run", "--wait", "300"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    system = System(
        url=f"http://127.0.0.1:{port}",
        var_dir=var_dir,
        runner=runner,
        action_server_url=f"http://127.0.0.1:{env['ACTION_SERVER_PORT']}",
    )
    try:
        system.wait_ready(300)
        yield system
    finally:
        runner.send_signal(signal.SIGINT)
        try:
            output, _ = runner.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            runner.kill()
            output, _ = runner.communicate()
        print(output)
    assert runner.returncode == 0, output
    assert "Neuvo is ready" in output
    assert not list((var_dir / "run").glob("*.pid")), "a process was left running"


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    with launched(tmp_path_factory.mktemp("var")) as running:
        yield running


def start(system: System, language: str | None = None) -> tuple[str, dict[str, str]]:
    body = {"language": language} if language else None
    response = httpx.post(f"{system.url}/api/v1/conversations", json=body, timeout=10)
    assert response.status_code == 201
    data = response.json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def say(system: System, conversation: tuple[str, dict[str, str]], text: str) -> dict[str, Any]:
    """Send typed text, or a button's payload when `text` starts with a slash."""
    conversation_id, headers = conversation
    response = httpx.post(
        f"{system.url}/api/v1/conversations/{conversation_id}/messages",
        json={"payload": text} if text.startswith("/") else {"text": text},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply
