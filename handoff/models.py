"""Imports every model module so that Base.metadata knows all tables (for Alembic and tests)."""


def load_all_models() -> None:
    import handoff.auth.models
    import handoff.conversations.models
    import handoff.tickets.models
    import handoff.unanswered.models  # noqa: F401
