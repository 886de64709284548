"""reminder item count: how many firms a rolled-up escalation lists, as of the last scan

Revision ID: b3e9f1a7c5d2
Revises: e5b7c9d1f3a2
Create Date: 2026-12-03 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e9f1a7c5d2'
down_revision = 'e5b7c9d1f3a2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_count', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('item_count')
