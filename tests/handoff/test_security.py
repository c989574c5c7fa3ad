"""Hardening: rate limits (429, Retry-After), trusted proxies, security headers, widget CORS."""

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from handoff.config import Settings
from handoff.deps import get_db
from handoff.main import create_app
from handoff.security.ratelimit import RateLimit, SlidingWindows, parse_rate_limit
from tests.handoff.fakes import ScriptedBot

WIDGET_ORIGIN = "https://www.county.example"
ClientFor = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture
def client_for(settings: Settings, db: Session) -> ClientFor:
    """A test client of a fresh app with settings changed by keyword, on the test's session."""

    @contextmanager
    def open_client(
        peer: str = "192.0.2.10", base_url: str = "http://testserver", **changes: Any
    ) -> Iterator[TestClient]:
        changed = Settings(
            database_url=settings.database_url,
            rasa_url=settings.rasa_url,
            action_server_url=settings.action_server_url,
            sqlite_immediate=False,
            **changes,
        )
        app = create_app(changed, bot=ScriptedBot())

        def test_db() -> Iterator[Session]:
            yield db

        app.dependency_overrides[get_db] = test_db
        with TestClient(app, base_url=base_url, client=(peer, 50000)) as client:
            yield client

    return open_client


def start(client: TestClient, **headers: str) -> tuple[str, dict[str, str]]:
    response = client.post("/api/v1/conversations", headers=headers)
    assert response.status_code == 201, response.text
    data = response.json()
    return data["conversation_id"], {"Authorization": f"Bearer {data['token']}"}


def say(client: TestClient, conversation: tuple[str, dict[str, str]], **headers: str) -> int:
    conversation_id, auth = conversation
    return client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "hei"},
        headers={**auth, **headers},
    ).status_code


def assert_too_many(response: Any) -> None:
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert response.json()["detail"].startswith("too many requests: try again in ")


# --- rate limits ----------------------------------------------------------------------------------


def test_sixty_new_conversations_per_address_in_ten_minutes(client_for: ClientFor) -> None:
    with client_for() as client:
        for _ in range(60):
            start(client)
        refused = client.post("/api/v1/conversations")
        assert_too_many(refused)
        assert 590 <= int(refused.headers["retry-after"]) <= 600
    with client_for(peer="192.0.2.11") as other_address:
        start(other_address)


def test_twenty_messages_per_conversation_a_minute(client_for: ClientFor) -> None:
    with client_for() as client:
        conversation = start(client)
        assert [say(client, conversation) for _ in range(20)] == [200] * 20
        conversation_id, auth = conversation
        refused = client.post(
            f"/api/v1/conversations/{conversation_id}/messages", json={"text": "hei"}, headers=auth
        )
        assert_too_many(refused)
        feedback = client.post(
            f"/api/v1/conversations/{conversation_id}/feedback", json={"rating": 5}, headers=auth
        )
        assert feedback.status_code == 429  # the conversation's writes share the window
        assert say(client, start(client)) == 200  # another resident at the same address


def test_a_stranger_does_not_use_up_a_residents_allowance(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION="3/60") as client:
        conversation_id, auth = start(client)
        stranger = {"Authorization": "Bearer not-the-token"}
        for _ in range(5):
            say(client, (conversation_id, stranger))
        assert [say(client, (conversation_id, auth)) for _ in range(4)] == [200, 200, 200, 429]


def test_messages_per_address_across_conversations(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_MESSAGES_PER_IP="5/60") as client:
        first, second = start(client), start(client)
        codes = [say(client, conversation) for conversation in (first, second) * 3]
        assert codes == [200, 200, 200, 200, 200, 429]


def test_a_refused_message_does_not_use_up_the_address_window(client_for: ClientFor) -> None:
    with client_for(
        HANDOFF_RATE_LIMIT_MESSAGES_PER_IP="4/60",
        HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION="2/60",
    ) as client:
        busy, quiet = start(client), start(client)
        assert [say(client, busy) for _ in range(5)] == [200, 200, 429, 429, 429]
        assert [say(client, quiet) for _ in range(2)] == [200, 200]


def test_ten_console_logins_a_minute_per_address(client_for: ClientFor) -> None:
    with client_for() as client:
        form = {"username": "nobody", "password": "wrong", "csrf_token": "x"}
        codes = [client.post("/console/login", data=form).status_code for _ in range(10)]
        assert 429 not in codes
        assert_too_many(client.post("/console/login", data=form))
        page = client.post("/console/login", data=form, headers={"Accept": "text/html"})
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        assert "Odota" in page.text and "Vänta" in page.text


def test_limits_can_be_switched_off(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION="0") as client:
        conversation = start(client)
        assert {say(client, conversation) for _ in range(25)} == {200}


def test_reads_are_not_limited(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION="1/60") as client:
        conversation_id, auth = start(client)
        for _ in range(5):
            assert client.get(f"/api/v1/conversations/{conversation_id}", headers=auth).is_success


def test_sliding_window_counts_the_last_window_only() -> None:
    now = [1000.0]
    windows = SlidingWindows(RateLimit(count=2, seconds=10), clock=lambda: now[0])
    assert windows.acquire("a") == 0 and windows.acquire("a") == 0
    now[0] = 1004.0
    assert windows.acquire("a") == pytest.approx(6.0)  # the first leaves the window at 1010
    assert windows.acquire("b") == 0
    now[0] = 1010.0  # both of 1000 have left; the refused one of 1004 was never recorded
    assert windows.acquire("a") == 0 and windows.acquire("a") == 0
    assert windows.acquire("a") == pytest.approx(10.0)
    now[0] = 1100.0
    windows.PRUNE_EVERY = 1
    windows.acquire("c")
    assert len(windows) == 1  # keys whose window emptied are swept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60/600", RateLimit(60, 600)),
        (" 20 / 60 ", RateLimit(20, 60)),
        ("5/0.5", RateLimit(5, 0.5)),
        ("0", None),
        ("off", None),
        ("", None),
    ],
)
def test_parse_rate_limit(text: str, expected: RateLimit | None) -> None:
    assert parse_rate_limit(text) == expected


@pytest.mark.parametrize("text", ["60", "60/", "a/b", "0/60", "60/0", "-1/60"])
def test_a_malformed_limit_stops_the_service_at_startup(text: str) -> None:
    with pytest.raises(ValidationError, match=r"COUNT/SECONDS|above zero"):
        Settings(HANDOFF_RATE_LIMIT_MESSAGES_PER_IP=text)


# --- trusted proxies ------------------------------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP="2/600") as client:
        start(client, **{"X-Forwarded-For": "198.51.100.1"})
        start(client, **{"X-Forwarded-For": "198.51.100.2"})
        refused = client.post("/api/v1/conversations", headers={"X-Forwarded-For": "198.51.100.3"})
        assert_too_many(refused)


def test_a_trusted_proxys_forwarded_for_names_the_client(client_for: ClientFor) -> None:
    with client_for(
        peer="10.1.2.3",
        HANDOFF_TRUSTED_PROXIES="10.0.0.0/8",
        HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP="1/600",
    ) as client:
        start(client, **{"X-Forwarded-For": "198.51.100.1"})
        start(client, **{"X-Forwarded-For": "198.51.100.2"})
        # A client cannot pick its address by sending its own X-Forwarded-For first.
        spoofed = {"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}
        assert_too_many(client.post("/api/v1/conversations", headers=spoofed))


def test_an_untrusted_peers_forwarded_for_is_ignored(client_for: ClientFor) -> None:
    with client_for(
        peer="192.0.2.50",
        HANDOFF_TRUSTED_PROXIES="10.0.0.0/8",
        HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP="1/600",
    ) as client:
        start(client, **{"X-Forwarded-For": "198.51.100.1"})
        refused = client.post("/api/v1/conversations", headers={"X-Forwarded-For": "198.51.100.2"})
        assert_too_many(refused)


def test_a_malformed_proxy_setting_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(HANDOFF_TRUSTED_PROXIES="10.0.0.0/8, proxy.local")


# --- security headers -----------------------------------------------------------------------------

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def assert_common_headers(response: Any) -> None:
    for name, expected in COMMON.items():
        assert response.headers[name] == expected, name
    assert "camera=()" in response.headers["permissions-policy"]
    assert "microphone=()" in response.headers["permissions-policy"]


def csp(response: Any) -> dict[str, str]:
    directives = [part.strip() for part in response.headers["content-security-policy"].split(";")]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] if " " in d else "" for d in directives if d}


def test_api_responses_are_not_cached_and_not_sniffed(client_for: ClientFor) -> None:
    with client_for() as client:
        for response in (
            client.post("/api/v1/conversations"),
            client.get("/api/v1/widget/texts"),
            client.get("/api/v1/conversations/nope"),  # 401
            client.get("/no/such/page"),  # 404
        ):
            assert_common_headers(response)
            assert response.headers["cache-control"] == "no-store"
            assert "strict-transport-security" not in response.headers  # plain HTTP
            assert "content-security-policy" not in response.headers  # JSON, not a page


def test_console_pages_cannot_be_framed(client_for: ClientFor) -> None:
    with client_for() as client:
        page = client.get("/console/login")
        assert page.status_code == 200
        assert_common_headers(page)
        policy = csp(page)
        assert policy["frame-ancestors"] == "'none'"
        assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'"
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/sv/"])
def test_the_demo_page_allows_only_its_own_scripts_and_styles(
    client_for: ClientFor, path: str
) -> None:
    with client_for() as client:
        page = client.get(path)
        policy = csp(page)
        assert policy["script-src"] == policy["style-src"] == policy["connect-src"] == "'self'"
        assert policy["frame-ancestors"] == "'self'"
        # Nothing inline that the policy would block: every script and stylesheet is a file.
        assert "<style" not in page.text and " style=" not in page.text
        assert re.findall(r"<script\b[^>]*>", page.text) == [
            '<script src="/static/neuvo-widget.js" defer>'
        ]
        for stylesheet in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text):
            assert client.get(stylesheet).status_code == 200


def test_the_api_docs_may_load_swagger_ui_from_its_cdn_but_not_be_framed(
    client_for: ClientFor,
) -> None:
    with client_for() as client:
        policy = csp(client.get("/docs"))
        assert "https://cdn.jsdelivr.net" in policy["script-src"]
        assert policy["frame-ancestors"] == "'none'"


def test_static_files_may_be_cached(client_for: ClientFor) -> None:
    with client_for() as client:
        script = client.get("/static/neuvo-widget.js")
        assert script.status_code == 200
        assert "no-store" not in script.headers.get("cache-control", "")
        assert_common_headers(script)


def test_hsts_only_over_https(client_for: ClientFor) -> None:
    with client_for(base_url="https://testserver") as client:
        assert client.get("/healthz").headers["strict-transport-security"] == "max-age=31536000"


def test_hsts_behind_a_trusted_tls_proxy(client_for: ClientFor) -> None:
    with client_for(peer="10.0.0.2", HANDOFF_TRUSTED_PROXIES="10.0.0.2") as client:
        response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in response.headers
    with client_for(peer="192.0.2.7", HANDOFF_TRUSTED_PROXIES="10.0.0.2") as client:
        response = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in response.headers


def test_a_429_carries_the_headers_too(client_for: ClientFor) -> None:
    with client_for(HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP="1/600") as client:
        start(client)
        refused = client.post("/api/v1/conversations")
        assert refused.status_code == 429
        assert_common_headers(refused)
        assert refused.headers["cache-control"] == "no-store"


# --- CORS -----------------------------------------------------------------------------------------


def preflight(client: TestClient, path: str, origin: str = WIDGET_ORIGIN) -> Any:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_the_widgets_origin_may_call_the_resident_api(client_for: ClientFor) -> None:
    with client_for(HANDOFF_CORS_ORIGINS=f"{WIDGET_ORIGIN}, https://other.example") as client:
        allowed = preflight(client, "/api/v1/conversations/abc/messages")
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == WIDGET_ORIGIN
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in allowed.headers
        created = client.post("/api/v1/conversations", headers={"Origin": WIDGET_ORIGIN})
        assert created.headers["access-control-allow-origin"] == WIDGET_ORIGIN
        texts = client.get("/api/v1/widget/texts", headers={"Origin": WIDGET_ORIGIN})
        assert texts.headers["access-control-allow-origin"] == WIDGET_ORIGIN


def test_other_origins_get_no_cors(client_for: ClientFor) -> None:
    with client_for(HANDOFF_CORS_ORIGINS=WIDGET_ORIGIN) as client:
        refused = preflight(client, "/api/v1/conversations", origin="https://evil.example")
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
        created = client.post("/api/v1/conversations", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in created.headers


@pytest.mark.parametrize(
    "path", ["/console/login", "/api/v1/tickets", "/api/v1/triage", "/api/v1/unanswered"]
)
def test_the_console_and_the_advisor_api_never_answer_cross_origin(
    client_for: ClientFor, path: str
) -> None:
    with client_for(HANDOFF_CORS_ORIGINS=WIDGET_ORIGIN) as client:
        assert "access-control-allow-origin" not in preflight(client, path).headers
        response = client.post(path, headers={"Origin": WIDGET_ORIGIN})
        assert "access-control-allow-origin" not in response.headers


def test_no_origins_configured_means_no_cors(client_for: ClientFor) -> None:
    with client_for() as client:
        assert (
            "access-control-allow-origin" not in preflight(client, "/api/v1/conversations").headers
        )


def test_the_widget_on_another_origin_can_read_a_429(client_for: ClientFor) -> None:
    with client_for(
        HANDOFF_CORS_ORIGINS=WIDGET_ORIGIN, HANDOFF_RATE_LIMIT_CONVERSATIONS_PER_IP="1/600"
    ) as client:
        start(client, Origin=WIDGET_ORIGIN)
        refused = client.post("/api/v1/conversations", headers={"Origin": WIDGET_ORIGIN})
        assert refused.status_code == 429
        assert refused.headers["access-control-allow-origin"] == WIDGET_ORIGIN
        assert "retry-after" in refused.headers["access-control-expose-headers"].lower()


@pytest.mark.parametrize("origin", ["county.example", "https://county.example/page", "ftp://x"])
def test_a_malformed_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValidationError, match="not an origin"):
        Settings(HANDOFF_CORS_ORIGINS=origin)


def test_a_refused_request_is_logged_with_its_route_template(
    client_for: ClientFor, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_for(
        HANDOFF_RATE_LIMIT_MESSAGES_PER_CONVERSATION="1/60", HANDOFF_LOG_FORMAT="json"
    ) as client:
        conversation = start(client)
        assert [say(client, conversation) for _ in range(2)] == [200, 429]
        output = capsys.readouterr().err
    assert '"route": "/api/v1/conversations/{conversation_id}/messages", "status": 429' in output
    assert conversation[0] not in output
