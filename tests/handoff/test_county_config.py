"""The county file: the shipped one is valid, and every error names its field."""

from pathlib import Path

import pytest
import yaml

from handoff.county.loader import CountyConfigError, load_county
from handoff.routing.service import canonical_municipality, general_task, route

ROOT = Path(__file__).resolve().parents[2]
COUNTY_FILE = ROOT / "county" / "itauusimaa.yml"
county = load_county(COUNTY_FILE)

# Seed 002 (Itä-Uusimaa): which region's worklist serves each municipality.
EXPECTED_ROUTES = {
    ("working_age", "Porvoo"): "working_age_central",
    ("working_age", "Sipoo"): "working_age_western",
    ("working_age", "Askola"): "working_age_western",
    ("working_age", "Myrskylä"): "working_age_western",
    ("working_age", "Pukkila"): "working_age_western",
    ("working_age", "Loviisa"): "working_age_eastern",
    ("working_age", "Lapinjärvi"): "working_age_eastern",
    ("elderly", "Porvoo"): "elderly_central",
    ("elderly", "Sipoo"): "elderly_western",
    ("elderly", "Loviisa"): "elderly_eastern",
    ("elderly", "Askola"): "elderly_eastern",
    ("elderly", "Myrskylä"): "elderly_eastern",
    ("elderly", "Pukkila"): "elderly_eastern",
    ("elderly", "Lapinjärvi"): "elderly_eastern",
    ("lanupe", "Porvoo"): "lanupe_central",
    ("lanupe", "Sipoo"): "lanupe_western",
    ("lanupe", "Loviisa"): "lanupe_eastern",
    ("disability", "Porvoo"): "disability",
    ("disability", "Lapinjärvi"): "disability",
}


@pytest.mark.parametrize(("key", "task"), sorted(EXPECTED_ROUTES.items()))
def test_routing_table(key: tuple[str, str], task: str) -> None:
    area, municipality = key
    assert route(county, service_area=area, municipality=municipality).id == task


def test_every_area_and_municipality_has_a_worklist() -> None:
    for area in ("lanupe", "working_age", "elderly", "disability"):
        for municipality in county.municipalities:
            task = route(county, service_area=area, municipality=municipality.fi)
            assert not task.general, f"{area} in {municipality.fi} falls to the general worklist"


@pytest.mark.parametrize(
    ("area", "municipality"),
    [(None, "Porvoo"), ("elderly", None), (None, None), ("elderly", "Helsinki")],
)
def test_unknown_area_or_municipality_goes_to_general_advice(
    area: str | None, municipality: str | None
) -> None:
    assert route(county, service_area=area, municipality=municipality) == general_task(county)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Borgå", "Porvoo"),
        ("lovisa", "Loviisa"),
        ("LAPPTRÄSK", "Lapinjärvi"),
        ("Sipoo", "Sipoo"),
        ("Vantaa", None),
        ("", None),
    ],
)
def test_canonical_municipality(name: str, canonical: str | None) -> None:
    assert canonical_municipality(county, name) == canonical


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "county.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def broken(tmp_path: Path, change: object) -> str:
    data = yaml.safe_load(COUNTY_FILE.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    with pytest.raises(CountyConfigError) as error:
        load_county(write(tmp_path, data))
    return str(error.value)


def test_unknown_municipality_in_a_task_names_the_task(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda d: d["service_tasks"][1]["municipalities"].append("Porvo"))
    assert (
        "service_tasks.1 (lanupe_central).municipalities: unknown municipality 'Porvo'" in message
    )


def test_double_route_is_refused(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda d: d["service_tasks"][2]["municipalities"].append("Porvoo"))
    assert "lanupe in Porvoo is already routed to lanupe_central" in message


def test_missing_swedish_name_names_the_field(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda d: d["service_tasks"][0]["name"].pop("sv"))
    assert "service_tasks.0.name.sv: Field required" in message


def test_bad_office_hours_name_the_day(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda d: d["office_hours"]["days"].update({"mon": "16:00-08:00"}))
    assert (
        "office_hours.days" in message
        and "mon: opening 16:00 is not before closing 08:00" in message
    )


def test_two_general_tasks_are_refused(tmp_path: Path) -> None:
    message = broken(tmp_path, lambda d: d["service_tasks"][1].update({"general": True}))
    assert "exactly one task must be marked general" in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "county.yml"
    path.write_text("county:\n  name: [unclosed\nmunicipalities: []\n", encoding="utf-8")
    with pytest.raises(CountyConfigError, match=r"county.yml:\d+: not valid YAML"):
        load_county(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CountyConfigError, match="cannot read the county file"):
        load_county(tmp_path / "nope.yml")
