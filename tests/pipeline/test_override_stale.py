"""Two leaders on one override: the later of two edits from the same version is refused with 409."""

from crm.pipeline import overrides
from models import PipelineOverride, db
from tests.helpers import PIPELINE_NOW as NOW
from tests.helpers import log_in

STALE = "Someone else changed this override; reload and try again."


def _override_seen_then_changed(firm, leader) -> tuple[PipelineOverride, int]:
    """An override a leader opened at one version, changed by another before they saved."""
    override = overrides.set_override(
        leader, firm, overrides.OverrideInput("", True, "Two automakers are in talks."), None, NOW
    )
    db.session.commit()
    seen = override.version_id
    overrides.set_override(
        leader,
        firm,
        overrides.OverrideInput("", True, "The talks ended without an order."),
        seen,
        NOW,
    )
    db.session.commit()
    return override, seen


def test_saving_an_override_changed_meanwhile_answers_409_with_the_reason_on_the_form(
    client, leader, scored
):
    override, seen = _override_seen_then_changed(scored[0], leader)
    log_in(client, leader)

    page = client.post(
        f"/pipeline/firms/{scored[0].id}/override",
        data={
            "tier": "",
            "watch": "y",
            "reason": "Orders from three automakers.",
            "version_id": seen,
        },
    )

    assert page.status_code == 409
    assert STALE in page.text
    assert 'name="reason"' in page.text
    db.session.refresh(override)
    assert override.reason == "The talks ended without an order."


def test_withdrawing_an_override_changed_meanwhile_answers_409_and_keeps_it(client, leader, scored):
    override, seen = _override_seen_then_changed(scored[0], leader)
    log_in(client, leader)

    page = client.post(
        f"/pipeline/firms/{scored[0].id}/override/withdraw", data={"version_id": seen}
    )

    assert page.status_code == 409
    assert STALE in page.text
    assert f'name="version_id" type="hidden" value="{override.version_id}"' in page.text
    db.session.refresh(override)
    assert override.deleted_at is None
