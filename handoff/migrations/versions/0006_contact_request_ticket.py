"""contact requests: the ticket's reference instead of a copy of the phone number

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The ticket made from each request holds the phone number (its contact field).
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("ticket_reference", sa.String(length=16), nullable=True))
        batch.drop_column("phone")


def downgrade() -> None:
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=32), nullable=False, server_default=""))
        batch.drop_column("ticket_reference")
