"""Advisors and teams: creation (the CLI), login with lockout, sessions, visibility of worklists."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from secrets import token_urlsafe

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from handoff.advisors.models import Advisor, AuditEvent, ConsoleSession, Team, TeamTask
from handoff.advisors.passwords import DUMMY_HASH, hash_password, verify_password
from handoff.auth.tokens import token_digest
from handoff.county.schema import CountyConfig
from handoff.db import utcnow
from handoff.errors import Conflict, Invalid

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # one working day
ONLINE_WINDOW = timedelta(seconds=90)  # the console page sends a heartbeat every 30 s


# --- teams and advisors (the CLI) ---------------------------------------------------------------


def create_team(*, db: Session, county: CountyConfig, name: str, tasks: list[str]) -> Team:
    known = {task.id for task in county.service_tasks}
    unknown = [task for task in tasks if task not in known]
    if unknown:
        raise Invalid(
            f"unknown service task(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    if db.scalar(select(Team).where(Team.name == name)) is not None:
        raise Conflict(f"a team named {name!r} exists already")
    team = Team(name=name, tasks=[TeamTask(service_task=task) for task in tasks])
    db.add(team)
    db.commit()
    return team


def create_advisor(
    *,
    db: Session,
    username: str,
    display_name: str,
    password: str,
    teams: list[str],
    is_admin: bool = False,
    language: str = "fi",
) -> Advisor:
    if db.scalar(select(Advisor).where(Advisor.username == username)) is not None:
        raise Conflict(f"an advisor with the username {username!r} exists already")
    found = list(db.scalars(select(Team).where(Team.name.in_(teams))))
    missing = sorted(set(teams) - {team.name for team in found})
    if missing:
        raise Invalid(f"unknown team(s) {', '.join(missing)}; create them first")
    try:
        password_hash = hash_password(password)
    except ValueError as error:
        raise Invalid(str(error)) from error
    advisor = Advisor(
        username=username,
        display_name=display_name,
        password_hash=password_hash,
        is_admin=is_admin,
        language=language,
        teams=found,
    )
    db.add(advisor)
    db.commit()
    return advisor


# --- login and sessions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    advisor: Advisor | None
    session_token: str | None = None
    locked: bool = False


def log_in(
    *, db: Session, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """A new session for the right password. Five failures in a row lock the account for 15 min;
    a locked account refuses even the right password until the time has passed."""
    now = now or utcnow()
    advisor = db.scalar(select(Advisor).where(Advisor.username == username.strip()))
    if advisor is None:
        verify_password(DUMMY_HASH, password)
        return LoginResult(advisor=None)
    if advisor.locked_until is not None and advisor.locked_until > now:
        return LoginResult(advisor=None, locked=True)
    if not verify_password(advisor.password_hash, password):
        advisor.failed_logins += 1
        locked = advisor.failed_logins >= MAX_FAILED_LOGINS
        if locked:
            advisor.locked_until = now + LOCKOUT
            advisor.failed_logins = 0
        record(db=db, actor=advisor.username, action="login_failed", target=None)
        db.commit()
        return LoginResult(advisor=None, locked=locked)
    advisor.failed_logins = 0
    advisor.locked_until = None
    advisor.last_seen_at = now
    token = token_urlsafe(32)
    db.add(
        ConsoleSession(
            token_hash=token_digest(token),
            csrf_token=token_urlsafe(32),
            advisor_id=advisor.id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    record(db=db, actor=advisor.username, action="login", target=None)
    db.commit()
    return LoginResult(advisor=advisor, session_token=token)


def session_for(
    *, db: Session, token: str | None, now: datetime | None = None
) -> ConsoleSession | None:
    if not token:
        return None
    now = now or utcnow()
    session = db.scalar(
        select(ConsoleSession).where(ConsoleSession.token_hash == token_digest(token))
    )
    if session is None or session.expires_at <= now:
        return None
    return session


def log_out(*, db: Session, session: ConsoleSession) -> None:
    record(db=db, actor=session.advisor.username, action="logout", target=None)
    db.execute(delete(ConsoleSession).where(ConsoleSession.id == session.id))
    db.commit()


def seen(*, db: Session, advisor: Advisor, now: datetime | None = None) -> None:
    """The advisor has the console open (heartbeat): counts them as online for live chats."""
    advisor.last_seen_at = now or utcnow()
    db.commit()


def advisors_online(*, db: Session, now: datetime | None = None) -> int:
    since = (now or utcnow()) - ONLINE_WINDOW
    return len(list(db.scalars(select(Advisor.id).where(Advisor.last_seen_at >= since))))


# --- what an advisor may see ----------------------------------------------------------------------


def visible_tasks(advisor: Advisor, county: CountyConfig) -> list[str]:
    """The service tasks whose worklists the advisor sees: their teams' tasks; admins see all."""
    if advisor.is_admin:
        return [task.id for task in county.service_tasks]
    owned = {task.service_task for team in advisor.teams for task in team.tasks}
    return [task.id for task in county.service_tasks if task.id in owned]


def may_see_task(advisor: Advisor, county: CountyConfig, task_id: str) -> bool:
    return task_id in visible_tasks(advisor, county)


# --- audit log ------------------------------------------------------------------------------------


def record(
    *, db: Session, actor: str, action: str, target: str | None, detail: str | None = None
) -> None:
    """Add an audit event to the current unit of work (the caller commits)."""
    db.add(AuditEvent(actor=actor, action=action, target=target, detail=detail))


def audit_log(*, db: Session, limit: int = 200, offset: int = 0) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    return list(db.scalars(query))
