"""visits, requests and packages: indices for keyset pages and scope

Revision ID: a6c4e8d2f190
Revises: f3a9c2d1b7e6
Create Date: 2026-12-03 13:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a6c4e8d2f190'
down_revision = 'f3a9c2d1b7e6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index(
            'ix_visits_enterprise_id_live_visited_on', ['enterprise_id', 'visited_on', 'id'], unique=False,
            sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'),
        )
    with op.batch_alter_table('visit_participants', schema=None) as batch_op:
        batch_op.create_index('ix_visit_participants_user_id', ['user_id'], unique=False)
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        # The composites below lead with these columns: the single-column indices are redundant.
        batch_op.drop_index('ix_enterprise_requests_state')
        batch_op.drop_index('ix_enterprise_requests_department_id')
        batch_op.create_index('ix_enterprise_requests_state_due_on', ['state', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_enterprise_requests_department_id_due_on', ['department_id', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_enterprise_requests_department_id_state', ['department_id', 'state', 'due_on', 'id'], unique=False)
    with op.batch_alter_table('policy_packages', schema=None) as batch_op:
        batch_op.create_index('ix_policy_packages_proposed_at', ['proposed_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('policy_packages', schema=None) as batch_op:
        batch_op.drop_index('ix_policy_packages_proposed_at')
    with op.batch_alter_table('enterprise_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_requests_department_id_state')
        batch_op.drop_index('ix_enterprise_requests_department_id_due_on')
        batch_op.drop_index('ix_enterprise_requests_state_due_on')
        batch_op.create_index('ix_enterprise_requests_department_id', ['department_id'], unique=False)
        batch_op.create_index('ix_enterprise_requests_state', ['state'], unique=False)
    with op.batch_alter_table('visit_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_participants_user_id')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_enterprise_id_live_visited_on')
