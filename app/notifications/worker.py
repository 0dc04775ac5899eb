"""The delivery worker: claims due outbox rows one at a time and sends them over SMTP.

A row is claimed with SELECT … FOR UPDATE SKIP LOCKED and marked sent in the same
transaction, so two workers never send the same row and a sent row is never sent again.
A failure leaves the row pending with exponential back-off; an SMTP outage stops the pass
without touching the other rows, so nothing is lost and nothing is sent twice."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import delete, func, select, update

from app.accounts.models import NotificationFrequency, User
from app.core.mail import build_message, deliver
from app.extensions import db
from app.notifications.models import DigestItem, OutboxMessage, OutboxStatus
from app.notifications.services import WEEKLY_DIGEST, queue_email
from app.notifications.templates import SUBJECTS, UNSUBSCRIBABLE, idea_url, status_name
from app.notifications.tokens import unsubscribe_token

log = logging.getLogger("kopa.notifications")

RIGA = ZoneInfo("Europe/Riga")
DIGEST_ITEMS_SHOWN = 50
# The server is away (not this message's fault): stop the pass, the other rows wait.
OUTAGE_ERRORS = (
    ConnectionError,
    TimeoutError,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
)


@dataclass(frozen=True)
class _Snapshot:
    user_id: int | None
    email: str
    locale: str
    template: str
    context: dict


@dataclass
class PassResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    outage: bool = False


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most six hours."""
    base = current_app.config.get("NOTIFY_BACKOFF_SECONDS", 60)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def render_message(row: OutboxMessage):
    """Render the row in the recipient's language; links are built from SERVER_BASE_URL.

    Reads only the row's own columns, so it needs no database access while rendering."""
    row = _Snapshot(
        user_id=row.user_id,
        email=row.email,
        locale=row.locale,
        template=row.template,
        context=dict(row.context or {}),
    )
    app = current_app._get_current_object()
    locale = row.locale if row.locale in app.config["LANGUAGES"] else "lv"
    base_url = app.config["SERVER_BASE_URL"].rstrip("/")
    # A fresh app context of its own: the request context's teardown releases the database
    # session of the context it runs in, and the claiming transaction must survive rendering.
    with (
        app.app_context(),
        app.test_request_context("/", base_url=base_url),
        force_locale(locale),
    ):
        unsubscribe = None
        if row.template in UNSUBSCRIBABLE and row.user_id:
            unsubscribe = url_for(
                "notifications.unsubscribe",
                lang=locale,
                token=unsubscribe_token(row.user_id, row.email),
                _external=True,
            )
        context = dict(row.context or {})
        context.update(
            lang=locale,
            base_url=base_url,
            unsubscribe_url=unsubscribe,
            profile_url=url_for("accounts.profile", lang=locale, _external=True),
            idea_url=lambda idea_id: idea_url(base_url, locale, idea_id),
            status_name=status_name,
        )
        subject = str(SUBJECTS[row.template](context))
        text = render_template(f"email/{row.template}.txt", **context)
        html = render_template(f"email/{row.template}.html", subject=subject, **context)
    message = build_message(row.email, subject, text, html)
    if unsubscribe:
        # RFC 8058 one-click unsubscribe: the mail client POSTs to this address.
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    return message


def _claim(now: datetime) -> OutboxMessage | None:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.scalar(query)


def send_one(now: datetime | None = None) -> str | None:
    """Send the next due row; returns "sent", "retry", "failed", "outage" or None if none due."""
    now = now or datetime.now(UTC)
    row = _claim(now)
    if row is None:
        db.session.rollback()
        return None
    max_attempts = current_app.config.get("NOTIFY_MAX_ATTEMPTS", 8)
    try:
        message = render_message(row)
        deliver(message)
    except Exception as exc:
        outage = isinstance(exc, OUTAGE_ERRORS)
        row.attempts += 1
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if row.attempts >= max_attempts:
            row.status = OutboxStatus.FAILED
            result = "failed"
        else:
            row.next_attempt_at = now + backoff(row.attempts)
            result = "outage" if outage else "retry"
        log.warning("Outbox %s: attempt %s failed: %s", row.id, row.attempts, row.last_error)
        db.session.commit()
        return result
    row.attempts += 1
    row.status = OutboxStatus.SENT
    row.sent_at = now
    row.last_error = None
    db.session.commit()  # releases the row lock: marked sent in the claiming transaction
    return "sent"


def send_pending(now: datetime | None = None, limit: int = 500) -> PassResult:
    """Deliver due rows until none is due, `limit` is reached or the SMTP server is away."""
    result = PassResult()
    for _ in range(limit):
        outcome = send_one(now)
        if outcome is None:
            break
        if outcome == "sent":
            result.sent += 1
        elif outcome == "failed":
            result.failed += 1
        else:
            result.retried += 1
            if outcome == "outage":
                result.outage = True
                break
    return result


def digest_cutoff(now: datetime) -> datetime:
    """The start of the digest week: the latest Monday 07:00 in Riga at or before `now`."""
    local = now.astimezone(RIGA)
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    if monday > local:
        monday -= timedelta(days=7)
    return monday.astimezone(UTC)


def queue_due_digests(now: datetime | None = None, batch: int = 200) -> int:
    """Fold each weekly user's items from before this week's cutoff into one digest e-mail."""
    now = now or datetime.now(UTC)
    cutoff = digest_cutoff(now)
    waiting = DigestItem.outbox_id.is_(None) & (DigestItem.created_at < cutoff)
    user_ids = db.session.scalars(
        select(DigestItem.user_id).where(waiting).group_by(DigestItem.user_id).limit(batch)
    ).all()
    queued = 0
    for user_id in user_ids:
        user = db.session.get(User, user_id)
        mine = waiting & (DigestItem.user_id == user_id)
        if (
            user is None
            or user.notification_frequency == NotificationFrequency.NEVER
            or user.suspended_at is not None
        ):
            db.session.execute(delete(DigestItem).where(mine))
            continue
        total = db.session.scalar(select(func.count()).select_from(DigestItem).where(mine))
        items = db.session.scalars(
            select(DigestItem.context)
            .where(mine)
            .order_by(DigestItem.created_at)
            .limit(DIGEST_ITEMS_SHOWN)
        ).all()
        key = f"digest:{user_id}:{cutoff:%Y-%m-%d}"
        if not queue_email(
            user, WEEKLY_DIGEST, {"items": list(items), "more": total - len(items)}, key, when=now
        ):
            continue  # this week's digest went out already; these wait for the next one
        outbox_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)
        )
        db.session.execute(update(DigestItem).where(mine).values(outbox_id=outbox_id))
        queued += 1
    db.session.commit()
    return queued


def run_once(now: datetime | None = None) -> PassResult:
    queue_due_digests(now)
    return send_pending(now)
