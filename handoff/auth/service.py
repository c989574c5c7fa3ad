"""API token administration."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.auth.models import ApiToken
from handoff.auth.tokens import token_digest

BOOTSTRAP_TOKEN_NAME = "bootstrap-admin"


def ensure_bootstrap_token(*, db: Session, token: str) -> ApiToken:
    """Create or update the admin token named bootstrap-admin so that it has exactly this value."""
    existing = db.scalars(select(ApiToken).where(ApiToken.name == BOOTSTRAP_TOKEN_NAME)).first()
    digest = token_digest(token)
    if existing is None:
        existing = ApiToken(name=BOOTSTRAP_TOKEN_NAME, token_hash=digest, role="admin")
        db.add(existing)
    else:
        existing.token_hash = digest
        existing.role = "admin"
    db.commit()
    return existing


def find_token(*, db: Session, token: str) -> ApiToken | None:
    return db.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
