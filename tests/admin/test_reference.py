import pytest
from sqlalchemy import select

from models import AuditEntry, Department, SubDistrict, db
from tests.helpers import log_in, row_count


def test_an_admin_renames_a_sub_district_and_the_change_is_audited(client, admin):
    row = db.session.scalar(select(SubDistrict).where(SubDistrict.slug == "pengpuzhen"))
    log_in(client, admin)

    response = client.post(
        f"/admin/reference/sub_districts/{row.id}",
        data={"name_zh": "彭浦镇（市北高新）", "name_en": "Pengpu Town", "version_id": "1"},
    )

    assert response.status_code == 302
    assert db.session.get(SubDistrict, row.id).name_zh == "彭浦镇（市北高新）"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "sub_districts"))
    assert entry.changes == {"name_zh": ["彭浦镇", "彭浦镇（市北高新）"]}


def test_a_stale_rename_is_refused_with_409_and_the_newer_name_is_kept(client, admin):
    row = db.session.scalar(select(Department).where(Department.slug == "stec"))
    opened = {"name_zh": "科委", "name_en": "STEC", "version_id": str(row.version_id)}
    row.name_en = "Science Commission"
    log_in(client, admin)

    response = client.post(f"/admin/reference/departments/{row.id}", data=opened)

    assert response.status_code == 409
    assert "Someone else saved this name after you opened it." in response.text
    assert db.session.get(Department, row.id).name_en == "Science Commission"


def test_an_admin_adds_a_department_with_a_new_slug(client, admin):
    log_in(client, admin)

    response = client.post(
        "/admin/reference/departments/new",
        data={"slug": "data_bureau", "name_zh": "区数据局", "name_en": "Data Bureau"},
    )

    assert response.status_code == 302
    assert db.session.scalar(select(Department).where(Department.slug == "data_bureau"))


def test_a_taken_or_malformed_slug_is_a_field_error_and_nothing_is_added(client, admin):
    log_in(client, admin)
    before = row_count(Department)

    taken = client.post(
        "/admin/reference/departments/new",
        data={"slug": "stec", "name_zh": "重复", "name_en": "Duplicate"},
    )
    malformed = client.post(
        "/admin/reference/departments/new",
        data={"slug": "Data Bureau!", "name_zh": "区数据局", "name_en": "Data Bureau"},
    )

    assert "This slug is taken." in taken.text
    assert "lower-case letters" in malformed.text
    assert row_count(Department) == before


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("admin", "/admin/reference/sub_districts/new", 404),  # sub-districts cannot be added
        ("leader", "/admin/reference", 403),
    ],
)
def test_what_the_reference_pages_refuse(client, request, role, url, status):
    log_in(client, request.getfixturevalue(role))

    response = client.get(url)

    assert response.status_code == status
