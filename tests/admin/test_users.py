import pytest
from sqlalchemy import select

from crm.admin import services
from crm.clock import utcnow
from models import Role, User, db
from tests.factories import PASSWORD, UserFactory
from tests.helpers import api_headers, audit_entries, log_in, logged_in_client

NEW_PASSWORD = "a long new password"


def user_form(**changes: str) -> dict[str, str]:
    """What the account form posts for a new daninglu account manager, with some fields changed."""
    form = {
        "username": "li.na",
        "display_name": "李娜",
        "email": "li.na@example.com",
        "role": "manager",
        "sub_district": "daninglu",
        "department": "",
        "password": NEW_PASSWORD,
        "is_active": "y",
    }
    return {**form, **changes}


def edit_form(user: User, **changes: str) -> dict[str, str]:
    form = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email or "",
        "role": user.role.value,
        "sub_district": user.sub_district.slug if user.sub_district else "",
        "department": user.department.slug if user.department else "",
        "password": "",
        "is_active": "y" if user.is_active_account else "",
        "version_id": str(user.version_id),
    }
    form.update(changes)
    if not form["is_active"]:  # a browser leaves an unticked checkbox out
        del form["is_active"]
    return form


def test_an_admin_sees_the_user_list(admin_client):
    other = UserFactory(role="leader", display_name="王局长")

    response = admin_client.get("/admin/users")

    assert response.status_code == 200
    assert "王局长" in response.text
    assert other.username in response.text


@pytest.mark.parametrize("role", ["leader", "manager", "department"])
def test_other_roles_are_refused_the_user_admin(client, app, role):
    log_in(client, UserFactory(role=role))

    pages = [client.get(url) for url in ("/admin/users", "/admin/users/new")]
    posted = client.post("/admin/users/new", data=user_form())

    assert [page.status_code for page in pages] == [403, 403]
    assert posted.status_code == 403
    assert db.session.scalar(select(User).where(User.username == "li.na")) is None


def test_anonymous_visitors_are_sent_to_the_login_page(client, app):
    response = client.get("/admin/users")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_an_admin_creates_an_account_manager_with_a_hashed_password(admin_client):
    response = admin_client.post("/admin/users/new", data=user_form(username="Li.Na"))

    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "li.na"))
    assert user is not None
    assert user.role == Role.MANAGER
    assert user.sub_district is not None
    assert user.sub_district.slug == "daninglu"
    assert NEW_PASSWORD not in user.password_hash
    assert user.check_password(NEW_PASSWORD)


def test_creating_a_user_writes_an_audit_entry_without_the_password(admin, admin_client):
    admin_client.post("/admin/users/new", data=user_form())

    user = db.session.scalar(select(User).where(User.username == "li.na"))
    [entry] = audit_entries("user", user.id)
    assert entry.action == "create"
    assert entry.actor_id == admin.id
    assert entry.changes["role"] == [None, "manager"]
    assert NEW_PASSWORD not in str(entry.changes)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sub_district": ""}, "An account manager belongs to one sub-district."),
        ({"role": "department"}, "Department staff belong to one department."),
        ({"password": "short"}, "At least 8 characters."),
    ],
)
def test_an_account_breaking_a_rule_is_refused_with_a_field_error(changes, message, admin_client):
    response = admin_client.post("/admin/users/new", data=user_form(**changes))

    assert response.status_code == 200
    assert f'invalid-feedback">{message}' in response.text
    assert db.session.scalar(select(User).where(User.username == "li.na")) is None


def test_a_taken_username_is_refused(manager, admin_client):
    response = admin_client.post("/admin/users/new", data=user_form(username=manager.username))

    assert "This username is taken." in response.text


def test_an_admin_edits_a_user_and_the_change_is_audited(manager, admin_client):
    form = admin_client.get(f"/admin/users/{manager.id}/edit")

    response = admin_client.post(
        f"/admin/users/{manager.id}/edit", data=edit_form(manager, display_name="赵经理")
    )

    assert form.status_code == 200
    assert response.status_code == 302
    assert db.session.get(User, manager.id).display_name == "赵经理"
    update = audit_entries("user", manager.id)[-1]
    assert update.action == "update"
    assert update.changes["display_name"][1] == "赵经理"


def test_an_edit_of_a_stale_version_is_refused_and_the_newer_change_is_kept(
    admin, manager, admin_client
):
    opened = edit_form(manager, display_name="Second edit")
    services.update_user(
        admin,
        manager,
        services.UserInput(manager.username, "First edit", "manager", sub_district="daninglu"),
        manager.version_id,
        utcnow(),
    )
    db.session.commit()

    response = admin_client.post(f"/admin/users/{manager.id}/edit", data=opened)

    assert response.status_code == 409
    assert "Someone else saved this account after you opened it." in response.text
    assert db.session.get(User, manager.id).display_name == "First edit"


def test_a_new_password_replaces_the_old_one(manager, admin_client):
    admin_client.post(
        f"/admin/users/{manager.id}/edit", data=edit_form(manager, password=NEW_PASSWORD)
    )

    user = db.session.get(User, manager.id)
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)
    update = next(entry for entry in audit_entries("user", manager.id) if entry.action == "update")
    assert update.changes["password"] == ["***", "***"]


def test_a_deactivated_user_can_no_longer_log_in(client, admin, app):
    user = UserFactory(role="leader")
    log_in(client, admin)

    response = client.post(f"/admin/users/{user.id}/edit", data=edit_form(user, is_active=""))
    refused = app.test_client().post(
        "/login", data={"username": user.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert db.session.get(User, user.id).is_active_account is False
    assert refused.status_code == 200
    assert "Unknown username or wrong password." in refused.text
    update = next(entry for entry in audit_entries("user", user.id) if entry.action == "update")
    assert update.changes["is_active_account"] == [True, False]


def test_the_user_service_records_who_created_an_account(admin):
    data = services.UserInput("chen.jie", "陈杰", "leader", password=NEW_PASSWORD)

    user = services.create_user(admin, data, utcnow())

    [entry] = audit_entries("user", user.id)
    assert entry.actor_id == admin.id
    assert entry.changes["username"] == [None, "chen.jie"]


def test_an_admin_names_a_department_head_and_it_is_audited(admin_client):
    admin_client.post(
        "/admin/users/new",
        data=user_form(
            role="department", sub_district="", department="finance", is_department_head="y"
        ),
    )
    head = db.session.scalar(select(User).where(User.username == "li.na"))
    admin_client.post(
        "/admin/users/new", data=user_form(username="wang.fang", is_department_head="y")
    )
    manager = db.session.scalar(select(User).where(User.username == "wang.fang"))

    assert head.is_department_head
    assert not manager.is_department_head  # only department staff head a department
    [entry] = audit_entries("user", head.id)
    assert entry.changes["is_department_head"] == [None, True]


def copied_session(app, client):
    cookie = client.get_cookie("session")
    copied = app.test_client()
    copied.set_cookie("session", cookie.value)
    return copied


def test_a_password_set_by_an_admin_ends_the_users_sessions_and_tokens(app, admin, admin_client):
    user = UserFactory(role="leader")
    users_pc = logged_in_client(app, user)
    copied = copied_session(app, users_pc)
    headers = api_headers(app.test_client(), user)

    admin_client.post(f"/admin/users/{user.id}/edit", data=edit_form(user, password=NEW_PASSWORD))

    assert users_pc.get("/enterprises/").status_code == 302
    assert copied.get("/enterprises/").status_code == 302
    assert admin_client.get("/api/v1/enterprises", headers=headers).status_code == 401
    ended = audit_entries("user", user.id, "end_sessions")
    assert ended[-1].changes["api_tokens_revoked"] == [0, 1]
    assert ended[-1].actor_id == admin.id


def test_deactivating_a_user_ends_their_sessions_and_tokens(app, admin_client):
    user = UserFactory(role="leader")
    users_pc = logged_in_client(app, user)
    headers = api_headers(app.test_client(), user)

    admin_client.post(f"/admin/users/{user.id}/edit", data=edit_form(user, is_active=""))
    user.is_active_account = True  # even switched back on, the old session and token stay dead
    db.session.commit()

    assert users_pc.get("/enterprises/").status_code == 302
    assert admin_client.get("/api/v1/enterprises", headers=headers).status_code == 401


def test_an_edit_that_keeps_the_password_and_status_keeps_the_sessions(app, admin_client):
    user = UserFactory(role="leader")
    users_pc = logged_in_client(app, user)

    admin_client.post(f"/admin/users/{user.id}/edit", data=edit_form(user, display_name="New name"))

    assert users_pc.get("/enterprises/").status_code == 200


@pytest.fixture
def locked_user(app) -> User:
    """A leader whom ten wrong passwords locked out."""
    user = UserFactory(role="leader")
    db.session.commit()
    for _attempt in range(10):
        app.test_client().post("/login", data={"username": user.username, "password": "wrong"})
    return user


def test_the_admin_user_page_shows_a_locked_account_and_unlocks_it(
    app, admin, locked_user, admin_client
):
    user = locked_user
    listed = admin_client.get("/admin/users")
    page = admin_client.get(f"/admin/users/{user.id}/edit")
    response = admin_client.post(f"/admin/users/{user.id}/unlock")
    after = app.test_client().post("/login", data={"username": user.username, "password": PASSWORD})

    assert "Locked" in listed.text
    assert 'data-testid="account-locked"' in page.text
    assert response.status_code == 302
    assert after.status_code == 302
    unlock = audit_entries("user", user.id, "unlock")
    assert unlock[-1].actor_id == admin.id
    assert unlock[-1].changes["locked_until"][1] is None


def test_the_lock_itself_is_in_the_users_history(locked_user):
    locked = audit_entries("user", locked_user.id, "lock")
    assert len(locked) == 1
    assert locked[0].actor_id is None


@pytest.mark.parametrize("role", ["leader", "manager", "department"])
def test_only_an_admin_can_unlock_an_account(client, locked_user, role):
    log_in(client, UserFactory(role=role))

    response = client.post(f"/admin/users/{locked_user.id}/unlock")

    assert response.status_code == 403
    assert db.session.get(User, locked_user.id).locked_until is not None
