"""Subjects and helpers for the notification e-mails (templates in app/templates/email/)."""

from app.i18n import _

# Templates that carry the one-click unsubscribe link and the List-Unsubscribe headers.
UNSUBSCRIBABLE = {"idea_changed", "weekly_digest"}


def idea_url(base_url: str, lang: str, idea_id: int) -> str:
    """The idea's public page, built from SERVER_BASE_URL (the worker has no request)."""
    return f"{base_url.rstrip('/')}/{lang}/ideas/{idea_id}"


def status_name(value: str | None) -> str:
    from app.ideas.status import status_label

    return status_label(value) if value else ""


def _idea_changed(context: dict) -> str:
    if context.get("from_status") == context.get("to_status"):
        return _("The municipality answered “%(title)s”", title=context.get("idea_title", ""))
    return _(
        "“%(title)s” is now: %(status)s",
        title=context.get("idea_title", ""),
        status=status_name(context.get("to_status")),
    )


SUBJECTS = {
    "idea_changed": _idea_changed,
    "weekly_digest": lambda context: _("Your weekly Kopā summary"),
    "content_hidden": lambda context: _("A moderator hid your contribution on Kopā"),
    "content_restored": lambda context: _("Your contribution on Kopā is visible again"),
    "account_suspended": lambda context: _("Your Kopā account is suspended"),
}
