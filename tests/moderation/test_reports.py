"""Anyone signed in can report an idea or a comment; per-account limits apply."""

from sqlalchemy import func, select

from app.extensions import db
from app.moderation.models import Report, ReportKind, ReportReason, ReportStatus
from tests.moderation.helpers import content, person, signed_in


def _reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


def test_anonymous_is_sent_to_sign_in(balvu, app):
    idea_id = content()[0].id
    client = app.test_client()
    for method in (client.get, client.post):
        response = method(f"/lv/moderation/report/idea/{idea_id}", data={"reason": "spam"})
        assert response.status_code == 302
        assert "/lv/account/sign-in" in response.location
    assert _reports() == 0


def test_report_an_idea_and_a_comment(balvu, app):
    idea, comment = content()
    idea_id, title, comment_id = idea.id, idea.title, comment.id
    reporter = person(email="zinotajs@example.lv")
    reporter_id = reporter.id
    client = signed_in(app, reporter)
    form = client.get(f"/en/moderation/report/idea/{idea_id}")
    assert form.status_code == 200
    assert "Report an idea" in form.get_data(as_text=True)
    assert title in form.get_data(as_text=True)

    response = client.post(
        f"/en/moderation/report/idea/{idea_id}",
        data={"reason": "offensive", "details": "Aizskaroši vārdi."},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/en/ideas/{idea_id}")
    # Reporting the same thing again while it is open adds nothing.
    client.post(f"/en/moderation/report/idea/{idea_id}", data={"reason": "spam"})
    response = client.post(f"/lv/moderation/report/comment/{comment_id}", data={"reason": "spam"})
    assert response.status_code == 302

    reports = db.session.scalars(select(Report).order_by(Report.id)).all()
    assert [(r.kind, r.reason, r.status) for r in reports] == [
        (ReportKind.IDEA, ReportReason.OFFENSIVE, ReportStatus.OPEN),
        (ReportKind.COMMENT, ReportReason.SPAM, ReportStatus.OPEN),
    ]
    assert reports[0].details == "Aizskaroši vārdi." and reports[0].reporter_id == reporter_id


def test_bad_input_is_explained_and_kept(balvu, app):
    idea_id = content()[0].id
    client = signed_in(app, person())
    response = client.post(
        f"/lv/moderation/report/idea/{idea_id}", data={"details": "Te ir reklāma."}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Lūdzu, izvēlieties, kas ir nepareizi." in page
    assert "Te ir reklāma." in page
    response = client.post(
        f"/lv/moderation/report/idea/{idea_id}", data={"reason": "spam", "details": "x" * 1001}
    )
    assert response.status_code == 422
    assert "ne vairāk kā 1000 rakstzīmju" in response.get_data(as_text=True)
    assert (
        client.post(
            f"/lv/moderation/report/idea/{idea_id}", data={"reason": "nonsense"}
        ).status_code
        == 422
    )
    assert _reports() == 0


def test_unknown_or_hidden_targets_are_not_found(balvu, app):
    idea, comment = content()
    idea_id, comment_id = idea.id, comment.id
    comment.hidden_at = db.func.now()
    db.session.commit()
    client = signed_in(app, person())
    assert client.get("/lv/moderation/report/idea/999999").status_code == 404
    assert client.get(f"/lv/moderation/report/user/{idea_id}").status_code == 404
    assert client.get(f"/lv/moderation/report/comment/{comment_id}").status_code == 404
    assert client.get(f"/lv/moderation/report/idea/{idea_id}").status_code == 200


def test_reports_per_account_are_limited(balvu, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_PER_HOUR", 2)
    from tests.factories import create_idea

    ideas = [create_idea(title=f"Priekšlikums {n + 1}").id for n in range(3)]
    other_user = person()
    client = signed_in(app, person())
    for idea in ideas[:2]:
        assert (
            client.post(f"/lv/moderation/report/idea/{idea}", data={"reason": "spam"}).status_code
            == 302
        )
    response = client.post(f"/lv/moderation/report/idea/{ideas[2]}", data={"reason": "spam"})
    assert response.status_code == 429
    assert "Lūdzu, mēģiniet vēlāk" in response.get_data(as_text=True)
    assert _reports() == 2
    # Another account is not affected.
    other = signed_in(app, other_user)
    assert (
        other.post(f"/lv/moderation/report/idea/{ideas[2]}", data={"reason": "spam"}).status_code
        == 302
    )
    assert _reports() == 3
