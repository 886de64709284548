"""reservoir paging indices: the list's sort columns and designation holders

Revision ID: e7f1a2b3c4d5
Revises: d4a5b0c1e2f3
Create Date: 2026-12-03 13:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e7f1a2b3c4d5'
down_revision = 'd4a5b0c1e2f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_founded_on'), ['founded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_registered_capital'), ['registered_capital'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_updated_at'), ['updated_at'], unique=False)
    with op.batch_alter_table('enterprise_designations', schema=None) as batch_op:
        batch_op.create_index('ix_enterprise_designations_designation', ['designation', 'enterprise_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enterprise_designations', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_designations_designation')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_updated_at'))
        batch_op.drop_index(batch_op.f('ix_enterprises_registered_capital'))
        batch_op.drop_index(batch_op.f('ix_enterprises_founded_on'))
