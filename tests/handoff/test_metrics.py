"""Prometheus metrics at /metrics: turns, bot call latency, hand-offs, fallbacks, 5xx, the queue."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session

from handoff.bot.client import BotMessage
from handoff.config import Settings
from handoff.conversations.models import Conversation
from handoff.county.loader import load_county
from handoff.deps import get_db
from handoff.main import create_app
from handoff.observability import metrics
from handoff.tickets.due_dates import WorkingDays
from handoff.tickets.schemas import TicketCreate
from handoff.tickets.service import create_ticket
from tests.handoff.fakes import ScriptedBot

ROOT = Path(__file__).resolve().parents[2]
MESSAGES_ROUTE = "/api/v1/conversations/{conversation_id}/messages"


ClientFor = Callable[[ScriptedBot], AbstractContextManager[TestClient]]


@pytest.fixture
def client_for(settings: Settings, db: Session) -> ClientFor:
    """A test client of a fresh app with the given bot, on the test's rolled-back session."""

    @contextmanager
    def open_client(bot: ScriptedBot) -> Iterator[TestClient]:
        app = create_app(settings, bot=bot)

        def test_db() -> Iterator[Session]:
            yield db

        app.dependency_overrides[get_db] = test_db
        with TestClient(app) as client:
            yield client

    return open_client


def scrape(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics by (name, labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def start(client: TestClient, language: str = "fi") -> tuple[str, dict[str, str]]:
    data = client.post("/api/v1/conversations", json={"language": language}).json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def say(client: TestClient, conversation: tuple[str, dict[str, str]], text: str) -> None:
    conversation_id, headers = conversation
    response = client.post(
        f"/api/v1/conversations/{conversation_id}/messages", json={"text": text}, headers=headers
    )
    assert response.status_code == 200, response.text


def test_metrics_page_lists_every_metric(client: TestClient) -> None:
    text = client.get("/metrics").text
    for name, kind in (
        ("neuvo_turns_total", "counter"),
        ("neuvo_bot_call_seconds", "histogram"),
        ("neuvo_handoffs_total", "counter"),
        ("neuvo_fallbacks_total", "counter"),
        ("neuvo_http_server_errors_total", "counter"),
        ("neuvo_live_chats_waiting", "gauge"),
    ):
        assert f"# TYPE {name} {kind}\n" in text
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_a_bot_turn_is_counted_and_timed(client: TestClient) -> None:
    conversation = start(client, "sv")
    say(client, conversation, "hej")
    say(client, conversation, "tack")
    samples = scrape(client)
    assert value(samples, "neuvo_turns_total", language="sv", outcome="bot") == 2
    assert value(samples, "neuvo_bot_call_seconds_count", result="ok") == 2
    assert value(samples, "neuvo_fallbacks_total", language="sv", reason="not_understood") == 0


def test_the_bots_own_fallback_is_counted(client: TestClient, bot: ScriptedBot) -> None:
    bot.replies = [BotMessage(kind="fallback", text="En ymmärtänyt.")]
    say(client, start(client), "qwerty")
    samples = scrape(client)
    assert value(samples, "neuvo_turns_total", language="fi", outcome="fallback") == 1
    assert value(samples, "neuvo_fallbacks_total", language="fi", reason="not_understood") == 1


def test_bot_down_is_a_fallback_and_a_failed_call(client: TestClient, bot: ScriptedBot) -> None:
    bot.available = False
    say(client, start(client), "hei")
    samples = scrape(client)
    assert value(samples, "neuvo_fallbacks_total", language="fi", reason="bot_unavailable") == 1
    assert value(samples, "neuvo_turns_total", language="fi", outcome="fallback") == 1
    assert value(samples, "neuvo_bot_call_seconds_count", result="unavailable") == 1
    assert value(samples, "neuvo_bot_call_seconds_count", result="ok") == 0


@dataclass
class TicketingBot(ScriptedBot):
    """Creates a routed ticket during the turn, as the action server does through the API."""

    db: Session | None = None
    county_file: Path = ROOT / "county" / "itauusimaa.yml"
    created: list[str] = field(default_factory=list)

    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        assert self.db is not None
        ticket, _ = create_ticket(
            db=self.db,
            county=load_county(self.county_file),
            calendar=WorkingDays(),
            data=TicketCreate(
                conversation_id=conversation_id,
                service_area="elderly",
                municipality="Porvoo",
                language="fi",
                contact_phone="040 123 4567",
                resident_words=message,
            ),
            idempotency_key=None,
            actor="bot",
        )
        self.db.commit()
        self.created.append(ticket.service_task)
        return [BotMessage(kind="handoff", text="Tehty.")]


def test_a_ticket_created_in_a_turn_counts_as_a_handoff_by_service_task(
    client_for: ClientFor, db: Session
) -> None:
    bot = TicketingBot(db=db)
    with client_for(bot) as client:
        say(client, start(client), "äitini tarvitsee kotihoitoa Porvoossa")
        samples = scrape(client)
    assert bot.created == ["elderly_central"]
    assert value(samples, "neuvo_handoffs_total", service_task="elderly_central") == 1
    assert value(samples, "neuvo_turns_total", language="fi", outcome="bot") == 1


def test_a_contact_request_left_while_the_bot_is_down_is_a_handoff(
    client: TestClient, bot: ScriptedBot
) -> None:
    bot.available = False
    say(client, start(client), "soittakaa minulle 040 123 4567")
    samples = scrape(client)
    assert value(samples, "neuvo_handoffs_total", service_task="general_advice") == 1


def test_messages_to_an_advisor_are_counted_as_advisor_turns(
    client: TestClient, bot: ScriptedBot, db: Session
) -> None:
    conversation_id, headers = start(client)
    conversation = db.get(Conversation, conversation_id)
    assert conversation is not None
    conversation.mode = "advisor"
    db.commit()
    say(client, (conversation_id, headers), "hei neuvoja")
    samples = scrape(client)
    assert value(samples, "neuvo_turns_total", language="fi", outcome="advisor") == 1
    assert bot.calls == []


def test_waiting_live_chats_are_counted_at_scrape(client: TestClient, db: Session) -> None:
    assert value(scrape(client), "neuvo_live_chats_waiting") == 0
    for _ in range(2):
        conversation = db.get(Conversation, start(client)[0])
        assert conversation is not None
        conversation.mode = "queued"
    db.commit()
    assert value(scrape(client), "neuvo_live_chats_waiting") == 2


class BrokenBot(ScriptedBot):
    def send(self, *, conversation_id: str, message: str, language: str) -> list[BotMessage]:
        raise RuntimeError("a bug in the bot client")


def test_server_errors_are_counted_by_route_template_without_ids(client_for: ClientFor) -> None:
    with client_for(BrokenBot()) as client:
        conversation_id, headers = start(client)
        response = client.post(
            f"/api/v1/conversations/{conversation_id}/messages",
            json={"text": "hei"},
            headers=headers,
        )
        assert response.status_code == 500
        assert response.json()["detail"] == "internal server error"
        assert response.headers["x-request-id"] == response.json()["request_id"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        text = client.get("/metrics").text
        samples = scrape(client)
    assert (
        value(samples, "neuvo_http_server_errors_total", method="POST", route=MESSAGES_ROUTE) == 1
    )
    assert conversation_id not in text


def test_each_app_has_its_own_registry(client_for: ClientFor) -> None:
    with client_for(ScriptedBot()) as one, client_for(ScriptedBot()) as other:
        say(one, start(one), "hei")
        assert value(scrape(one), "neuvo_turns_total", language="fi", outcome="bot") == 1
        assert value(scrape(other), "neuvo_turns_total", language="fi", outcome="bot") == 0


def test_services_outside_a_request_record_into_a_detached_set() -> None:
    assert metrics.current() is metrics.current()
    bound = metrics.Metrics()
    token = metrics.bind(bound)
    try:
        assert metrics.current() is bound
    finally:
        metrics.unbind(token)
    assert metrics.current() is not bound


def test_the_readiness_probes_503_is_no_server_error(client: TestClient, bot: ScriptedBot) -> None:
    bot.available = False
    assert client.get("/readyz").status_code == 503
    assert (
        value(scrape(client), "neuvo_http_server_errors_total", method="GET", route="/readyz") == 0
    )
