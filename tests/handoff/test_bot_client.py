"""Reading Rasa's REST channel output into messages with kinds."""

import httpx
import pytest

from handoff.bot.client import BotUnavailable, Button, RasaBot, parse_rasa_messages


def test_text_without_custom_is_an_answer() -> None:
    [message] = parse_rasa_messages([{"recipient_id": "c", "text": "Hei!"}])
    assert (message.kind, message.text, message.buttons) == ("answer", "Hei!", [])


def test_custom_kind_applies_to_the_text_before_it() -> None:
    messages = parse_rasa_messages(
        [
            {"recipient_id": "c", "text": "Hei!"},
            {"recipient_id": "c", "text": "Soita 112."},
            {"recipient_id": "c", "custom": {"kind": "emergency"}},
        ]
    )
    assert [m.kind for m in messages] == ["answer", "emergency"]


def test_buttons_are_kept() -> None:
    [message] = parse_rasa_messages(
        [{"text": "Kenestä on kyse?", "buttons": [{"title": "Minusta", "payload": "/me"}]}]
    )
    assert message.buttons == [Button("Minusta", "/me")]


def test_unknown_kinds_and_empty_texts_are_ignored() -> None:
    messages = parse_rasa_messages(
        [
            {"custom": {"kind": "emergency"}},
            {"text": "  "},
            {"text": "Moi"},
            {"custom": {"kind": "bogus"}},
        ]
    )
    assert [(m.kind, m.text) for m in messages] == [("answer", "Moi")]


def _bot(handler: object, urls: list[str]) -> RasaBot:
    return RasaBot(
        rasa_urls=urls,
        action_server_url="http://actions",
        rasa_auth_token="",
        timeout_seconds=5,
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
    )


def test_a_message_fails_over_to_the_next_replica_when_its_home_is_down() -> None:
    urls = ["http://rasa-a", "http://rasa-b"]
    served: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions":
            return httpx.Response(200, json={"status": "ok"})
        if request.url.host == home:
            raise httpx.ConnectError("connection refused", request=request)
        served.append(request.url.host)
        return httpx.Response(200, json=[{"text": "Hei!"}])

    bot = _bot(handler, urls)
    home = bot.ring.home("conversation-1").url.removeprefix("http://")
    [message] = bot.send(conversation_id="conversation-1", message="hei", language="fi")
    assert message.text == "Hei!"
    assert served == [next(u for u in urls if not u.endswith(home)).removeprefix("http://")]
    assert bot.ring.order_for("conversation-1")[-1].url.endswith(home)  # skipped for now


def test_a_replica_that_took_the_message_and_failed_is_not_retried_elsewhere() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions":
            return httpx.Response(200, json={"status": "ok"})
        calls.append(request.url.host)
        raise httpx.ReadTimeout("no answer in time", request=request)

    bot = _bot(handler, ["http://rasa-a", "http://rasa-b"])
    with pytest.raises(BotUnavailable):
        bot.send(conversation_id="c", message="hei", language="fi")
    assert len(calls) == 1  # it may have been processed: never processed twice


def test_no_replica_reachable_is_bot_unavailable() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions":
            return httpx.Response(200, json={"status": "ok"})
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(BotUnavailable, match="no Rasa replica"):
        _bot(handler, ["http://rasa-a", "http://rasa-b"]).send(
            conversation_id="c", message="hei", language="fi"
        )


def test_a_replica_that_dropped_the_connection_and_is_gone_hands_over() -> None:
    served: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions":
            return httpx.Response(200, json={"status": "ok"})
        if request.url.host == home:
            if request.url.path == "/":
                raise httpx.ConnectError("refused", request=request)  # the probe: gone
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        served.append(request.url.host)
        return httpx.Response(200, json=[{"text": "Hei!"}])

    bot = _bot(handler, ["http://rasa-a", "http://rasa-b"])
    home = bot.ring.home("c").url.removeprefix("http://")
    assert bot.send(conversation_id="c", message="hei", language="fi")[0].text == "Hei!"
    assert served and home not in served


def test_a_replica_that_dropped_the_connection_but_lives_is_not_bypassed() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "actions" or request.url.path == "/":
            return httpx.Response(200, json={"status": "ok"})
        calls.append(request.url.host)
        raise httpx.RemoteProtocolError("server disconnected", request=request)

    with pytest.raises(BotUnavailable, match="dropped"):
        _bot(handler, ["http://rasa-a", "http://rasa-b"]).send(
            conversation_id="c", message="hei", language="fi"
        )
    assert len(calls) == 1


def test_the_tokens_go_to_rasas_channel_and_the_action_server() -> None:
    seen: dict[str, str | None] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.host + request.url.path] = request.headers.get("authorization")
        if request.url.host == "actions":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(200, json=[{"text": "Hei!"}])

    bot = RasaBot(
        rasa_urls=["http://rasa"],
        action_server_url="http://actions",
        rasa_auth_token="rasa-token",
        action_server_token="actions-token",
        timeout_seconds=5,
        transport=httpx.MockTransport(handler),
    )
    [reply] = bot.send(conversation_id="c", message="hei", language="fi")
    assert reply.text == "Hei!"
    assert seen == {
        "actions/health": "Bearer actions-token",
        "rasa/webhooks/rest/webhook": "Bearer rasa-token",
    }
