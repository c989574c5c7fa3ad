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
            MunicipalityNames(fi=m["fi"], sv=m["sv"], fi_stem=m.get("fi_stem"))
            for m in raw["municipalities"]
        ],
    )


@dataclass(frozen=True)
class CountyContact:
    """What the actions tell residents about the county: its website in each language."""

    website_fi: str
    website_sv: str

    def website(self, language: str) -> str:
        return self.website_sv if language == "sv" else self.website_fi


def load_county_contact(path: Path | None = None) -> CountyContact:
    raw = yaml.safe_load((path or county_file()).read_text(encoding="utf-8"))
    return CountyContact(
        website_fi=raw["county"]["website"]["fi"], website_sv=raw["county"]["website"]["sv"]
    )
