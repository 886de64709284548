"""reference version id: a stale edit of a reference name is refused, as elsewhere

Revision ID: c8d2f4a6e0b3
Revises: a7c3e5f9b1d4
Create Date: 2026-12-04 05:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c8d2f4a6e0b3'
down_revision = 'a7c3e5f9b1d4'
branch_labels = None
depends_on = None
TABLES = ('sub_districts', 'zones', 'industry_tracks', 'departments')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version_id')
