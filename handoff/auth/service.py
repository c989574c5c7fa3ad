"""API token administration."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.auth.models import ApiToken
from handoff.auth.tokens import token_digest

BOOTSTRAP_TOKEN_NAME = "bootstrap-admin"
ACTIONS_TOKEN_NAME = "action-server"


def ensure_named_token(*, db: Session, name: str, token: str, role: str) -> ApiToken:
    """Create or update the token called `name` so that it has exactly this value and role."""
    existing = db.scalars(select(ApiToken).where(ApiToken.name == name)).first()
    digest = token_digest(token)
    if existing is None:
        existing = ApiToken(name=name, token_hash=digest, role=role)
        db.add(existing)
    else:
        existing.token_hash = digest
        existing.role = role
    db.commit()
    return existing


def ensure_bootstrap_token(*, db: Session, token: str) -> ApiToken:
    """The admin token of HANDOFF_BOOTSTRAP_TOKEN."""
    return ensure_named_token(db=db, name=BOOTSTRAP_TOKEN_NAME, token=token, role="admin")


def find_token(*, db: Session, token: str) -> ApiToken | None:
    return db.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
