"""import jobs: reservoir imports checked and applied by the scheduler, with their report

Revision ID: e5b7c9d1f3a2
Revises: c4d8e2f6a1b9
Create Date: 2026-12-03 19:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b7c9d1f3a2'
down_revision = 'c4d8e2f6a1b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('state', sa.Enum('queued', 'checking', 'checked', 'applying', 'done', 'failed', name='importjobstate', native_enum=False, length=30), nullable=False),
    sa.Column('apply_requested', sa.Boolean(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('process', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_import_jobs_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_import_jobs_stored_name'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_jobs_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_jobs_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_jobs_state'))
        batch_op.drop_index(batch_op.f('ix_import_jobs_owner_id'))
    op.drop_table('import_jobs')
