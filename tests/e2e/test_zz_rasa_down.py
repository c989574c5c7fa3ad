"""Runs last: kills Rasa under the running system, then checks the fallback and the recovery."""

import os
import signal
import time

import httpx

from tests.e2e.conftest import System, say, start


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
