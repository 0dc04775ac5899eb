"""Shared set-up for notification tests: an idea, its followers and a status change."""

from app.accounts.models import NotificationFrequency, Role
from app.extensions import db
from app.ideas.models import Follow, IdeaStatus, IdeaStatusChange
from tests.factories import create_idea, create_user

ANSWER_LV = "Pašvaldība soliņus uzstādīs pavasarī."
ANSWER_EN = "The municipality will put up the benches in spring."


def follow(user, idea) -> None:
    db.session.add(Follow(user_id=user.id, idea_id=idea.id))
    db.session.commit()


def status_change(idea, actor=None, to=IdeaStatus.UNDER_REVIEW) -> IdeaStatusChange:
    """What the staff workspace does: record the change, queue the news, commit once."""
    from app.notifications.services import notify_idea_changed

    change = IdeaStatusChange(
        idea_id=idea.id,
        from_status=idea.status,
        to_status=to,
        answer=ANSWER_LV,
        answer_en=ANSWER_EN,
        actor_id=actor.id if actor else None,
    )
    idea.status = to
    db.session.add(change)
    db.session.flush()
    change.queued = notify_idea_changed(idea, change)
    db.session.commit()
    return change


def people(frequency_of_lv=NotificationFrequency.IMMEDIATELY):
    """An author (Latvian), followers in Latvian and English, one who wants nothing and staff."""
    author = create_user(email="autors@example.lv", locale="lv")
    lv = create_user(email="sekotajs@example.lv", locale="lv")
    en = create_user(email="follower@example.lv", locale="en")
    never = create_user(email="never@example.lv", locale="lv")
    never.notification_frequency = NotificationFrequency.NEVER
    lv.notification_frequency = frequency_of_lv
    staff = create_user(role=Role.STAFF, email="staff@example.lv")
    db.session.commit()
    idea = create_idea(author=author)
    for user in (author, lv, en, never, staff):  # the author follows too: still one e-mail
        follow(user, idea)
    return idea, author, lv, en, never, staff
