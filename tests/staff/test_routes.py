import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit import AuditEntry
from app.ideas.models import Comment, Idea, IdeaPhoto, IdeaStatus, IdeaStatusChange, PhotoKind
from app.staff.models import ProgrammeTask
from tests.factories import create_user, sign_in, territory
from tests.staff.helpers import make_idea


def _days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days, hours=1)


@pytest.fixture
def world(balvu):
    staff = create_user(Role.STAFF, display_name="Ilze Kalniņa")
    author = create_user(display_name="Autors")
    idea = make_idea(author, title="Soliņi pie ezera")
    task = ProgrammeTask(code="RV1", title="Labiekārtošana", title_en="Landscaping")
    balvu.session.add(task)
    balvu.session.commit()
    return {"staff": staff, "author": author, "idea": idea, "task": task}


def _staff_actions(world):
    """Every staff route, with a request that would change something if it were allowed."""
    idea_id, task_id = world["idea"].id, world["task"].id
    answer = {"status": "under_review", "answer": "Skatām"}
    return [
        ("GET", "/lv/staff/", None),
        ("GET", f"/lv/staff/ideas/{idea_id}", None),
        ("POST", f"/lv/staff/ideas/{idea_id}/status", answer),
        ("POST", f"/lv/staff/ideas/{idea_id}/comment", {"body": "Oficiāli"}),
        ("POST", f"/lv/staff/ideas/{idea_id}/programme-task", {"link-programme_task": task_id}),
        ("POST", f"/lv/staff/ideas/{idea_id}/photo", {"alt_text": "Foto"}),
        ("GET", "/lv/staff/programme-tasks", None),
        ("POST", "/lv/staff/programme-tasks", {"code": "X1", "title": "Jauns uzdevums"}),
        ("GET", f"/lv/staff/programme-tasks/{task_id}", None),
        ("POST", f"/lv/staff/programme-tasks/{task_id}", {"code": "X2", "title": "Mainīts"}),
        ("POST", f"/lv/staff/programme-tasks/{task_id}/delete", {}),
    ]


def _snapshot(db):
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(IdeaStatusChange)),
        db.session.scalar(select(func.count()).select_from(Comment)),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
        list(db.session.execute(select(ProgrammeTask.code, ProgrammeTask.title))),
        list(db.session.execute(select(Idea.status, Idea.programme_task_id))),
    )


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.LEADER])
def test_every_staff_action_is_refused_to_other_roles_and_changes_nothing(client, db, world, role):
    if role is not None:
        user = create_user(role, territories=[territory("Balvi")] if role == Role.LEADER else None)
        sign_in(client, user)
    before = _snapshot(db)
    for method, url, data in _staff_actions(world):
        response = client.open(url, method=method, data=data)
        if role is None:
            assert response.status_code == 302, url
            assert "/account/sign-in" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
    assert _snapshot(db) == before


def test_queue_puts_oldest_unanswered_first_and_marks_age(client, db, world):
    author = world["author"]
    fresh = make_idea(author, title="Jauns priekšlikums", created_at=_days_ago(3))
    ageing = make_idea(author, title="Divas nedēļas gaida", created_at=_days_ago(15))
    overdue = make_idea(author, title="Mēnesi gaida", created_at=_days_ago(31))
    answered = make_idea(
        author,
        title="Jau atbildēts",
        created_at=_days_ago(60),
        first_answered_at=_days_ago(50),
        status=IdeaStatus.UNDER_REVIEW,
    )
    make_idea(author, title="Paslēpts priekšlikums", created_at=_days_ago(90), hidden_at=func.now())
    make_idea(author, title="Jau paveikts", status=IdeaStatus.DONE)
    sign_in(client, world["staff"])

    html = client.get("/lv/staff/").get_data(as_text=True)
    order = [int(n) for n in re.findall(r'data-idea-id="(\d+)"', html)]
    assert order == [overdue.id, ageing.id, fresh.id, world["idea"].id, answered.id]
    assert "Paslēpts priekšlikums" not in html
    assert "Jau paveikts" not in html
    assert "Nokavēts: bez atbildes 31 dienu" in html
    assert "Noveco: bez atbildes 15 dienas" in html
    english = client.get("/en/staff/").get_data(as_text=True)
    assert "Overdue: no answer for 31 days" in english
    assert "Ageing: no answer for 15 days" in english

    done = client.get("/en/staff/?status=done").get_data(as_text=True)
    assert "Jau paveikts" in done
    assert "Mēnesi gaida" not in done


def test_queue_filters_and_pages_in_sql(client, db, world):
    author = world["author"]
    parish = make_idea(author, title="Vīksnas ceļš", unit="Vīksnas pagasts", category="safety")
    for number in range(25):
        make_idea(author, title=f"Balvu priekšlikums {number:02d}")
    sign_in(client, world["staff"])

    by_unit = client.get(f"/en/staff/?territory={territory('Vīksnas pagasts').id}")
    assert re.findall(r'data-idea-id="(\d+)"', by_unit.get_data(as_text=True)) == [str(parish.id)]
    by_category = client.get("/en/staff/?category=" + str(parish.category_id))
    assert re.findall(r'data-idea-id="(\d+)"', by_category.get_data(as_text=True)) == [
        str(parish.id)
    ]
    first = client.get("/en/staff/").get_data(as_text=True)
    assert "27 ideas" in first
    assert len(re.findall(r'data-idea-id="', first)) == 25
    assert "Page 1 of 2" in first
    second = client.get("/en/staff/?page=2").get_data(as_text=True)
    assert len(re.findall(r'data-idea-id="', second)) == 2


def test_staff_answer_is_public_and_internal_note_is_not(client, db, world):
    idea = world["idea"]
    sign_in(client, world["staff"])
    response = client.post(
        f"/lv/staff/ideas/{idea.id}/status",
        data={
            "status": "under_review",
            "answer": "Paldies, izskatīsim budžeta sēdē.",
            "answer_en": "Thank you, we will look at it at the budget meeting.",
            "internal_note": "SLEPENA-PIEZIME",
            "programme_task": world["task"].id,
        },
    )
    assert response.status_code == 302
    page = client.get(f"/lv/staff/ideas/{idea.id}").get_data(as_text=True)
    assert "SLEPENA-PIEZIME" in page  # staff see their note
    assert "Statuss tagad ir “Izskatīšanā”." in page
    public_for_staff = client.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/lv/staff/ideas/{idea.id}"' in public_for_staff
    db.session.expire_all()
    stored = db.session.get(Idea, idea.id)
    assert stored.status == IdeaStatus.UNDER_REVIEW
    assert stored.programme_task_id == world["task"].id

    client.post("/lv/account/sign-out")
    public_page = client.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert f'href="/en/staff/ideas/{idea.id}"' not in public_page
    assert "Thank you, we will look at it at the budget meeting." in public_page
    assert "SLEPENA-PIEZIME" not in public_page


def test_refused_step_says_why_and_keeps_the_form(client, db, world):
    idea = world["idea"]
    sign_in(client, world["staff"])
    response = client.post(
        f"/en/staff/ideas/{idea.id}/status",
        data={"status": "done", "answer": "Mana rūpīgi rakstītā atbilde"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "An idea that is “Submitted” cannot become “Done”." in html
    assert "Mana rūpīgi rakstītā atbilde" in html
    missing = client.post(f"/lv/staff/ideas/{idea.id}/status", data={"status": "under_review"})
    assert missing.status_code == 422
    assert "Lūdzu, uzrakstiet publisko atbildi latviski." in missing.get_data(as_text=True)
    unknown = client.post(
        f"/en/staff/ideas/{idea.id}/status",
        data={"status": "duplicate", "answer": "Dublikāts", "duplicate_of": "999999"},
    )
    assert "There is no idea with this number." in unknown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).status == IdeaStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_official_comment_and_programme_task_pages(client, db, world):
    idea = world["idea"]
    sign_in(client, world["staff"])
    assert client.post(f"/lv/staff/ideas/{idea.id}/comment", data={"body": ""}).status_code == 422
    response = client.post(f"/lv/staff/ideas/{idea.id}/comment", data={"body": "Sāksim maijā."})
    assert response.status_code == 302
    [comment] = db.session.scalars(select(Comment))
    assert comment.is_official and comment.body == "Sāksim maijā."

    created = client.post(
        "/en/staff/programme-tasks",
        data={"code": "RV2.1", "title": "Ceļu remonts", "title_en": "Road repairs"},
    )
    assert created.status_code == 302
    duplicate = client.post(
        "/en/staff/programme-tasks", data={"code": "rv2.1", "title": "Cits nosaukums"}
    )
    assert duplicate.status_code == 422
    html = duplicate.get_data(as_text=True)
    assert "A task with this code exists already." in html
    assert "Cits nosaukums" in html
    task = db.session.scalar(select(ProgrammeTask).where(ProgrammeTask.code == "RV2.1"))
    edited = client.post(
        f"/en/staff/programme-tasks/{task.id}", data={"code": "RV2.2", "title": "Ielu remonts"}
    )
    assert edited.status_code == 302
    listing = client.get("/en/staff/programme-tasks").get_data(as_text=True)
    assert "RV2.2" in listing and "Ielu remonts" in listing
    linked = client.post(
        f"/en/staff/ideas/{idea.id}/programme-task", data={"link-programme_task": task.id}
    )
    assert linked.status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).programme_task_id == task.id
    assert client.post(f"/en/staff/programme-tasks/{task.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).programme_task_id is None
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == [
        "comment.official",
        "programme_task.create",
        "programme_task.update",
        "idea.programme_task",
        "programme_task.delete",
    ]


def test_after_photo_upload_from_the_staff_page(client, db, world):
    idea = make_idea(world["author"], status=IdeaStatus.DONE)
    sign_in(client, world["staff"])
    refused = client.post(
        f"/en/staff/ideas/{idea.id}/photo",
        data={"photo": (io.BytesIO(b"not a photo"), "x.jpg"), "alt_text": "Jaunais laukums"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "This file is not a photo we can use." in html
    assert 'value="Jaunais laukums"' in html  # the description is kept
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 90, 160)).save(buffer, "PNG")
    buffer.seek(0)
    added = client.post(
        f"/en/staff/ideas/{idea.id}/photo",
        data={"photo": (buffer, "pec.png"), "alt_text": "Jaunais laukums"},
        content_type="multipart/form-data",
    )
    assert added.status_code == 302
    [photo] = db.session.scalars(select(IdeaPhoto).where(IdeaPhoto.idea_id == idea.id))
    assert photo.kind == PhotoKind.AFTER
    assert photo.uploaded_by_id == world["staff"].id
    assert client.get(f"/media/{photo.stem}-400.jpg").status_code == 200


def test_after_photo_form_names_every_problem_once(client, db, world):
    idea = make_idea(world["author"], status=IdeaStatus.DONE)
    sign_in(client, world["staff"])
    response = client.post(f"/en/staff/ideas/{idea.id}/photo", data={"alt_text": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please choose a photo." in html
    assert html.count("Please describe what the photo shows.") == 2  # summary and field
