"""The production profile: two Rasa replicas sharing a PostgreSQL tracker store and the Redis lock
store. A conversation stays consistent when its replica is killed (the other replica continues
from the shared tracker), and two messages sent at the same instant to one conversation are both
answered, in order. Runs against the real PostgreSQL and Redis on 127.0.0.1."""

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
import redis

from handoff.bot.replicas import ReplicaRing
from tests.e2e.conftest import ADMIN, System, launched, say, start

POSTGRES = os.environ.get("NEUVO_TEST_RASA_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("NEUVO_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")


@pytest.fixture(scope="module")
def replicated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    database = f"neuvo_rasa_{uuid.uuid4().hex[:10]}"
    prefix = f"neuvotest{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    store = redis.Redis.from_url(REDIS)
    store.ping()  # fails the test clearly when Redis is not running
    try:
        with launched(
            tmp_path_factory.mktemp("replicas"),
            NEUVO_RASA_REPLICAS="2",
            NEUVO_LOCK_STORE="redis",
            NEUVO_REDIS_HOST=store.connection_pool.connection_kwargs["host"],
            NEUVO_REDIS_PORT=str(store.connection_pool.connection_kwargs["port"]),
            NEUVO_REDIS_DB=str(store.connection_pool.connection_kwargs["db"]),
            NEUVO_REDIS_KEY_PREFIX=prefix,
            RASA_TRACKER_STORE_URL=f"{POSTGRES}/{database}",
        ) as system:
            wait_for_replicas(system)
            yield system
    finally:
        for key in store.scan_iter(f"{prefix}*"):
            store.delete(key)
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def wait_for_replicas(system: System, seconds: float = 300) -> None:
    """/readyz passes with one replica up; the tests need both."""
    deadline = time.monotonic() + seconds
    for url in replica_urls(system):
        while True:
            try:
                if httpx.get(f"{url}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"{url} not up after {seconds} s: {system.logs()}"
            time.sleep(1)


def replica_urls(system: System) -> list[str]:
    import json

    urls: list[str] = json.loads((system.var_dir / "run" / "rasa.json").read_text())["urls"]
    return urls


def test_both_replicas_serve(replicated: System) -> None:
    urls = replica_urls(replicated)
    assert len(urls) == 2
    for url in urls:
        assert httpx.get(f"{url}/", timeout=5).status_code == 200


def test_a_conversation_continues_when_its_replica_is_killed(replicated: System) -> None:
    conversation = start(replicated, "fi")
    first = say(
        replicated, conversation, "Äitini on 86-vuotias eikä hän enää pärjää kotona Loviisassa"
    )
    assert [b["payload"] for b in first["messages"][-1]["buttons"]] == ["/affirm", "/deny"]

    urls = replica_urls(replicated)
    home = ReplicaRing(urls).home(conversation[0]).url
    name = "rasa" if home == urls[0] else "rasa-2"
    # The whole replica dies at once (as a container would): its process group, Sanic's workers
    # included. The runner restarts it later.
    os.killpg(replicated.pid(name), signal.SIGKILL)

    asked = say(replicated, conversation, "/affirm")  # the other replica, from the shared tracker
    assert asked["messages"][-1]["kind"] == "question"
    assert "puhelinnumero" in asked["messages"][-1]["text"].lower()
    say(replicated, conversation, "040 123 4567")
    say(replicated, conversation, '/inform{"contact_time": "morning"}')
    done = say(replicated, conversation, "/skip")
    assert done["ticket"] is not None
    assert done["ticket"]["service_task"] == "elderly_eastern"
    detail = httpx.get(
        f"{replicated.url}/api/v1/tickets/{done['ticket']['reference']}", headers=ADMIN, timeout=10
    ).json()
    assert detail["municipality"] == "Loviisa" and detail["contact_phone"] == "0401234567"


def test_two_messages_at_the_same_instant_are_both_answered_in_order(replicated: System) -> None:
    conversation_id, headers = start(replicated, "fi")
    texts = ["hei", "miten varaan ajan hammaslääkärille?"]
    barrier = threading.Barrier(len(texts))
    replies: dict[str, Any] = {}

    def send(text: str) -> None:
        barrier.wait()
        replies[text] = httpx.post(
            f"{replicated.url}/api/v1/conversations/{conversation_id}/messages",
            json={"text": text},
            headers=headers,
            timeout=60,
        )

    threads = [threading.Thread(target=send, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    for text in texts:
        assert replies[text].status_code == 200, replies[text].text
        assert replies[text].json()["messages"], f"{text!r} got no answer"

    transcript = httpx.get(
        f"{replicated.url}/api/v1/conversations/{conversation_id}", headers=headers, timeout=10
    ).json()["messages"]
    senders = [m["sender"] for m in transcript]
    residents = [i for i, sender in enumerate(senders) if sender == "resident"]
    assert len(residents) == 2
    # Each message's answers come right after it, before the next message: one at a time.
    assert senders[residents[0] + 1] == "bot" and residents[1] > residents[0] + 1
    assert senders[residents[1] + 1 :] and set(senders[residents[1] + 1 :]) == {"bot"}
    first, second = (transcript[i]["text"] for i in residents)
    answered_first = replies[first].json()["last_message_id"]
    answered_second = replies[second].json()["last_message_id"]
    assert answered_first < answered_second  # in arrival order, the answers too
