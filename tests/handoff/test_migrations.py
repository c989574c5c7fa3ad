"""The Alembic migrations build exactly the schema the models describe, on both backends."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from handoff.db import Base
from handoff.models import load_all_models


def test_models_and_migrations_agree(engine: Engine) -> None:
    load_all_models()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == [], "run: alembic revision --autogenerate -m '…'"
