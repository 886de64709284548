"""reminder inbox indices: each tab in due order, snoozes counted inside the index

Revision ID: c7d2e9a41b58
Revises: a6c4e8d2f190
Create Date: 2026-12-03 13:45:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c7d2e9a41b58'
down_revision = 'a6c4e8d2f190'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        # ix_reminders_inbox starts with the same two columns: the old index is redundant.
        batch_op.drop_index('ix_reminders_recipient_state')
        batch_op.create_index(
            'ix_reminders_inbox',
            ['recipient_id', 'state', 'due_on', 'id', 'snoozed_until'],
            unique=False,
        )
        batch_op.create_index(
            'ix_reminders_recipient_due_on', ['recipient_id', 'due_on', 'id'], unique=False
        )


def downgrade():
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_recipient_due_on')
        batch_op.drop_index('ix_reminders_inbox')
        batch_op.create_index('ix_reminders_recipient_state', ['recipient_id', 'state'], unique=False)
