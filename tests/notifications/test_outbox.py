"""A status change reaches every follower once, in their language, through the outbox."""

import re
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.accounts.models import NotificationFrequency
from app.extensions import db
from app.notifications.models import DigestItem, OutboxMessage, OutboxStatus
from app.notifications.worker import queue_due_digests, send_pending
from tests.conftest import Mailbox, body_text, free_port
from tests.notifications.helpers import ANSWER_EN, ANSWER_LV, people, status_change


def label(status: str, locale: str) -> str:
    from flask_babel import force_locale

    from app.ideas.status import status_label

    with force_locale(locale):
        return status_label(status)


def _outbox(**filters):
    return db.session.scalars(select(OutboxMessage).filter_by(**filters)).all()


def test_one_email_per_follower_in_their_language(balvu, app, mailbox):
    idea, author, lv, en, never, staff = people()
    change = status_change(idea, actor=staff)

    # Author, Latvian and English followers; not the "never" user nor the staff who acted.
    assert change.queued == 3
    assert {m.email for m in _outbox()} == {author.email, lv.email, en.email}
    assert mailbox.messages == []  # nothing leaves before the worker runs

    result = send_pending()
    assert result.sent == 3 and result.retried == 0
    assert len(mailbox.messages) == 3
    for user in (author, lv, en):
        assert len(mailbox.to(user.email)) == 1
    assert mailbox.to(never.email) == [] and mailbox.to(staff.email) == []

    english = mailbox.to(en.email)[0]
    assert str(english["Subject"]) == f"“{idea.title}” is now: {label('under_review', 'en')}"
    text = body_text(english)
    assert ANSWER_EN in text and ANSWER_LV not in text
    assert f"{app.config['SERVER_BASE_URL']}/en/ideas/{idea.id}" in text
    html = english.get_body(preferencelist=("html",)).get_content()
    assert f'href="{app.config["SERVER_BASE_URL"]}/en/ideas/{idea.id}"' in html
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert english["List-Unsubscribe"].startswith(f"<{app.config['SERVER_BASE_URL']}/en/")

    latvian = mailbox.to(lv.email)[0]
    assert str(latvian["Subject"]) == f"“{idea.title}” tagad: {label('under_review', 'lv')}"
    text = body_text(latvian)
    assert ANSWER_LV in text and ANSWER_EN not in text
    assert "Pašvaldības atbilde:" in text
    assert f"/lv/ideas/{idea.id}" in text

    # Running the worker again, or queueing the same change again, sends nothing more.
    assert send_pending().sent == 0
    from app.notifications.services import notify_idea_changed

    assert notify_idea_changed(idea, change) == 0
    db.session.commit()
    assert send_pending().sent == 0
    assert len(mailbox.messages) == 3
    assert all(m.status == OutboxStatus.SENT and m.attempts == 1 for m in _outbox())


def test_rolled_back_change_queues_nothing(balvu, app, mailbox):
    idea, *_ = people()
    from app.ideas.models import IdeaStatus, IdeaStatusChange
    from app.notifications.services import notify_idea_changed

    change = IdeaStatusChange(
        idea_id=idea.id, from_status=idea.status, to_status=IdeaStatus.DUPLICATE
    )
    db.session.add(change)
    db.session.flush()
    assert notify_idea_changed(idea, change) == 4  # nobody acted: staff who follow are told
    db.session.rollback()  # the change failed: its e-mails go with it
    assert _outbox() == []


def test_smtp_outage_loses_nothing_and_sends_each_once(balvu, make_app):
    handler = Mailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    controller.stop()  # the server is down when the worker runs
    application = make_app(MAIL_PORT=port)
    with application.app_context():
        idea, author, lv, en, _never, staff = people()
        status_change(idea, actor=staff)

        result = send_pending()
        assert result.outage and result.sent == 0
        rows = _outbox()
        assert len(rows) == 3 and all(r.status == OutboxStatus.PENDING for r in rows)
        failed = [r for r in rows if r.attempts]
        # The pass stopped at the first refused connection: the others kept their attempts.
        assert len(failed) == 1 and failed[0].last_error
        assert failed[0].next_attempt_at > datetime.now(UTC)

        # A second pass while it is still down loses nothing either.
        later = datetime.now(UTC) + timedelta(minutes=5)
        assert send_pending(later).sent == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3

        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            back = datetime.now(UTC) + timedelta(hours=7)  # past every back-off
            assert send_pending(back).sent == 3
            assert send_pending(back + timedelta(hours=1)).sent == 0
        finally:
            controller.stop()
        assert sorted(str(m["To"]) for m in handler.messages) == sorted(
            [author.email, lv.email, en.email]
        )
        assert all(r.status == OutboxStatus.SENT for r in _outbox())


def test_backoff_grows_and_gives_up(balvu, make_app):
    port = free_port()  # nothing listens here
    application = make_app(MAIL_PORT=port, NOTIFY_MAX_ATTEMPTS=3, NOTIFY_BACKOFF_SECONDS=60)
    with application.app_context():
        idea, _author, *_ = people()
        db.session.query(__import__("app.ideas.models", fromlist=["Follow"]).Follow).delete()
        db.session.commit()
        status_change(idea)  # only the author now
        (row,) = _outbox()
        now = datetime.now(UTC)
        delays = []
        for _ in range(3):
            send_pending(now)
            db.session.refresh(row)
            delays.append(row.next_attempt_at - now)
            now = row.next_attempt_at
        assert delays[0] == timedelta(minutes=1) and delays[1] == timedelta(minutes=2)
        assert row.status == OutboxStatus.FAILED and row.attempts == 3
        assert send_pending(now + timedelta(days=1)).retried == 0


def test_a_row_claimed_by_another_worker_is_skipped(balvu, app, mailbox, database_url):
    idea, _author, *_ = people()
    status_change(idea)
    first = min(m.id for m in _outbox())
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url) as other:  # another worker is in the middle of sending it
        other.execute("SELECT id FROM outbox WHERE id = %s FOR UPDATE", (first,))
        result = send_pending()
        assert result.sent == 3
        other.rollback()
    assert len(mailbox.messages) == 3
    assert send_pending().sent == 1
    assert len(mailbox.messages) == 4


def test_weekly_digest_collects_the_week(balvu, app, mailbox):
    idea, _author, lv, _en, _never, staff = people(frequency_of_lv=NotificationFrequency.WEEKLY)
    status_change(idea, actor=staff)
    from app.ideas.models import IdeaStatus

    status_change(idea, actor=staff, to=IdeaStatus.ADOPTED)
    assert not _outbox(email=lv.email)
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 2

    send_pending()
    assert mailbox.to(lv.email) == []  # not before the week is over
    assert queue_due_digests() == 0

    next_week = datetime.now(UTC) + timedelta(days=8)
    assert queue_due_digests(next_week) == 1
    assert queue_due_digests(next_week) == 0  # one digest a week
    send_pending(next_week)
    (digest,) = mailbox.to(lv.email)
    assert str(digest["Subject"]) == "Jūsu nedēļas kopsavilkums no Kopā"
    text = body_text(digest)
    assert text.count(idea.title) == 2
    assert f"Jauns statuss: {label('adopted', 'lv')}" in text
    assert re.search(r"/lv/notifications/unsubscribe/\S+", text)
    assert digest["List-Unsubscribe"]
    assert all(item.outbox_id for item in db.session.scalars(select(DigestItem)))


def test_weekly_items_of_someone_who_then_chose_never_are_dropped(balvu, app, mailbox):
    idea, _author, lv, *_ = people(frequency_of_lv=NotificationFrequency.WEEKLY)
    status_change(idea)
    lv.notification_frequency = NotificationFrequency.NEVER
    db.session.commit()
    assert queue_due_digests(datetime.now(UTC) + timedelta(days=8)) == 0
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 0


def test_worker_command(balvu, app, mailbox):
    idea, *_ = people()
    status_change(idea)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send", "--once"])
    assert result.exit_code == 0, result.output
    assert "sent 4" in result.output
    assert len(mailbox.messages) == 4


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_profile_sets_the_preference(balvu, app, lang):
    from app.accounts.models import User
    from tests.factories import create_user
    from tests.moderation.helpers import signed_in

    user_id = create_user().id
    client = signed_in(app, db.session.get(User, user_id), lang=lang)
    page = client.get(f"/{lang}/account/")
    assert b'name="notification_frequency"' in page.data
    data = {"display_name": "Jana", "locale": "en", "home_territory": "0"}
    response = client.post(f"/{lang}/account/", data={**data, "notification_frequency": "weekly"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id).notification_frequency == NotificationFrequency.WEEKLY

    bad = client.post(
        f"/{lang}/account/",
        data={**data, "display_name": "Jānis", "notification_frequency": "hourly"},
    )
    assert bad.status_code == 422
    assert 'value="Jānis"' in bad.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.notification_frequency == NotificationFrequency.WEEKLY
    assert user.display_name == "Jana"
