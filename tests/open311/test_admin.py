"""Admins issue and revoke Open311 keys on a page and with `flask open311 …`; nobody else can."""

import hashlib
import re

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from tests.factories import create_user, sign_in

PAGE = "/lv/admin/open311-keys/"


def _keys(db):
    from app.open311.models import ApiKey

    db.session.expire_all()
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))


def test_admin_issues_a_key_shown_once_and_stored_hashed(client, balvu):
    from app.audit import AuditEntry

    admin = create_user(role=Role.ADMIN)
    sign_in(client, admin)
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, data={"name": "Rēzeknes lietotne"})
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    token = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', html).group(1)
    [key] = _keys(balvu)
    assert key.name == "Rēzeknes lietotne"
    assert key.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert key.created_by_id == admin.id
    assert token not in client.get(PAGE).get_data(as_text=True)  # never shown again
    actions = balvu.session.scalars(select(AuditEntry.action)).all()
    assert "open311.key_issued" in actions


def test_bad_name_keeps_the_form_with_a_localized_error(client, balvu):
    sign_in(client, create_user(role=Role.ADMIN))
    response = client.post(PAGE, data={"name": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nosaukumam jābūt 2 līdz 120 rakstzīmes garam." in html
    assert 'value="x"' in html
    assert _keys(balvu) == []


def test_admin_revokes_a_key(client, balvu):
    from app.open311.services import issue_key, key_for_token

    key, token = issue_key("Vecā lietotne", actor=None)
    balvu.session.commit()
    key_id = key.id
    sign_in(client, create_user(role=Role.ADMIN))
    response = client.post(f"/lv/admin/open311-keys/{key_id}/revoke")
    assert response.status_code == 302
    [revoked] = _keys(balvu)
    assert revoked.revoked_at is not None
    assert key_for_token(token) is None
    assert "Atsaukta" in client.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.LEADER, Role.STAFF])
def test_other_roles_are_refused(client, balvu, role):
    from app.open311.services import issue_key

    key, _ = issue_key("Lietotne", actor=None)
    balvu.session.commit()
    key_id = key.id
    sign_in(client, create_user(role=role))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={"name": "Mana lietotne"}).status_code == 403
    assert client.post(f"/lv/admin/open311-keys/{key_id}/revoke").status_code == 403
    assert len(_keys(balvu)) == 1 and _keys(balvu)[0].revoked_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, balvu):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_forms_need_csrf(csrf_app, balvu):
    client = csrf_app.test_client()
    sign_in_page = client.get("/lv/account/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', sign_in_page).group(1)
    admin = create_user(role=Role.ADMIN)
    client.post(
        "/lv/account/sign-in",
        data={"email": admin.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert client.get(PAGE).status_code == 200
    assert client.post(PAGE, data={"name": "Bez žetona"}).status_code == 400
    assert _keys(balvu) == []


def test_cli_creates_lists_and_revokes_keys(app, balvu):
    from app.open311.services import key_for_token

    runner = app.test_cli_runner()
    result = runner.invoke(args=["open311", "create-key", "Universitātes pētījums"])
    assert result.exit_code == 0, result.output
    token = re.search(r": (\S+)\n", result.output).group(1)
    assert key_for_token(token).name == "Universitātes pētījums"
    listed = runner.invoke(args=["open311", "list-keys"])
    assert "Universitātes pētījums" in listed.output and "active" in listed.output
    key_id = _keys(balvu)[0].id
    assert runner.invoke(args=["open311", "revoke-key", str(key_id)]).exit_code == 0
    assert key_for_token(token) is None
    assert runner.invoke(args=["open311", "create-key", "x"]).exit_code != 0
