"""Whether a resident can be connected to an advisor now: live-chat hours and someone online."""

from datetime import datetime
from zoneinfo import ZoneInfo

from handoff.county.schema import CountyConfig
from handoff.tickets.due_dates import WorkingDays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def within_live_hours(county: CountyConfig, calendar: WorkingDays, now: datetime) -> bool:
    """True when `now` falls in the county's live-chat hours (its office hours by default)."""
    live = county.live_chat
    if not live.enabled:
        return False
    local = now.astimezone(ZoneInfo(county.county.timezone))
    if not live.open_on_holidays and calendar.is_holiday(local.date()):
        return False
    days = live.days if live.days is not None else county.office_hours.days
    hours: str | None = {str(day): span for day, span in days.items()}.get(
        WEEKDAYS[local.weekday()]
    )
    if hours is None:
        return False
    start, end = hours.split("-")
    now_hm = local.strftime("%H:%M")
    return start <= now_hm and (now_hm < end or end == "23:59")  # 23:59 means until midnight
