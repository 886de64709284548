"""job runs and model versions record the process running them, to tell interrupted runs; each
database's own folder of model files

Revision ID: c4d8e2f6a1b9
Revises: a9e3c5f1d27b
Create Date: 2026-12-03 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d8e2f6a1b9'
down_revision = 'a9e3c5f1d27b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('model_folders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_model_folders')),
    sa.UniqueConstraint('name', name=op.f('uq_model_folders_name'))
    )
    # States are plain strings without a CHECK constraint: 'interrupted' needs no change there.
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('process', sa.String(length=200), nullable=True))
    with op.batch_alter_table('model_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('process', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('model_versions', schema=None) as batch_op:
        batch_op.drop_column('process')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_column('process')
    op.drop_table('model_folders')
