"""Reading Rasa's REST channel output into messages with kinds."""

from handoff.bot.client import Button, parse_rasa_messages


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
