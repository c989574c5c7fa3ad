"""Hypothesis properties of the parsers a resident's words reach: the municipality and due dates."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from handoff.county.loader import load_county
from handoff.county.schema import CountyConfig
from handoff.routing.service import canonical_municipality
from handoff.tickets.due_dates import WorkingDays

ROOT = Path(__file__).resolve().parents[2]
COUNTY: CountyConfig = load_county(ROOT / "county" / "itauusimaa.yml")
CALENDAR = WorkingDays()
NAMES = {
    name.casefold(): municipality.fi
    for municipality in COUNTY.municipalities
    for name in (municipality.fi, municipality.sv)
}
SPACE = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=3)


@st.composite
def written_name(draw: st.DrawFn) -> tuple[str, str]:
    """A municipality's Finnish or Swedish name in any mix of cases, padded with white space;
    and the Finnish name it must map to."""
    municipality = draw(st.sampled_from(COUNTY.municipalities))
    name = draw(st.sampled_from([municipality.fi, municipality.sv]))
    upper = draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    cased = "".join(c.upper() if up else c.lower() for c, up in zip(name, upper, strict=True))
    return draw(SPACE) + cased + draw(SPACE), municipality.fi


@given(written_name())
def test_a_known_name_in_any_case_and_spacing_is_the_finnish_name(
    given_name: tuple[str, str],
) -> None:
    written, finnish = given_name
    assert canonical_municipality(COUNTY, written) == finnish


@given(st.text(max_size=40))
def test_anything_else_is_no_municipality(text: str) -> None:
    assume(text.strip().casefold() not in NAMES)
    assert canonical_municipality(COUNTY, text) is None


@given(written_name(), st.text(alphabet="abcxyzäö-", min_size=1, max_size=3))
def test_a_name_with_more_letters_is_no_municipality(
    given_name: tuple[str, str], extra: str
) -> None:
    written = given_name[0].strip() + extra
    assume(written.casefold() not in NAMES)
    assert canonical_municipality(COUNTY, written) is None


def test_none_and_empty_are_no_municipality() -> None:
    assert canonical_municipality(COUNTY, None) is None
    assert canonical_municipality(COUNTY, "") is None
    assert canonical_municipality(COUNTY, "   ") is None


DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`, counted one day at a time."""
    return sum(
        CALENDAR.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )


@hypothesis_settings(deadline=None)
@given(DAYS, st.integers(min_value=1, max_value=40))
def test_a_due_date_is_exactly_n_working_days_later(start: date, n: int) -> None:
    due = CALENDAR.add(start, n)
    assert due > start
    assert CALENDAR.is_working_day(due)
    assert working_days_between(start, due) == n
    assert working_days_between(start, due - timedelta(days=1)) == n - 1


@hypothesis_settings(deadline=None)
@given(DAYS)
def test_zero_working_days_is_the_same_day_or_the_next_working_day(start: date) -> None:
    due = CALENDAR.add(start, 0)
    assert CALENDAR.is_working_day(due)
    if CALENDAR.is_working_day(start):
        assert due == start
    else:
        assert due > start
        assert working_days_between(start, due - timedelta(days=1)) == 0


@given(DAYS)
def test_a_working_day_is_a_weekday_and_no_public_holiday(day: date) -> None:
    assert CALENDAR.is_working_day(day) == (day.weekday() < 5 and not CALENDAR.is_holiday(day))


def test_known_finnish_holidays_are_not_working_days() -> None:
    for holiday in (date(2025, 12, 6), date(2025, 6, 20), date(2026, 1, 6), date(2026, 4, 3)):
        assert not CALENDAR.is_working_day(holiday)


@given(DAYS, st.integers(max_value=-1))
def test_a_negative_count_is_refused(start: date, n: int) -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        CALENDAR.add(start, n)
