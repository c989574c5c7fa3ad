"""End to end: the README's runner starts Rasa, the action server and the handoff service, and
Finnish and Swedish conversations go through the public API. Needs a trained model (make train).
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


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


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    var_dir = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {
        **os.environ,
        "NEUVO_VAR_DIR": str(var_dir),
        "HANDOFF_PORT": str(port),
        "RASA_PORT": str(free_port()),
        "ACTION_SERVER_PORT": str(free_port()),
    }
    for inherited in ("DATABASE_URL", "RASA_URL", "ACTION_SERVER_URL", "RASA_TRACKER_STORE_URL"):
        env.pop(inherited, None)
    runner = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "neuvo.py"), "run", "--wait", "300"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    system = System(url=f"http://127.0.0.1:{port}", var_dir=var_dir, runner=runner)
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


def start(system: System, language: str | None = None) -> tuple[str, dict[str, str]]:
    body = {"language": language} if language else None
    response = httpx.post(f"{system.url}/api/v1/conversations", json=body, timeout=10)
    assert response.status_code == 201
    data = response.json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def say(system: System, conversation: tuple[str, dict[str, str]], text: str) -> dict[str, Any]:
    conversation_id, headers = conversation
    response = httpx.post(
        f"{system.url}/api/v1/conversations/{conversation_id}/messages",
        json={"text": text},
        headers=headers,
        timeout=60,
    )
    assert response.status_code == 200, response.text
    reply: dict[str, Any] = response.json()
    return reply


def test_finnish_conversation(system: System) -> None:
    conversation = start(system)
    hello = say(system, conversation, "hei")
    assert hello["language"] == "fi"
    assert hello["mode"] == "bot"
    assert hello["ticket"] is None
    assert hello["messages"][0]["text"].startswith("Hei! Olen Neuvo")
    emergency = say(system, conversation, "isäni ei hengitä")
    first = emergency["messages"][0]
    assert first["kind"] == "emergency"
    assert first["text"].startswith("Soita heti hätänumeroon 112")
    thanks = say(system, conversation, "kiitos avusta")
    assert thanks["messages"][0]["text"].startswith("Ole hyvä")


def test_swedish_conversation(system: System) -> None:
    conversation = start(system)
    hello = say(system, conversation, "hej")
    assert hello["language"] == "sv"
    assert hello["messages"][0]["text"].startswith("Hej! Jag är Neuvo")
    emergency = say(system, conversation, "min pappa andas inte")
    first = emergency["messages"][0]
    assert first["kind"] == "emergency"
    assert first["text"].startswith("Ring genast nödnumret 112")
    bot = say(system, conversation, "är jag och pratar med en robot nu")
    assert bot["messages"][0]["text"].startswith("Jag är boten Neuvo")


def test_language_switches_mid_conversation(system: System) -> None:
    conversation = start(system, "sv")
    assert say(system, conversation, "hej hej")["messages"][0]["text"].startswith("Hej!")
    switched = say(system, conversation, "hei, osaatko suomea")
    assert switched["language"] == "fi"
    assert all("Hej" not in message["text"] for message in switched["messages"])
    assert say(system, conversation, "ok")["language"] == "fi"


def test_transcript_has_the_whole_conversation(system: System) -> None:
    conversation = start(system, "fi")
    say(system, conversation, "moi")
    conversation_id, headers = conversation
    transcript = httpx.get(
        f"{system.url}/api/v1/conversations/{conversation_id}", headers=headers
    ).json()
    assert [m["sender"] for m in transcript["messages"]] == ["resident", "bot"]


def test_killed_rasa_gives_fallback_then_recovers(system: System) -> None:
    conversation = start(system, "sv")
    os.kill(system.pid("rasa"), signal.SIGKILL)
    time.sleep(0.5)
    reply = say(system, conversation, "hej, jag behöver hjälp")
    assert [m["kind"] for m in reply["messages"]] == ["fallback"]
    assert "112" in reply["messages"][0]["text"]
    conversation_id, headers = conversation
    transcript = httpx.get(
        f"{system.url}/api/v1/conversations/{conversation_id}", headers=headers
    ).json()
    assert transcript["messages"][0]["text"] == "hej, jag behöver hjälp"
    system.wait_ready(240)  # the runner restarts Rasa
    assert say(system, conversation, "hej")["messages"][0]["text"].startswith("Hej!")
