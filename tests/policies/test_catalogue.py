from decimal import Decimal

from sqlalchemy import select

from models import Department, db
from tests.helpers import audit_entries, instrument, log_in


def test_everyone_logged_in_reads_the_catalogue(client, manager):
    log_in(client, manager)

    page = client.get("/packages/catalogue")

    assert page.status_code == 200
    assert "Loan interest subsidy" in page.text
    assert "Edit" not in page.text


def test_an_admin_changes_an_instruments_ceiling_and_the_change_is_audited(client, admin):
    log_in(client, admin)
    rent = instrument("rent_subsidy")
    department = db.session.scalar(select(Department).where(Department.slug == "drc"))

    response = client.post(
        f"/packages/catalogue/{rent.id}/edit",
        data={
            "name_zh": rent.name_zh,
            "name_en": "Rent subsidy",
            "department_id": department.id,
            "ceiling": "2500000",
            "is_active": "y",
        },
    )

    assert response.status_code == 302
    db.session.refresh(rent)
    assert (rent.ceiling, rent.department_id) == (Decimal("2500000.00"), department.id)
    entry = audit_entries("policy_instrument")[0]
    assert set(entry.changes) == {"name_en", "department_id", "ceiling"}


def test_a_manager_cannot_edit_the_catalogue(client, manager):
    log_in(client, manager)

    response = client.get(f"/packages/catalogue/{instrument('rent_subsidy').id}/edit")

    assert response.status_code == 403
