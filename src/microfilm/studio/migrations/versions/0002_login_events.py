"""Login and sign-up attempts in the catalogue, so their limits hold across server processes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
    )
    op.create_index("ix_login_events_key_at", "login_events", ["key", "at"])
    op.create_index("ix_login_events_at", "login_events", ["at"])
    op.create_table(
        "login_known_clients",
        sa.Column("email", sa.String(254), primary_key=True),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("at", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("login_known_clients")
    op.drop_table("login_events")
