"""A newly trained model is loaded into the running Rasa without downtime (runs before the test
that kills Rasa): residents' messages sent during `neuvo.py reload` are all answered by the bot
(some wait while Rasa swaps the model), and the conversation goes on with its state."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.e2e.conftest import System, say, start

ROOT = Path(__file__).resolve().parents[2]


def test_reload_keeps_serving_and_keeps_the_conversation(system: System) -> None:
    conversation = start(system, "fi")
    assert say(system, conversation, "hei")["messages"][0]["text"].startswith("Hei!")
    kinds: list[str] = []
    sent: list[tuple[float, float]] = []
    done = threading.Event()

    def chat() -> None:
        other = start(system, "sv")
        while not done.is_set():
            began = time.monotonic()
            reply = say(system, other, "hej")
            sent.append((began, time.monotonic()))
            kinds.extend(message["kind"] for message in reply["messages"])
            time.sleep(0.1)

    prober = threading.Thread(target=chat)
    prober.start()
    time.sleep(0.5)
    try:
        reload_began = time.monotonic()
        reloaded = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "neuvo.py"), "reload"],
            cwd=ROOT,
            env={**os.environ, "NEUVO_VAR_DIR": str(system.var_dir)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        reload_ended = time.monotonic()
    finally:
        done.set()
        prober.join()
    assert reloaded.returncode == 0, reloaded.stdout + reloaded.stderr
    assert re.search(r"Rasa at \S+ loaded", reloaded.stdout), reloaded.stdout
    during = [(a, b) for a, b in sent if a < reload_ended and b > reload_began]
    assert during, "no message was in flight while the model was reloaded"
    assert set(kinds) == {"answer"}, kinds
    reply = say(system, conversation, "kiitos")
    assert reply["language"] == "fi"
    assert reply["messages"][0]["text"].startswith("Ole hyvä")
