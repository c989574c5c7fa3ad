"""Service promises in working days across Finnish public holidays."""

from datetime import date

import pytest

from handoff.tickets.due_dates import WorkingDays

calendar = WorkingDays()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 23), 7, date(2026, 12, 2)),  # Monday → Wednesday next week
        (date(2026, 11, 21), 7, date(2026, 12, 1)),  # Saturday: counting starts on Monday
        # Easter 2027: Good Friday 26.3 and Easter Monday 29.3 are not working days.
        (date(2027, 3, 24), 7, date(2027, 4, 6)),
        # Midsummer 2026: Midsummer Eve Friday 19.6 is not a working day.
        (date(2026, 6, 17), 7, date(2026, 6, 29)),
        # Christmas 2026: 24.12 (Thu) and 25.12 (Fri) are holidays.
        (date(2026, 12, 21), 7, date(2027, 1, 4)),
        # Independence Day 2027 is Monday 6.12.
        (date(2027, 12, 3), 1, date(2027, 12, 7)),
        (date(2027, 12, 3), 7, date(2027, 12, 15)),
        # Same day (customer advice): a working day is itself; a holiday moves to the next one.
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
        (date(2026, 12, 24), 0, date(2026, 12, 28)),
        (date(2027, 12, 6), 0, date(2027, 12, 7)),
    ],
)
def test_add_working_days(start: date, days: int, due: date) -> None:
    assert calendar.add(start, days) == due


def test_holidays_and_weekends_are_not_working_days() -> None:
    assert not calendar.is_working_day(date(2026, 12, 6))  # Independence Day (Sunday)
    assert not calendar.is_working_day(date(2027, 3, 26))  # Good Friday
    assert not calendar.is_working_day(date(2026, 6, 19))  # Midsummer Eve
    assert calendar.is_working_day(date(2026, 6, 18))


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        calendar.add(date(2026, 1, 5), -1)
