"""request red flag: the visit's red flag a request was filed from, filed once

Revision ID: a7c3e5f9b1d4
Revises: b3e9f1a7c5d2
Create Date: 2026-12-04 05:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e5f9b1d4'
down_revision = 'b3e9f1a7c5d2'
branch_labels = None
depends_on = None
LIVE = sa.text('deleted_at IS NULL')


def upgrade():
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('red_flag', sa.Enum('move_out', 'downsizing', 'key_people_leaving', 'financing_gap', 'regulatory_trouble', name='redflag', native_enum=False, length=30), nullable=True))
        batch_op.create_index('uq_enterprise_requests_visit_id_red_flag', ['visit_id', 'red_flag'], unique=True, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_enterprise_requests_visit_id_red_flag')
        batch_op.drop_column('red_flag')
