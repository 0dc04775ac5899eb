"""Staff hide, restore, approve and suspend; every other role is refused and changes nothing."""

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.audit import AuditEntry
from app.extensions import db
from app.ideas.models import Comment, Idea
from app.moderation.models import Report, ReportStatus
from app.notifications.models import OutboxMessage
from app.notifications.worker import send_pending
from tests.conftest import body_text
from tests.factories import PASSWORD
from tests.moderation.helpers import content, person, signed_in

API = "/api/v1/ideas.geojson?bbox=27.0,57.0,27.6,57.3&zoom=18"


def fresh(model, ident):
    """The row as stored now (requests end the test's session, so objects are re-read)."""
    db.session.expire_all()
    return db.session.get(model, ident)


def _snapshot():
    db.session.expire_all()
    return (
        [(i.id, i.hidden_at, i.awaiting_approval) for i in db.session.scalars(select(Idea))],
        [(c.id, c.hidden_at, c.awaiting_approval) for c in db.session.scalars(select(Comment))],
        [(u.id, u.suspended_at) for u in db.session.scalars(select(User))],
        [(r.id, r.status) for r in db.session.scalars(select(Report))],
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
        db.session.scalar(select(func.count()).select_from(OutboxMessage)),
    )


@pytest.fixture
def scene(balvu):
    """Ids of: an English-speaking author, their reported idea, a comment by someone else,
    the author's idea held by the spam guard and the author's comment hidden earlier."""
    author = person(email="autors@example.lv", locale="en")
    idea, comment = content(author)
    held = Idea(
        title="Gaida apstiprinājumu",
        description="Apraksts ar saiti http://example.com, kas gaida.",
        category_id=idea.category_id,
        geom=idea.geom,
        author_id=author.id,
        awaiting_approval=True,
    )
    hidden_comment = Comment(idea_id=idea.id, author_id=author.id, body="Paslēpts komentārs.")
    db.session.add_all([held, hidden_comment])
    db.session.flush()
    hidden_comment.hidden_at = func.now()
    hidden_comment.hidden_reason = "Agrāk paslēpts"
    db.session.add(
        Report(reporter_id=comment.author_id, kind="idea", idea_id=idea.id, reason="spam")
    )
    db.session.commit()
    return SimpleNamespace(
        author=author.id,
        author_email=author.email,
        idea=idea.id,
        idea_title=idea.title,
        comment=comment.id,
        comment_body=comment.body,
        held=held.id,
        held_title=held.title,
        hidden_comment=hidden_comment.id,
    )


def _requests(s):
    reason = {"reason": "Reklāma"}
    return [
        ("get", "/lv/moderation/", None),
        ("get", f"/lv/moderation/idea/{s.idea}", None),
        ("get", f"/lv/moderation/users/{s.author}", None),
        ("post", f"/lv/moderation/idea/{s.idea}/hide", reason),
        ("post", f"/lv/moderation/comment/{s.comment}/hide", reason),
        ("post", f"/lv/moderation/comment/{s.hidden_comment}/restore", reason),
        ("post", f"/lv/moderation/idea/{s.held}/approve", {}),
        ("post", f"/lv/moderation/idea/{s.idea}/dismiss", {}),
        ("post", f"/lv/moderation/users/{s.author}/suspend", reason),
        ("post", f"/lv/moderation/users/{s.author}/lift", reason),
    ]


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.LEADER])
def test_role_matrix_refused(scene, app, role):
    client = signed_in(app, None if role is None else person(role=role))
    before = _snapshot()
    for method, url, data in _requests(scene):
        response = getattr(client, method)(url, data=data)
        if role is None:
            assert response.status_code == 302, url
            assert "/account/sign-in" in response.location
        else:
            assert response.status_code == 403, url
    assert _snapshot() == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_role_matrix_allowed(scene, app, role):
    client = signed_in(app, person(role=role))
    for method, url, data in _requests(scene):
        response = getattr(client, method)(url, data=data)
        assert response.status_code in (200, 302), (url, response.status_code)
    # The idea was hidden, then its author suspended and reinstated: it stays hidden.
    assert fresh(Idea, scene.idea).hidden_at is not None
    assert fresh(Comment, scene.comment).hidden_at is not None
    assert fresh(Comment, scene.hidden_comment).hidden_at is None
    assert fresh(Idea, scene.held).awaiting_approval is False
    assert fresh(User, scene.author).suspended_at is None
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert actions == {
        "moderation.hide_idea",
        "moderation.hide_comment",
        "moderation.restore_comment",
        "moderation.approve_idea",
        "moderation.suspend_user",
        "moderation.lift_suspension",
    }


def test_hide_idea_tells_the_author_and_hides_it_everywhere(scene, app, mailbox):
    anonymous = app.test_client()
    assert anonymous.get(f"/lv/ideas/{scene.idea}").status_code == 200
    staff = signed_in(app, person(role=Role.STAFF))

    missing = staff.post(f"/lv/moderation/idea/{scene.idea}/hide", data={"reason": ""})
    assert missing.status_code == 422
    assert "Lūdzu, norādiet iemeslu." in missing.get_data(as_text=True)
    assert fresh(Idea, scene.idea).hidden_at is None

    response = staff.post(
        f"/lv/moderation/idea/{scene.idea}/hide", data={"reason": "Reklāma, nevis priekšlikums"}
    )
    assert response.status_code == 302
    idea = fresh(Idea, scene.idea)
    assert idea.hidden_at is not None and idea.hidden_reason == "Reklāma, nevis priekšlikums"
    report = db.session.scalar(select(Report))
    assert report.status == ReportStatus.RESOLVED and report.handled_by_id is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "moderation.hide_idea"))
    assert entry.target == f"idea:{scene.idea}" and entry.before["hidden_at"] is None
    assert entry.after["hidden_reason"] == "Reklāma, nevis priekšlikums"

    # Nowhere public: idea page, list, list search, map API, Open311, open data.
    assert anonymous.get(f"/lv/ideas/{scene.idea}").status_code == 404
    assert anonymous.get(f"/en/ideas/{scene.idea}").status_code == 404
    for url in ("/lv/ideas/list", "/lv/ideas/list?q=Apgaismojums"):
        assert scene.idea_title not in anonymous.get(url).get_data(as_text=True)
    assert f'/ideas/{scene.idea}"' not in anonymous.get(API).get_data(as_text=True)
    if "open311.request_list" in app.view_functions:
        listing = anonymous.get("/open311/v2/requests.json").get_json()
        assert str(scene.idea) not in {str(r["service_request_id"]) for r in listing}
        assert anonymous.get(f"/open311/v2/requests/{scene.idea}.json").status_code == 404
    if "opendata.ideas_csv" in app.view_functions:
        csv = anonymous.get("/lv/open-data/ideas.csv").get_data(as_text=True)
        assert scene.idea_title not in csv

    # The author hears about it, in English.
    send_pending()
    (message,) = mailbox.to(scene.author_email)
    assert str(message["Subject"]) == "A moderator hid your contribution on Kopā"
    assert "Reason: Reklāma, nevis priekšlikums" in body_text(message)
    assert message["List-Unsubscribe"] is None  # about their own content: always sent

    response = staff.post(f"/lv/moderation/idea/{scene.idea}/restore", data={"reason": "Kļūda"})
    assert response.status_code == 302
    assert anonymous.get(f"/lv/ideas/{scene.idea}").status_code == 200
    send_pending()
    assert len(mailbox.to(scene.author_email)) == 2


def test_hidden_comment_is_not_shown(scene, app, mailbox):
    anonymous = app.test_client()
    assert scene.comment_body in anonymous.get(f"/lv/ideas/{scene.idea}").get_data(as_text=True)
    staff = signed_in(app, person(role=Role.STAFF))
    staff.post(f"/lv/moderation/comment/{scene.comment}/hide", data={"reason": "Aizskaroši"})
    page = anonymous.get(f"/lv/ideas/{scene.idea}").get_data(as_text=True)
    assert scene.comment_body not in page
    assert "Paslēpts komentārs." not in page
    send_pending()  # the commenter is told, in Latvian, with the HTML part too
    (message,) = mailbox.to("komentetajs@example.lv")
    assert str(message["Subject"]) == "Moderators paslēpa jūsu ierakstu Kopā"
    assert "Moderators paslēpa jūsu komentāru pie priekšlikuma" in body_text(message)
    assert "Iemesls: Aizskaroši" in message.get_body(preferencelist=("html",)).get_content()


def test_dismiss_closes_reports_and_keeps_content(scene, app):
    staff = signed_in(app, person(role=Role.STAFF))
    marker = f'data-target="idea-{scene.idea}"'
    assert marker in staff.get("/lv/moderation/").get_data(as_text=True)
    assert staff.post(f"/lv/moderation/idea/{scene.idea}/dismiss").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Report)).status == ReportStatus.DISMISSED
    assert fresh(Idea, scene.idea).hidden_at is None
    assert marker not in staff.get("/lv/moderation/").get_data(as_text=True)


def test_suspension_hides_content_and_blocks_sign_in(scene, app, mailbox):
    author = fresh(User, scene.author)
    authors_client = signed_in(app, author)
    assert authors_client.get("/lv/account/").status_code == 200
    staff = signed_in(app, person(role=Role.STAFF))
    earlier = fresh(Comment, scene.hidden_comment).hidden_at

    response = staff.post(
        f"/lv/moderation/users/{scene.author}/suspend", data={"reason": "Surogātpasts"}
    )
    assert response.status_code == 302
    author = fresh(User, scene.author)
    assert author.suspended_at is not None and author.suspended_reason == "Surogātpasts"
    assert fresh(Idea, scene.idea).hidden_at == author.suspended_at
    assert fresh(Idea, scene.held).hidden_at == author.suspended_at
    assert fresh(Comment, scene.hidden_comment).hidden_at == earlier

    # The open session is dead and signing in again is refused with a clear message.
    assert authors_client.get("/lv/account/").status_code == 302
    refused = app.test_client().post(
        "/en/account/sign-in", data={"email": scene.author_email, "password": PASSWORD}
    )
    assert refused.status_code == 422
    assert "This account is suspended" in refused.get_data(as_text=True)
    assert app.test_client().get(f"/lv/ideas/{scene.idea}").status_code == 404
    send_pending()
    (message,) = mailbox.to(scene.author_email)
    assert "Reason: Surogātpasts" in body_text(message)

    # Lifting it restores what the suspension hid, and only that.
    staff.post(f"/lv/moderation/users/{scene.author}/lift", data={"reason": "Pārpratums"})
    assert fresh(User, scene.author).suspended_at is None
    assert fresh(Idea, scene.idea).hidden_at is None
    assert fresh(Idea, scene.held).hidden_at is None
    assert fresh(Comment, scene.hidden_comment).hidden_at == earlier
    assert app.test_client().get(f"/lv/ideas/{scene.idea}").status_code == 200
    assert signed_in(app, fresh(User, scene.author)).get("/lv/account/").status_code == 200


def test_staff_cannot_suspend_staff_admins_or_themselves(balvu, app):
    staff, other, admin = (person(role=r) for r in (Role.STAFF, Role.STAFF, Role.ADMIN))
    ids = {"staff": staff.id, "other": other.id, "admin": admin.id}
    client = signed_in(app, staff)
    for ident in ids.values():
        response = client.post(f"/lv/moderation/users/{ident}/suspend", data={"reason": "Tests"})
        assert response.status_code == 403
    assert all(fresh(User, ident).suspended_at is None for ident in ids.values())
    # An admin may suspend staff.
    admin_client = signed_in(app, fresh(User, ids["admin"]))
    response = admin_client.post(
        f"/lv/moderation/users/{ids['other']}/suspend", data={"reason": "Tests"}
    )
    assert response.status_code == 302
    assert fresh(User, ids["other"]).suspended_at is not None


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_queue_and_pages_render(scene, app, lang):
    staff = signed_in(app, person(role=Role.STAFF), lang=lang)
    queue = staff.get(f"/{lang}/moderation/").get_data(as_text=True)
    assert scene.idea_title in queue and scene.held_title in queue
    assert ("Moderācijas rinda" if lang == "lv" else "Moderation queue") in queue
    page = staff.get(f"/{lang}/moderation/comment/{scene.comment}")
    assert page.status_code == 200 and scene.comment_body in page.get_data(as_text=True)
    assert staff.get(f"/{lang}/moderation/users/{scene.author}").status_code == 200
    assert staff.get(f"/{lang}/moderation/idea/999999").status_code == 404
