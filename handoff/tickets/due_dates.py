"""Service promises in working days: weekends and Finnish public holidays are not counted."""

from datetime import date, timedelta

import holidays


class WorkingDays:
    """Finland's working-day calendar (the `holidays` library's Finnish holidays)."""

    def __init__(self) -> None:
        self._holidays = holidays.country_holidays("FI")

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays

    def is_holiday(self, day: date) -> bool:
        """A Finnish public holiday (weekends are not holidays as such)."""
        return day in self._holidays

    def add(self, start: date, working_days: int) -> date:
        """The date `working_days` working days after `start`.

        Zero means the same day, or the next working day when `start` is not one
        (customer advice: "every contact handled the same day").
        """
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        day = start
        if working_days == 0:
            while not self.is_working_day(day):
                day += timedelta(days=1)
            return day
        counted = 0
        while counted < working_days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day
