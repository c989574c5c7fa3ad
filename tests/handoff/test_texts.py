"""The service's own texts exist in Finnish and Swedish."""

import pytest

from handoff.texts import resident_text, text_keys


@pytest.mark.parametrize("key", text_keys())
def test_text_in_both_languages(key: str) -> None:
    finnish, swedish = resident_text(key, "fi"), resident_text(key, "sv")
    assert finnish and swedish
    assert finnish != swedish or finnish in ("Askola", "Pukkila")


@pytest.mark.parametrize("key", ["bot_unavailable", "contact_request_saved"])
def test_resident_fallback_texts_point_to_112(key: str) -> None:
    assert "112" in resident_text(key, "fi") and "112" in resident_text(key, "sv")


@pytest.mark.parametrize("key", text_keys())
def test_placeholders_are_the_same_in_both_languages(key: str) -> None:
    import re

    finnish, swedish = resident_text(key, "fi"), resident_text(key, "sv")
    assert sorted(re.findall(r"\{(\w+)\}", finnish)) == sorted(re.findall(r"\{(\w+)\}", swedish))
