"""The advisor console: login with lockout, CSRF, teams' worklists, ticket work, audit, escaping."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.advisors import service as advisors
from handoff.advisors.__main__ import main as cli
from handoff.advisors.models import Advisor, AuditEvent
from handoff.county.loader import load_county
from handoff.tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[2]
COUNTY = load_county(ROOT / "county" / "itauusimaa.yml")
PASSWORD = "correct horse battery"


@pytest.fixture
def teams(db: Session) -> None:
    advisors.create_team(db=db, county=COUNTY, name="Vanhus", tasks=["elderly_central"])
    advisors.create_team(db=db, county=COUNTY, name="Neuvonta", tasks=["general_advice"])
    advisors.create_advisor(
        db=db, username="maija", display_name="Maija", password=PASSWORD, teams=["Vanhus"]
    )
    advisors.create_advisor(
        db=db, username="ville", display_name="Ville", password=PASSWORD, teams=["Neuvonta"]
    )
    advisors.create_advisor(
        db=db, username="admin", display_name="Admin", password=PASSWORD, teams=[], is_admin=True
    )


def login_form_token(client: TestClient) -> str:
    """Open the login page; returns its form's CSRF token (its cookie is in the client)."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/console/login").text)
    assert token is not None
    return token.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the session's pages."""
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": login_form_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/console/")
    csrf = re.search(r'data-csrf="([^"]+)"', home.text)
    assert csrf is not None
    return csrf.group(1)


def ticket_via_api(client: TestClient, **fields: str) -> str:
    """A ticket as the action server creates them (bootstrap-free: straight through the service)."""
    from handoff.tickets.schemas import TicketCreate
    from handoff.tickets.service import create_ticket

    app = client.app
    db = next(iter(app.dependency_overrides.values()))()  # type: ignore[attr-defined]
    session = next(db)
    ticket, _ = create_ticket(
        db=session,
        county=COUNTY,
        calendar=app.state.calendar,  # type: ignore[attr-defined]
        data=TicketCreate.model_validate(
            {"language": "fi", "contact_phone": "040 123 4567", "resident_words": "apua", **fields}
        ),
        idempotency_key=None,
        actor="test",
    )
    return ticket.reference


def test_passwords_are_argon2_hashes(db: Session, teams: None) -> None:
    advisor = db.scalar(select(Advisor).where(Advisor.username == "maija"))
    assert advisor is not None
    assert advisor.password_hash.startswith("$argon2id$")
    assert PASSWORD not in advisor.password_hash


def test_console_needs_login(client: TestClient) -> None:
    response = client.get("/console/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login"


def test_login_sets_a_strict_httponly_cookie_and_logout_ends_it(
    client: TestClient, teams: None
) -> None:
    response = client.post(
        "/console/login",
        data={"username": "maija", "password": PASSWORD, "csrf_token": login_form_token(client)},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    token = re.search(r'data-csrf="([^"]+)"', client.get("/console/").text)
    assert token is not None
    client.post("/console/logout", data={"csrf_token": token.group(1)})
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_login_without_the_form_token_is_refused(client: TestClient, teams: None) -> None:
    client.get("/console/login")
    response = client.post("/console/login", data={"username": "maija", "password": PASSWORD})
    assert response.status_code == 403


def test_wrong_password_then_lockout_even_for_the_right_password(
    client: TestClient, teams: None
) -> None:
    form = {"username": "maija", "csrf_token": login_form_token(client)}
    for _ in range(advisors.MAX_FAILED_LOGINS - 1):
        wrong = client.post("/console/login", data={**form, "password": "wrong password!"})
        assert wrong.status_code == 401
        assert "väärin" in wrong.text
    locked = client.post("/console/login", data={**form, "password": "wrong password!"})
    assert "lukittu" in locked.text
    right = client.post("/console/login", data={**form, "password": PASSWORD})
    assert right.status_code == 401 and "lukittu" in right.text


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(
    client: TestClient, teams: None
) -> None:
    response = client.post(
        "/console/login",
        data={"username": "nobody", "password": PASSWORD, "csrf_token": login_form_token(client)},
    )
    assert response.status_code == 401 and "väärin" in response.text


def test_worklists_show_only_the_teams_tasks_with_counts(client: TestClient, teams: None) -> None:
    ticket_via_api(client, service_area="elderly", municipality="Porvoo")
    ticket_via_api(client)  # general advice: Ville's team
    login(client, "maija")
    page = client.get("/console/").text
    assert 'data-task="elderly_central"' in page
    assert 'data-task="general_advice"' not in page
    assert re.search(r'data-task="elderly_central">.*?data-count="new">1<', page, re.S)


def test_another_teams_ticket_is_forbidden(client: TestClient, teams: None) -> None:
    reference = ticket_via_api(client)  # general advice
    login(client, "maija")
    assert client.get(f"/console/tickets/{reference}").status_code == 403
    assert client.get("/console/tasks/general_advice").status_code == 403


def test_claim_note_and_done_are_in_the_history_and_the_audit_log(
    client: TestClient, teams: None, db: Session
) -> None:
    reference = ticket_via_api(client, service_area="elderly", municipality="Porvoo")
    csrf = login(client, "maija")
    page = client.get(f"/console/tickets/{reference}")
    assert page.status_code == 200 and "apua" in page.text
    client.post(f"/console/tickets/{reference}/claim", data={"csrf_token": csrf})
    client.post(f"/console/tickets/{reference}/notes", data={"csrf_token": csrf, "text": "soitin"})
    client.post(f"/console/tickets/{reference}/status", data={"csrf_token": csrf, "status": "done"})
    db.expire_all()
    ticket = db.scalar(select(Ticket).where(Ticket.reference == reference))
    assert ticket is not None
    assert (ticket.status, ticket.assignee) == ("done", "maija")
    assert [e.kind for e in ticket.events] == ["created", "claim", "status", "note", "status"]
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.target == reference)).all()
    assert "open_ticket" in actions


def test_forms_without_the_csrf_token_change_nothing(
    client: TestClient, teams: None, db: Session
) -> None:
    reference = ticket_via_api(client, service_area="elderly", municipality="Porvoo")
    login(client, "maija")
    response = client.post(f"/console/tickets/{reference}/claim", data={"csrf_token": "forged"})
    assert response.status_code == 403
    ticket = db.scalar(select(Ticket).where(Ticket.reference == reference))
    assert ticket is not None and ticket.status == "new"


def test_reroute_needs_a_reason_and_moves_the_ticket_away(
    client: TestClient, teams: None, db: Session
) -> None:
    reference = ticket_via_api(client, service_area="elderly", municipality="Porvoo")
    csrf = login(client, "maija")
    form = {"csrf_token": csrf, "service_task": "disability"}
    no_reason = client.post(f"/console/tickets/{reference}/reroute", data=form)
    assert "syy" in no_reason.text.lower() or "reason" in no_reason.text.lower()
    moved = client.post(
        f"/console/tickets/{reference}/reroute",
        data={**form, "reason": "vammaispalvelun asia"},
        follow_redirects=False,
    )
    assert moved.headers["location"] == "/console/"  # no longer Maija's team's ticket
    ticket = db.scalar(select(Ticket).where(Ticket.reference == reference))
    assert ticket is not None and ticket.service_task == "disability"


def test_resident_markup_is_escaped_in_the_console(client: TestClient, teams: None) -> None:
    reference = ticket_via_api(
        client, resident_words='<script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    login(client, "ville")
    page = client.get(f"/console/tickets/{reference}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_audit_log_is_for_admins_only(client: TestClient, teams: None) -> None:
    login(client, "ville")
    assert client.get("/console/audit").status_code == 403
    client.cookies.clear()
    login(client, "admin")
    page = client.get("/console/audit")
    assert page.status_code == 200 and "login" in page.text


def test_cli_creates_teams_and_advisors_and_names_mistakes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    from handoff.config import get_settings
    from tests.handoff.conftest import migrate

    migrate(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    try:
        assert cli(["create-team", "Perhe", "--tasks", "nope"]) == 2
        assert "unknown service task(s) nope" in capsys.readouterr().err
        assert cli(["create-team", "Perhe-cli", "--tasks", "lanupe_central"]) == 0
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO("short\n"))
        assert cli(["create-advisor", "pekka", "--name", "P", "--password-stdin"]) == 2
        assert "at least 12" in capsys.readouterr().err
        monkeypatch.setattr("sys.stdin", __import__("io").StringIO(PASSWORD + "\n"))
        args = ["create-advisor", "pekka-cli", "--name", "P", "--team", "Perhe-cli"]
        assert cli([*args, "--password-stdin"]) == 0
        assert cli(["list"]) == 0
        out = capsys.readouterr().out
        assert "team Perhe-cli: lanupe_central" in out and "advisor pekka-cli (P): Perhe-cli" in out
    finally:
        get_settings.cache_clear()
