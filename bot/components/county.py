"""The parts of the county configuration the bot needs (the handoff service validates the whole
file at startup; this only reads it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_COUNTY_FILE = ROOT / "county" / "itauusimaa.yml"


@dataclass(frozen=True)
class MunicipalityNames:
    fi: str
    sv: str
    fi_stem: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CountyFacts:
    reference_prefix: str
    municipalities: list[MunicipalityNames]


def county_file() -> Path:
    configured = os.environ.get("NEUVO_COUNTY_FILE")
    if not configured:
        return DEFAULT_COUNTY_FILE
    path = Path(configured)
    return path if path.is_absolute() else ROOT / path


def load_county_facts(path: Path | None = None) -> CountyFacts:
    raw = yaml.safe_load((path or county_file()).read_text(encoding="utf-8"))
    return CountyFacts(
        reference_prefix=str(raw["county"]["reference_prefix"]),
        municipalities=[
            MunicipalityNames(
                fi=m["fi"],
                sv=m["sv"],
                fi_stem=m.get("fi_stem"),
                aliases=tuple(m.get("aliases") or ()),
            )
            for m in raw["municipalities"]
        ],
    )


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class CountyContact:
    """What the actions tell residents about the county: its website in each language, and the
    customer advice phone number and office hours when the county has filled them in (a value
    marked `example: true` is a placeholder and is never shown as a fact)."""

    website_fi: str
    website_sv: str
    advice_phone: str | None = None
    # (weekday index 0 = Monday, "HH:MM-HH:MM") for the open days, in order
    office_hours: tuple[tuple[int, str], ...] = ()

    def website(self, language: str) -> str:
        return self.website_sv if language == "sv" else self.website_fi


def load_county_contact(path: Path | None = None) -> CountyContact:
    raw = yaml.safe_load((path or county_file()).read_text(encoding="utf-8"))
    advice = (raw.get("contact_numbers") or {}).get("customer_advice") or {}
    hours = raw.get("office_hours") or {}
    return CountyContact(
        website_fi=raw["county"]["website"]["fi"],
        website_sv=raw["county"]["website"]["sv"],
        advice_phone=None if advice.get("example", False) else advice.get("number"),
        office_hours=()
        if hours.get("example", False)
        else tuple(
            (WEEKDAYS.index(day), str(span))
            for day, span in sorted(
                (hours.get("days") or {}).items(), key=lambda item: WEEKDAYS.index(item[0])
            )
        ),
    )
