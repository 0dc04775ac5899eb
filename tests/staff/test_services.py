import io

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.accounts.models import Role
from app.audit import AuditEntry
from app.ideas.models import (
    Comment,
    Follow,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    PhotoKind,
    Support,
)
from app.notifications.models import OutboxMessage
from app.staff import services as staff
from app.staff.models import ProgrammeTask
from tests.factories import create_user
from tests.staff.helpers import follow, make_idea, support


@pytest.fixture(autouse=True)
def english(app):
    """Services word their refusals in the reader's language: here, English."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def people(balvu):
    return {
        "staff": create_user(Role.STAFF, display_name="Ilze no pašvaldības"),
        "author": create_user(email="autors@example.lv"),
        "follower": create_user(email="sekotajs@example.lv", locale="en"),
    }


def _history(db, idea):
    return list(
        db.session.scalars(
            select(IdeaStatusChange)
            .where(IdeaStatusChange.idea_id == idea.id)
            .order_by(IdeaStatusChange.id)
        )
    )


def test_status_change_keeps_history_answer_note_audit_and_queues_mail(db, people):
    idea = make_idea(people["author"])
    follow(people["follower"], idea)
    change = staff.change_status(
        idea,
        IdeaStatus.UNDER_REVIEW,
        "  Izskatīsim nākamajā sēdē.  ",
        "We will look at it at the next meeting.",
        "Jāprasa ceļu dienestam",
        people["staff"],
    )
    db.session.commit()

    history = _history(db, idea)
    assert [h.to_status for h in history] == [IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW]
    assert history[-1].id == change.id
    assert change.from_status == IdeaStatus.SUBMITTED
    assert change.answer == "Izskatīsim nākamajā sēdē."
    assert change.answer_en == "We will look at it at the next meeting."
    assert change.internal_note == "Jāprasa ceļu dienestam"
    assert change.actor_id == people["staff"].id
    assert idea.status == IdeaStatus.UNDER_REVIEW
    assert idea.status_changed_at == change.created_at
    assert idea.first_answered_at == change.created_at

    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "idea.status_change")
    )
    assert entry.actor_id == people["staff"].id
    assert entry.target == f"idea:{idea.id}"
    assert entry.before["status"] == "submitted"
    assert entry.after["status"] == "under_review"
    # The author and the follower are told, each once; the clerk is not.
    recipients = sorted(db.session.scalars(select(OutboxMessage.email)))
    assert recipients == ["autors@example.lv", "sekotajs@example.lv"]


def test_first_answer_time_is_kept_on_later_changes(db, people):
    idea = make_idea(people["author"])
    first = staff.change_status(idea, "under_review", "Skatām", None, None, people["staff"])
    db.session.commit()
    second = staff.change_status(idea, "adopted", "Atbalstīts", "Adopted", None, people["staff"])
    db.session.commit()
    assert idea.first_answered_at == first.created_at
    assert idea.status_changed_at == second.created_at
    assert second.from_status == IdeaStatus.UNDER_REVIEW


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (IdeaStatus.SUBMITTED, IdeaStatus.DONE),
        (IdeaStatus.SUBMITTED, IdeaStatus.ADOPTED),
        (IdeaStatus.UNDER_REVIEW, IdeaStatus.SUBMITTED),
        (IdeaStatus.DONE, IdeaStatus.UNDER_REVIEW),
    ],
)
def test_steps_outside_the_workflow_are_refused_and_change_nothing(db, people, start, target):
    idea = make_idea(people["author"], status=start)
    with pytest.raises(staff.StaffActionError) as refused:
        staff.change_status(idea, target, "Atbilde", None, None, people["staff"])
    assert "cannot become" in refused.value.errors["status"]
    db.session.rollback()
    db.session.refresh(idea)
    assert idea.status == start
    assert idea.first_answered_at is None
    assert len(_history(db, idea)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_latvian_answer_is_required(db, people):
    idea = make_idea(people["author"])
    with pytest.raises(staff.StaffActionError) as refused:
        staff.change_status(idea, "under_review", "   ", "Only English", None, people["staff"])
    assert refused.value.errors == {"answer": "Please write the public answer in Latvian."}


def test_duplicate_moves_supporters_and_followers_exactly_once(db, people):
    original = make_idea(people["author"], title="Apgaismojums Brīvības ielā")
    duplicate_author = create_user()
    duplicate = make_idea(duplicate_author, title="Lampas Brīvības ielā")
    anna, bruno, cits = create_user(), create_user(), create_user()
    support(anna, original)
    support(bruno, original)
    support(bruno, duplicate)  # supports both: must be counted once
    support(cits, duplicate)
    follow(anna, original)
    follow(anna, duplicate)
    follow(cits, duplicate)

    staff.change_status(
        duplicate,
        IdeaStatus.DUPLICATE,
        "Tas pats, kas priekšlikums par apgaismojumu.",
        None,
        None,
        people["staff"],
        duplicate_of=original,
    )
    db.session.commit()

    supporters = set(
        db.session.scalars(select(Support.user_id).where(Support.idea_id == original.id))
    )
    assert supporters == {anna.id, bruno.id, cits.id}
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.idea_id == original.id)))
    assert followers == {anna.id, cits.id, duplicate_author.id}
    assert db.session.scalar(select(func.count()).where(Support.idea_id == duplicate.id)) == 0
    assert db.session.scalar(select(func.count()).where(Follow.idea_id == duplicate.id)) == 0
    db.session.refresh(original)
    db.session.refresh(duplicate)
    assert original.support_count == 3
    assert duplicate.support_count == 0
    assert duplicate.status == IdeaStatus.DUPLICATE
    assert duplicate.duplicate_of_id == original.id

    # Back to review: the pointer to the original goes, the history stays.
    staff.change_status(duplicate, "under_review", "Tomēr atšķiras", None, None, people["staff"])
    db.session.commit()
    assert duplicate.duplicate_of_id is None
    assert [h.to_status.value for h in _history(db, duplicate)] == [
        "submitted",
        "duplicate",
        "under_review",
    ]


def test_duplicate_needs_a_different_published_original(db, people):
    idea = make_idea(people["author"])
    hidden = make_idea(people["author"], hidden_at=func.now())
    with pytest.raises(staff.StaffActionError) as missing:
        staff.change_status(idea, "duplicate", "Dublikāts", None, None, people["staff"])
    assert "original" in missing.value.errors["duplicate_of"]
    with pytest.raises(staff.StaffActionError) as itself:
        staff.change_status(
            idea, "duplicate", "Dublikāts", None, None, people["staff"], duplicate_of=idea
        )
    assert itself.value.errors["duplicate_of"] == "An idea cannot be a duplicate of itself."
    with pytest.raises(staff.StaffActionError):
        staff.change_status(
            idea, "duplicate", "Dublikāts", None, None, people["staff"], duplicate_of=hidden
        )
    db.session.rollback()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED


def test_programme_tasks_are_saved_linked_audited_and_unlinked_on_delete(db, people):
    task = staff.save_programme_task(
        None, "RV1.2", "Ielu apgaismojums", "Street lighting", people["staff"]
    )
    db.session.commit()
    with pytest.raises(staff.StaffActionError) as taken:
        staff.save_programme_task(None, "rv1.2", "Cits uzdevums", None, people["staff"])
    assert taken.value.errors == {"code": "A task with this code exists already."}
    db.session.rollback()

    idea = make_idea(people["author"])
    staff.change_status(
        idea,
        "under_review",
        "Saistīts ar programmu",
        None,
        None,
        people["staff"],
        programme_task=task,
    )
    db.session.commit()
    assert idea.programme_task_id == task.id
    staff.delete_programme_task(task, people["staff"])
    db.session.commit()
    db.session.refresh(idea)
    assert idea.programme_task_id is None
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == [
        "programme_task.create",
        "idea.status_change",
        "programme_task.delete",
    ]
    assert db.session.scalar(select(func.count()).select_from(ProgrammeTask)) == 0


def test_official_comment(db, people):
    idea = make_idea(people["author"])
    comment = staff.add_official_comment(idea, " Darbi sāksies maijā. ", people["staff"])
    db.session.commit()
    stored = db.session.get(Comment, comment.id)
    assert stored.is_official
    assert stored.body == "Darbi sāksies maijā."
    assert stored.author_id == people["staff"].id
    db.session.refresh(idea)
    assert idea.comment_count == 1
    with pytest.raises(staff.StaffActionError):
        staff.add_official_comment(idea, "  ", people["staff"])


def _jpeg() -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buffer, "JPEG")
    buffer.seek(0)
    return FileStorage(buffer, filename="pec.jpg", content_type="image/jpeg")


def test_after_photo_only_for_done_ideas(app, db, people):
    idea = make_idea(people["author"], status=IdeaStatus.IN_PROGRESS)
    with pytest.raises(staff.StaffActionError) as early:
        staff.add_after_photo(idea, _jpeg(), "Jaunais laukums", people["staff"])
    assert "once the idea is done" in early.value.errors["photo"]

    staff.change_status(idea, "done", "Paveikts", "Done", None, people["staff"])
    photo = staff.add_after_photo(idea, _jpeg(), "Jaunais laukums", people["staff"])
    db.session.commit()
    stored = db.session.get(IdeaPhoto, photo.id)
    assert stored.kind == PhotoKind.AFTER
    assert stored.alt_text == "Jaunais laukums"
    assert (stored.width, stored.height) == (640, 480)
    from app.core.uploads import image_path

    assert image_path(stored.stem, 400).exists()
