"""Fixtures for the handoff service: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the real server on 127.0.0.1 (NEUVO_TEST_POSTGRES_URL); each test session gets a
fresh database built by the real Alembic migrations, and each test runs inside a transaction
that is rolled back at its end (services' commits become savepoints).
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from handoff.config import Settings
from handoff.deps import get_db
from handoff.main import create_app
from tests.county_files import live_chat_county
from tests.handoff.fakes import ScriptedBot

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get(
    "NEUVO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def migrate(database_url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", database_url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def _admin_conninfo() -> str:
    url = make_url(POSTGRES_URL)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def throwaway_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the test server (its name starts with `prefix`), dropped after."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(_admin_conninfo(), autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        if os.environ.get("NEUVO_SKIP_POSTGRES") == "1":
            pytest.skip("NEUVO_SKIP_POSTGRES=1 and PostgreSQL is not reachable")
        pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    with throwaway_postgres_database("neuvo_test") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'neuvo.db'}"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The URL of a migrated database, once per backend."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    migrate(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    from handoff.db import make_engine

    engine = make_engine(database_url, sqlite_immediate=False)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose every commit is rolled back when the test ends."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        rasa_url="http://127.0.0.1:9",
        action_server_url="http://127.0.0.1:9",
        rasa_auth_token="",
        default_language="fi",
        stream_seconds=2.0,
        sqlite_immediate=False,  # each test holds one transaction open; see handoff.db
    )


@pytest.fixture
def bot() -> ScriptedBot:
    return ScriptedBot()


@pytest.fixture
def client(settings: Settings, bot: ScriptedBot, db: Session) -> Iterator[TestClient]:
    """The app on the test's rolled-back session, with a scripted bot."""
    app = create_app(settings, bot=bot)

    def test_db() -> Iterator[Session]:
        yield db

    app.dependency_overrides[get_db] = test_db
    with TestClient(app) as test_client:
        # Event streams read on their own sessions: give them the test's connection too.
        connection = db.connection()
        app.state.stream_session_factory = lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        yield test_client


@pytest.fixture
def live_county_file(tmp_path: Path) -> Path:
    """The default county with live chat open around the clock (holidays too)."""
    return live_chat_county(tmp_path)
