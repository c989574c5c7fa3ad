"""Finnish and Swedish conversations through the public API."""

import httpx

from tests.e2e.conftest import System, say, start


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
    # after 112, thanks get the short follow-up that keeps 112 in front (and offers a call)
    thanks = say(system, conversation, "kiitos avusta")
    assert thanks["messages"][0]["kind"] == "emergency"
    assert thanks["messages"][0]["text"].startswith("Jos et ole vielä soittanut, soita heti 112")


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


def test_gibberish_and_very_long_messages_get_plain_answers(system: System) -> None:
    conversation = start(system, "fi")
    gibberish = say(system, conversation, "asdkjh qwpoeiru zxmcnv")
    assert gibberish["messages"] and gibberish["messages"][0]["kind"] == "fallback"
    long_text = ("Äitini asuu yksin ja tarvitsee apua arjessa. " * 60)[:2000]
    assert len(long_text) == 2000
    reply = say(system, conversation, long_text)
    assert reply["messages"], "a 2,000-character message gets an answer"
    conversation_id, headers = conversation
    too_long = httpx.post(
        f"{system.url}/api/v1/conversations/{conversation_id}/messages",
        json={"text": long_text + "x"},
        headers=headers,
        timeout=30,
    )
    assert too_long.status_code == 422
    assert "at most 2000" in too_long.text
