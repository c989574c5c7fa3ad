"""Create teams and advisors: `python -m handoff.advisors --help`.

    python -m handoff.advisors create-team "Vanhuspalvelut" --tasks elderly_central,elderly_western
    python -m handoff.advisors create-advisor maija --name "Maija N." --team "Vanhuspalvelut"
    python -m handoff.advisors list

Uses DATABASE_URL and NEUVO_COUNTY_FILE like the service (run `alembic upgrade head` first).
The password is asked twice on a terminal, or read from standard input with --password-stdin.
"""

import argparse
import getpass
import sys

from sqlalchemy import select

from handoff.advisors import service
from handoff.advisors.models import Advisor, Team
from handoff.config import get_settings
from handoff.county.loader import load_county
from handoff.db import make_engine, make_session_factory
from handoff.errors import DomainError


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("error: the passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m handoff.advisors",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    team = commands.add_parser("create-team", help="a team that owns service tasks (worklists)")
    team.add_argument("name")
    team.add_argument("--tasks", required=True, help="comma-separated service task ids")
    advisor = commands.add_parser("create-advisor", help="an advisor who logs in to the console")
    advisor.add_argument("username")
    advisor.add_argument("--name", required=True, help="the name residents and colleagues see")
    advisor.add_argument("--team", action="append", default=[], help="a team (repeatable)")
    advisor.add_argument("--admin", action="store_true", help="sees every worklist and the log")
    advisor.add_argument("--language", choices=("fi", "sv"), default="fi")
    advisor.add_argument("--password-stdin", action="store_true")
    commands.add_parser("list", help="teams with their tasks, advisors with their teams")
    args = parser.parse_args(argv)

    settings = get_settings()
    county = load_county(settings.county_file)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as db:
            if args.command == "create-team":
                tasks = [task.strip() for task in args.tasks.split(",") if task.strip()]
                created = service.create_team(db=db, county=county, name=args.name, tasks=tasks)
                print(f"team {created.name!r} owns {', '.join(tasks)}")
            elif args.command == "create-advisor":
                made = service.create_advisor(
                    db=db,
                    username=args.username,
                    display_name=args.name,
                    password=_password(args.password_stdin),
                    teams=args.team,
                    is_admin=args.admin,
                    language=args.language,
                )
                print(f"advisor {made.username!r} created" + (" (admin)" if made.is_admin else ""))
            else:
                for found in db.scalars(select(Team).order_by(Team.name)):
                    print(f"team {found.name}: {', '.join(t.service_task for t in found.tasks)}")
                for person in db.scalars(select(Advisor).order_by(Advisor.username)):
                    teams = ", ".join(t.name for t in person.teams) or "-"
                    print(
                        f"advisor {person.username} ({person.display_name}): {teams}"
                        + (" [admin]" if person.is_admin else "")
                    )
    except DomainError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
