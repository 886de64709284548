"""reservoir tier and name index: a tier's firms read in name order, not sorted per page; the
flagged firms found by an index, not a scan of the reservoir

Revision ID: d81e4f2a9c37
Revises: c7d2e9a41b58
Create Date: 2026-12-03 14:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd81e4f2a9c37'
down_revision = 'c7d2e9a41b58'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        # The new index starts with tier: the single-column one is redundant.
        batch_op.drop_index('ix_enterprises_tier')
        batch_op.create_index('ix_enterprises_tier_name', ['tier', 'name', 'id'], unique=False)
        batch_op.create_index('ix_enterprises_risk_flagged_on', ['risk_flagged_on'], unique=False)


def downgrade():
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprises_risk_flagged_on')
        batch_op.drop_index('ix_enterprises_tier_name')
        batch_op.create_index('ix_enterprises_tier', ['tier'], unique=False)
