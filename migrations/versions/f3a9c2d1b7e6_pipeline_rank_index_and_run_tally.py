"""pipeline: scores indexed by run and rank; each run's tally of firms per filter

Revision ID: f3a9c2d1b7e6
Revises: e7f1a2b3c4d5
Create Date: 2026-12-03 13:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a9c2d1b7e6'
down_revision = 'e7f1a2b3c4d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scoring_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tally', sa.JSON(), server_default='[]', nullable=False))
    with op.batch_alter_table('potential_scores', schema=None) as batch_op:
        # (run_id, rank, enterprise_id) leads with run_id: the index on run_id alone is redundant.
        batch_op.drop_index('ix_potential_scores_run_id')
        batch_op.create_index('ix_potential_scores_run_rank', ['run_id', 'rank', 'enterprise_id'], unique=False)


def downgrade():
    with op.batch_alter_table('potential_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_potential_scores_run_rank')
        batch_op.create_index('ix_potential_scores_run_id', ['run_id'], unique=False)
    with op.batch_alter_table('scoring_runs', schema=None) as batch_op:
        batch_op.drop_column('tally')
