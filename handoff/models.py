"""Imports every model module so that Base.metadata knows all tables (for Alembic and tests)."""


def load_all_models() -> None:
    import handoff.advisors.models
    import handoff.auth.models
    import handoff.conversations.models
    import handoff.feedback.models
    import handoff.tickets.models
    import handoff.unanswered.models  # noqa: F401
