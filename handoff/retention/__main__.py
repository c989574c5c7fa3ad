"""Purge personal data past its retention period: `python -m handoff.retention purge [--dry-run]`.

Uses DATABASE_URL, HANDOFF_RETENTION_DAYS (transcripts and unanswered questions, default 90) and
HANDOFF_CLOSED_TICKET_RETENTION_DAYS (tickets that are done, default 365) like the service, and
RASA_TRACKER_STORE_URL (Rasa's trackers: those past the transcript period and those of deleted
conversations; empty to leave Rasa's store alone). Prints what was purged (with --dry-run: what
would be) as `name: count` lines. Run it daily (docs/privacy.md has a cron line and a systemd
timer).
"""

import argparse

from handoff.config import get_settings
from handoff.db import make_engine, make_session_factory
from handoff.retention.rasa_trackers import TrackerCounts, tracker_store_engine
from handoff.retention.service import purge, purge_rasa_trackers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handoff.retention",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("purge", help="delete what has outlived its retention period")
    command.add_argument(
        "--dry-run", action="store_true", help="count what would be deleted, delete nothing"
    )
    args = parser.parse_args(argv)

    settings = get_settings()
    engine = make_engine(settings.database_url)
    tracker_store = tracker_store_engine(settings.rasa_tracker_store_url)
    trackers: TrackerCounts | None = None
    try:
        with make_session_factory(engine)() as db:
            counts = purge(
                db=db,
                transcript_days=settings.retention_days,
                closed_ticket_days=settings.closed_ticket_retention_days,
                dry_run=args.dry_run,
            )
            if tracker_store is not None:
                trackers = purge_rasa_trackers(
                    db=db,
                    tracker_store=tracker_store,
                    transcript_days=settings.retention_days,
                    dry_run=args.dry_run,
                )
    finally:
        engine.dispose()
        if tracker_store is not None:
            tracker_store.dispose()
    print(
        f"{'would purge' if args.dry_run else 'purged'} (transcripts after "
        f"{settings.retention_days} days, closed tickets after "
        f"{settings.closed_ticket_retention_days} days):"
    )
    for name, count in counts.as_dict().items():
        print(f"{name}: {count}")
    if trackers is None:
        print(
            "rasa_trackers: skipped (RASA_TRACKER_STORE_URL is empty or its SQLite file is missing)"
        )
    else:
        print(f"rasa_trackers: {trackers.trackers}")
        print(f"rasa_tracker_events: {trackers.tracker_events}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
