"""Triage: the bot's identification of a text and its routing, for an advisor's phone contact."""

from typing import Any

from handoff.bot.client import Bot
from handoff.county.schema import SERVICE_AREAS, CountyConfig
from handoff.language.detector import LanguageDetection
from handoff.privacy import mask_personal_data
from handoff.routing.service import canonical_municipality, route
from handoff.tickets.schemas import TriageOut

URGENCY_OF_INTENT = {
    "emergency": "emergency",
    "crisis": "crisis",
    "concern": "concern",
    "request_human": "concern",
}
URGENCY_ORDER = ("none", "concern", "crisis", "emergency")


def _entity(parsed: dict[str, Any], name: str) -> str | None:
    """An entity of the parse, or what a common question tells of the need (`neuvo_need`)."""
    for entity in parsed.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    need = parsed.get("neuvo_need")
    value = need.get(name) if isinstance(need, dict) else None
    return str(value) if value else None


def triage(
    *,
    text: str,
    county: CountyConfig,
    bot: Bot,
    languages: LanguageDetection,
    default_language: str,
) -> TriageOut:
    """Language, urgency, service area, municipality and the service task they route to."""
    parsed = bot.parse(mask_personal_data(text))  # the bot needs none of it
    intent = (parsed.get("intent") or {}).get("name") or ""
    candidates = [URGENCY_OF_INTENT.get(intent, "none"), _entity(parsed, "urgency") or "none"]
    urgency = max((c for c in candidates if c in URGENCY_ORDER), key=URGENCY_ORDER.index)
    area = _entity(parsed, "service_area")
    service_area = area if area in SERVICE_AREAS else None
    municipality = canonical_municipality(county, _entity(parsed, "municipality"))
    task = route(county, service_area=service_area, municipality=municipality)
    language = languages.detect(text, current="sv" if default_language == "sv" else "fi")
    return TriageOut(
        language=language,
        urgency=urgency,
        service_area=service_area,
        municipality=municipality,
        service_task=task.id,
    )
