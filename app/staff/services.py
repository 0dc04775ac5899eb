"""Writes of the staff workspace: status changes with answers, duplicates, programme tasks,
official comments and "after" photos. Services flush; the view commits once."""

from datetime import UTC, datetime

from sqlalchemy import delete, func, select, text

from app import audit
from app.accounts.models import User
from app.extensions import db
from app.i18n import _
from app.ideas.models import (
    STATUS_TRANSITIONS,
    Comment,
    Follow,
    Idea,
    IdeaPhoto,
    IdeaStatus,
    IdeaStatusChange,
    PhotoKind,
    Support,
)
from app.staff.models import ProgrammeTask

ANSWER_MAX = 5000
NOTE_MAX = 5000
COMMENT_MAX = 2000


class StaffActionError(ValueError):
    """A refused staff action; carries field -> localized message for the form."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def allowed_statuses(idea: Idea) -> list[IdeaStatus]:
    """The statuses the workflow allows next, in workflow order."""
    following = STATUS_TRANSITIONS[idea.status]
    return [status for status in IdeaStatus if status in following]


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _idea_state(idea: Idea) -> dict:
    return {
        "status": idea.status.value,
        "duplicate_of_id": idea.duplicate_of_id,
        "programme_task_id": idea.programme_task_id,
    }


def _validate_change(
    idea: Idea,
    new_status: IdeaStatus,
    answer: str | None,
    duplicate_of: Idea | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if new_status not in STATUS_TRANSITIONS[idea.status]:
        from app.ideas.status import status_label

        errors["status"] = _(
            "An idea that is “%(current)s” cannot become “%(new)s”. Choose one of the "
            "next steps of the workflow.",
            current=status_label(idea.status),
            new=status_label(new_status),
        )
    if not answer:
        errors["answer"] = _("Please write the public answer in Latvian.")
    elif len(answer) > ANSWER_MAX:
        errors["answer"] = _("The answer must be at most 5,000 characters long.")
    if new_status == IdeaStatus.DUPLICATE:
        if duplicate_of is None:
            errors["duplicate_of"] = _("Please give the number of the original idea.")
        elif duplicate_of.id == idea.id:
            errors["duplicate_of"] = _("An idea cannot be a duplicate of itself.")
        elif duplicate_of.status == IdeaStatus.DUPLICATE or not duplicate_of.is_public:
            errors["duplicate_of"] = _(
                "The original must be a published idea that is not itself a duplicate."
            )
    return errors


def merge_into_original(duplicate: Idea, original: Idea) -> None:
    """Move supporters and followers of `duplicate` to `original`, each person once."""
    params = {"duplicate": duplicate.id, "original": original.id}
    for table in ("supports", "follows"):
        db.session.execute(
            text(
                f"INSERT INTO {table} (user_id, idea_id, created_at) "  # noqa: S608 - fixed names
                f"SELECT user_id, :original, created_at FROM {table} WHERE idea_id = :duplicate "
                "ON CONFLICT DO NOTHING"
            ),
            params,
        )
    # The author of the duplicate wants to hear about the original too.
    if duplicate.author_id is not None:
        db.session.execute(
            text(
                "INSERT INTO follows (user_id, idea_id) VALUES (:author, :original) "
                "ON CONFLICT DO NOTHING"
            ),
            {**params, "author": duplicate.author_id},
        )
    db.session.execute(delete(Support).where(Support.idea_id == duplicate.id))
    db.session.execute(delete(Follow).where(Follow.idea_id == duplicate.id))
    db.session.flush()
    # support_count is kept by a database trigger on supports.
    db.session.refresh(original)
    db.session.refresh(duplicate)


def change_status(
    idea: Idea,
    new_status: IdeaStatus,
    answer: str | None,
    answer_en: str | None,
    internal_note: str | None,
    actor: User,
    duplicate_of: Idea | None = None,
    programme_task: ProgrammeTask | None = None,
) -> IdeaStatusChange:
    """Move an idea along the workflow with a public answer; history, audit and notifications.

    Raises StaffActionError (nothing changed) when the step is outside the workflow."""
    new_status = IdeaStatus(new_status)
    answer, answer_en, internal_note = _clean(answer), _clean(answer_en), _clean(internal_note)
    errors = _validate_change(idea, new_status, answer, duplicate_of)
    if errors:
        raise StaffActionError(errors)
    before = _idea_state(idea)
    now = datetime.now(UTC)
    change = IdeaStatusChange(
        idea_id=idea.id,
        from_status=idea.status,
        to_status=new_status,
        answer=answer,
        answer_en=answer_en,
        internal_note=internal_note,
        actor_id=actor.id,
        created_at=now,
    )
    idea.status = new_status
    idea.duplicate_of_id = duplicate_of.id if new_status == IdeaStatus.DUPLICATE else None
    if programme_task is not None:
        idea.programme_task_id = programme_task.id
    idea.status_changed_at = now
    if idea.first_answered_at is None:
        idea.first_answered_at = now
    db.session.add(change)
    db.session.flush()
    if new_status == IdeaStatus.DUPLICATE:
        merge_into_original(idea, duplicate_of)
    audit.record(
        actor,
        "idea.status_change",
        f"idea:{idea.id}",
        before=before,
        after={**_idea_state(idea), "answer": answer, "answer_en": answer_en},
    )
    # Imported here: notifications imports the ideas models, and is another feature.
    from app.notifications.services import notify_idea_changed

    notify_idea_changed(idea, change)
    return change


def link_programme_task(idea: Idea, task: ProgrammeTask | None, actor: User) -> None:
    """Link the idea to a programme task (or unlink it with None)."""
    before = _idea_state(idea)
    idea.programme_task_id = task.id if task else None
    db.session.flush()
    audit.record(actor, "idea.programme_task", f"idea:{idea.id}", before, _idea_state(idea))


def add_official_comment(idea: Idea, body: str, actor: User) -> Comment:
    """A staff comment, marked as the municipality's official word."""
    body = (body or "").strip()
    if not body:
        raise StaffActionError({"body": _("Please write the comment.")})
    if len(body) > COMMENT_MAX:
        raise StaffActionError({"body": _("The comment must be at most 2,000 characters long.")})
    comment = Comment(idea_id=idea.id, author_id=actor.id, body=body, is_official=True)
    db.session.add(comment)
    db.session.flush()
    db.session.expire(idea, ["comment_count"])  # kept by a database trigger
    audit.record(actor, "comment.official", f"idea:{idea.id}", None, {"comment_id": comment.id})
    return comment


def _task_values(code: str, title: str, title_en: str | None) -> dict:
    code, title, title_en = (code or "").strip(), (title or "").strip(), _clean(title_en)
    errors: dict[str, str] = {}
    if not 1 <= len(code) <= 20:
        errors["code"] = _("The code must be 1 to 20 characters long.")
    if not 3 <= len(title) <= 300:
        errors["title"] = _("The title must be 3 to 300 characters long.")
    if title_en and len(title_en) > 300:
        errors["title_en"] = _("The title must be 3 to 300 characters long.")
    if errors:
        raise StaffActionError(errors)
    return {"code": code, "title": title, "title_en": title_en}


def _check_code_free(code: str, task_id: int | None) -> None:
    query = select(ProgrammeTask.id).where(func.lower(ProgrammeTask.code) == code.lower())
    existing = db.session.scalar(query)
    if existing is not None and existing != task_id:
        raise StaffActionError({"code": _("A task with this code exists already.")})


def save_programme_task(
    task: ProgrammeTask | None, code: str, title: str, title_en: str | None, actor: User
) -> ProgrammeTask:
    """Create (task=None) or update a task of the development programme."""
    values = _task_values(code, title, title_en)
    _check_code_free(values["code"], task.id if task else None)
    before = None
    if task is None:
        task = ProgrammeTask(**values)
        db.session.add(task)
        action = "programme_task.create"
    else:
        before = {"code": task.code, "title": task.title, "title_en": task.title_en}
        for key, value in values.items():
            setattr(task, key, value)
        action = "programme_task.update"
    db.session.flush()
    audit.record(actor, action, f"programme_task:{task.id}", before, values)
    return task


def delete_programme_task(task: ProgrammeTask, actor: User) -> None:
    """Delete a task; linked ideas lose the link (ON DELETE SET NULL)."""
    before = {"code": task.code, "title": task.title, "title_en": task.title_en}
    target = f"programme_task:{task.id}"
    db.session.delete(task)
    db.session.flush()
    audit.record(actor, "programme_task.delete", target, before, None)


def add_after_photo(idea: Idea, file_storage, alt_text: str | None, actor: User) -> IdeaPhoto:
    """Store an "after" photo of a done idea; raises StaffActionError with a clear message."""
    from app.core.uploads import ImageRejected, store_image

    alt_text = _clean(alt_text)
    errors: dict[str, str] = {}
    if idea.status != IdeaStatus.DONE:
        errors["photo"] = _("An “after” photo can be added once the idea is done.")
    elif file_storage is None or not file_storage.filename:
        errors["photo"] = _("Please choose a photo.")
    if not alt_text:
        errors["alt_text"] = _("Please describe what the photo shows.")
    if errors:
        raise StaffActionError(errors)
    try:
        stored = store_image(file_storage)
    except ImageRejected as rejected:
        raise StaffActionError({"photo": str(rejected.message)}) from None
    position = db.session.scalar(
        select(func.coalesce(func.max(IdeaPhoto.position), -1) + 1).where(
            IdeaPhoto.idea_id == idea.id
        )
    )
    photo = IdeaPhoto(
        idea_id=idea.id,
        stem=stored.stem,
        width=stored.width,
        height=stored.height,
        alt_text=alt_text[:250],
        position=position,
        kind=PhotoKind.AFTER,
        uploaded_by_id=actor.id,
    )
    db.session.add(photo)
    db.session.flush()
    audit.record(actor, "idea.after_photo", f"idea:{idea.id}", None, {"photo_id": photo.id})
    return photo
