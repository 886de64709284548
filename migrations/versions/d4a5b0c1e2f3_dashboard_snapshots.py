"""dashboard snapshots: the dashboard and data-quality figures, computed ahead

Revision ID: d4a5b0c1e2f3
Revises: 82395c6748ac
Create Date: 2026-12-03 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a5b0c1e2f3'
down_revision = '82395c6748ac'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dashboard_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=20), nullable=False),
    sa.Column('filter_key', sa.String(length=200), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('data_stamp', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboard_snapshots')),
    sa.UniqueConstraint('page', 'filter_key', 'locale', 'as_of', name=op.f('uq_dashboard_snapshots_page'))
    )


def downgrade():
    op.drop_table('dashboard_snapshots')
