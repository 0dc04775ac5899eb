"""The one-click unsubscribe link works without signing in and cannot be forged."""

import re

from sqlalchemy import select

from app.accounts.models import NotificationFrequency, User
from app.extensions import db
from app.notifications.worker import send_pending
from tests.conftest import body_text
from tests.notifications.helpers import people, status_change


def _link(mailbox, email) -> str:
    (message,) = mailbox.to(email)
    url = re.search(r"http://\S+/notifications/unsubscribe/\S+", body_text(message)).group(0)
    assert message["List-Unsubscribe"] == f"<{url}>"
    return url.split("://", 1)[1].split("/", 1)[1]  # the path


def _frequency(email) -> NotificationFrequency:
    db.session.expire_all()
    return db.session.scalar(select(User.notification_frequency).where(User.email == email))


def test_unsubscribe_without_signing_in(balvu, app, mailbox):
    idea, _author, lv, en, *_ = people()
    lv, en = lv.email, en.email
    status_change(idea)
    client = app.test_client()
    send_pending()
    path = "/" + _link(mailbox, en)
    assert path.startswith("/en/")

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails" in page.get_data(as_text=True)
    assert _frequency(en) == NotificationFrequency.IMMEDIATELY  # GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "You will get no more e-mails about ideas" in done.get_data(as_text=True)
    assert _frequency(en) == NotificationFrequency.NEVER
    assert _frequency(lv) == NotificationFrequency.IMMEDIATELY


def test_one_click_post_with_csrf_on(balvu, app, csrf_app, mailbox):
    idea, _author, lv, *_ = people()
    status_change(idea)
    send_pending()
    path = "/" + _link(mailbox, lv.email)
    response = csrf_app.test_client().post(
        path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Jūs vairs nesaņemsiet e-pastus par priekšlikumiem" in response.get_data(as_text=True)
    assert _frequency(lv.email) == NotificationFrequency.NEVER


def test_tampered_or_foreign_token_is_refused(balvu, app, mailbox):
    idea, _author, _lv, en, *_ = people()
    en_id, en_email = en.id, en.email
    status_change(idea)
    send_pending()
    client = app.test_client()
    path = "/" + _link(mailbox, en_email)
    prefix, token = path.rsplit("/", 1)
    payload, signature = token.split(".", 1)
    forged = f"{prefix}/{payload[:-2]}{'AA' if payload[-2:] != 'AA' else 'BB'}.{signature}"
    for bad in (forged, f"{prefix}/{token[:-3]}", f"{prefix}/not-a-token"):
        for method in (client.get, client.post):
            response = method(bad)
            assert response.status_code == 400
            assert "The link does not work" in response.get_data(as_text=True)
    assert _frequency(en_email) == NotificationFrequency.IMMEDIATELY

    # A token stops working when the address it was sent to is no longer the account's.
    db.session.get(User, en_id).email = "new-address@example.lv"
    db.session.commit()
    assert client.post(path).status_code == 400
    assert _frequency("new-address@example.lv") == NotificationFrequency.IMMEDIATELY
