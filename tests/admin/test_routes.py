import re

import pytest
from sqlalchemy import func, select

from app import audit
from app.accounts.models import Role, User
from app.audit import AuditEntry
from tests.factories import create_user, sign_in, territory


@pytest.fixture
def admin(balvu):
    return create_user(Role.ADMIN, display_name="Administrators Andris")


def _role_state(db, user_id):
    db.session.expire_all()
    user = db.session.get(User, user_id)
    return user.role, sorted(t.name for t in user.leader_of)


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.LEADER, Role.STAFF])
def test_admin_pages_are_refused_to_everyone_else_and_change_nothing(client, db, admin, role):
    target = create_user(display_name="Parasts iedzīvotājs")
    if role is not None:
        user = create_user(role, territories=[territory("Balvi")] if role == Role.LEADER else None)
        sign_in(client, user)
    requests = [
        ("GET", "/lv/admin/audit", None),
        ("GET", "/lv/admin/roles", None),
        ("GET", f"/lv/admin/roles/{target.id}", None),
        ("POST", f"/lv/admin/roles/{target.id}", {"role": "staff"}),
        ("POST", f"/lv/admin/roles/{admin.id}", {"role": "resident"}),
    ]
    for method, url, data in requests:
        response = client.open(url, method=method, data=data)
        if role is None:
            assert response.status_code == 302, url
            assert "/account/sign-in" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
    assert _role_state(db, target.id) == (Role.RESIDENT, [])
    assert _role_state(db, admin.id) == (Role.ADMIN, [])
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_grant_and_revoke_leader_and_staff_each_audited(client, db, admin):
    person = create_user(display_name="Laura Līdere", email="laura@example.lv")
    sign_in(client, admin)
    balvi, viksna = territory("Balvi"), territory("Vīksnas pagasts")

    found = client.get("/en/admin/roles?q=laura").get_data(as_text=True)
    assert "Laura Līdere" in found

    no_units = client.post(f"/en/admin/roles/{person.id}", data={"role": "leader"})
    assert no_units.status_code == 422
    assert "Please choose the territorial units this leader works for." in no_units.get_data(
        as_text=True
    )
    assert _role_state(db, person.id) == (Role.RESIDENT, [])

    granted = client.post(
        f"/en/admin/roles/{person.id}",
        data={"role": "leader", "territories": [balvi.id, viksna.id]},
    )
    assert granted.status_code == 302
    assert _role_state(db, person.id) == (Role.LEADER, ["Balvi", "Vīksnas pagasts"])
    listing = client.get("/en/admin/roles").get_data(as_text=True)
    assert "Laura Līdere" in listing and "Community leader" in listing

    client.post(f"/en/admin/roles/{person.id}", data={"role": "staff"})
    assert _role_state(db, person.id) == (Role.STAFF, [])
    client.post(f"/en/admin/roles/{person.id}", data={"role": "resident"})
    assert _role_state(db, person.id) == (Role.RESIDENT, [])

    entries = list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "user.role_change")
            .order_by(AuditEntry.id)
        )
    )
    assert [(e.before["role"], e.after["role"]) for e in entries] == [
        ("resident", "leader"),
        ("leader", "staff"),
        ("staff", "resident"),
    ]
    assert entries[0].after["leader_of"] == sorted([balvi.id, viksna.id])
    assert {e.actor_id for e in entries} == {admin.id}
    assert {e.target for e in entries} == {f"user:{person.id}"}


def test_an_admin_cannot_remove_their_own_admin_role(client, db, admin):
    sign_in(client, admin)
    response = client.post(f"/lv/admin/roles/{admin.id}", data={"role": "staff"})
    assert response.status_code == 422
    assert "Jūs nevarat noņemt savu administratora lomu." in response.get_data(as_text=True)
    assert _role_state(db, admin.id) == (Role.ADMIN, [])
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    # Another admin may.
    other = create_user(Role.ADMIN)
    client.post("/lv/account/sign-out")
    sign_in(client, other)
    assert client.post(f"/lv/admin/roles/{admin.id}", data={"role": "staff"}).status_code == 302
    assert _role_state(db, admin.id) == (Role.STAFF, [])


def test_audit_log_shows_before_and_after_and_filters(client, db, admin):
    clerk = create_user(Role.STAFF, display_name="Klerks Kārlis")
    audit.record(
        clerk, "idea.status_change", "idea:7", {"status": "submitted"}, {"status": "adopted"}
    )
    audit.record(admin, "user.role_change", "user:3", {"role": "resident"}, {"role": "staff"})
    audit.record(None, "territories.import", "Balvu novads", None, {"units": 21})
    db.session.commit()
    sign_in(client, admin)

    everything = client.get("/en/admin/audit").get_data(as_text=True)
    assert "3 entries" in everything
    assert "idea:7" in everything and '"status": "adopted"' in everything
    assert "command line" in everything
    assert re.findall(r"<code>([\w.]+)</code>", everything) == [
        "territories.import",
        "user.role_change",
        "idea.status_change",
    ]

    by_action = client.get("/en/admin/audit?action=user.role_change").get_data(as_text=True)
    assert "1 entry" in by_action and "user:3" in by_action and "idea:7" not in by_action
    by_actor = client.get(f"/en/admin/audit?actor={clerk.id}").get_data(as_text=True)
    assert "1 entry" in by_actor and "idea:7" in by_actor and "user:3" not in by_actor
    assert "Klerks Kārlis" in by_actor
