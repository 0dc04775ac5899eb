"""The idea page: what it shows, who sees it, supports, follows, comments, author changes."""

import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.accounts.models import Role, User
from app.ideas.models import Comment, Follow, Idea, IdeaStatus, IdeaStatusChange, Support
from app.ideas.services import COMMENT_EDIT_WINDOW
from app.ideas.status import STATUS_COLOURS, STATUS_LABELS
from tests.factories import create_user, sign_in
from tests.ideas.submit_helpers import (
    category_id,
    make_idea,
    point_in,
    territory_id,
)


@pytest.fixture
def author(balvu):
    return create_user(email="author@example.lv", display_name="Anna Autore")


@pytest.fixture
def idea(author):
    """The idea's ids only: requests end the test's database session, detaching objects."""
    made = make_idea(author, title="Gājēju pāreja pie skolas")
    return SimpleNamespace(id=made.id, author_id=made.author_id)


@pytest.fixture
def visitor(client):
    return client


def as_user(app, user: User):
    client = app.test_client()
    sign_in(client, user)
    return client


def fetch(db, model, key):
    db.session.expire_all()
    return db.session.get(model, key)


# --- what the page shows ------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "status_name"), [("lv", "Iesniegts"), ("en", "Submitted")])
def test_the_page_shows_the_idea_with_open_graph_tags(visitor, idea, lang, status_name):
    response = visitor.get(f"/{lang}/ideas/{idea.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<h1 id="idea-title">Gājēju pāreja pie skolas</h1>' in page
    assert f'class="status-badge status-submitted">{status_name}<' in page
    assert "Anna Autore" in page
    assert '<meta property="og:title" content="Gājēju pāreja pie skolas">' in page
    assert f'<meta property="og:url" content="http://localhost/{lang}/ideas/{idea.id}">' in page
    assert 'id="share-link"' in page
    assert "css/ideas.css" in page
    assert "folium-map" in page  # the small map of the point


def test_anonymous_authors_are_shown_as_residents_of_their_unit(visitor, author):
    idea = make_idea(author, unit="Kubulu pagasts", author_anonymous=True)
    page = visitor.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    assert "Anna Autore" not in page
    assert "Kubulu pagasts" in page


def test_keyboard_path_idea_shows_the_approximate_note(signed_author, db, author):
    data = {
        "title": "Apgaismojums pie baznīcas",
        "description": "Vakaros ceļš pie baznīcas ir pilnīgi tumšs un bīstams.",
        "category": str(category_id()),
        "territory": str(territory_id("Vīksnas pagasts")),
        "place_description": "Ceļš no baznīcas līdz veikalam",
        "submission_token": "keyboard-path-token-1",
    }
    response = signed_author.post("/en/ideas/new", data={**data, "step": "confirm"})
    page = signed_author.get(response.headers["Location"]).get_data(as_text=True)
    assert "The exact place is not on the map" in page
    assert "Ceļš no baznīcas līdz veikalam" in page
    assert "folium-map" not in page


def test_history_shows_the_official_answers_in_the_readers_language(visitor, idea, db):
    db.session.add(
        IdeaStatusChange(
            idea_id=idea.id,
            from_status=IdeaStatus.SUBMITTED,
            to_status=IdeaStatus.UNDER_REVIEW,
            answer="Izskatīsim nākamajā sēdē.",
            answer_en="We will review it at the next meeting.",
            internal_note="Slepena piezīme",
        )
    )
    db.session.execute(
        update(Idea).where(Idea.id == idea.id).values(status=IdeaStatus.UNDER_REVIEW)
    )
    db.session.commit()
    en = visitor.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert "We will review it at the next meeting." in en
    assert "Official answer of the municipality" in en
    assert "status-under_review" in en
    assert "Slepena piezīme" not in en
    lv = visitor.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    assert "Izskatīsim nākamajā sēdē." in lv


def test_status_labels_and_colours_cover_every_status_and_match_the_css():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "app/static/css/ideas.css").read_text()
    for status in IdeaStatus:
        assert status in STATUS_LABELS and status in STATUS_COLOURS
        assert f".status-{status.value} {{ background: {STATUS_COLOURS[status]}; }}" in css


@pytest.mark.parametrize("state", ["hidden_at", "withdrawn_at", "awaiting_approval"])
def test_hidden_withdrawn_and_waiting_ideas_are_404_for_the_public(
    app, visitor, idea, db, author, state
):
    value = True if state == "awaiting_approval" else datetime.now(UTC)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values({state: value}))
    db.session.commit()
    assert visitor.get(f"/lv/ideas/{idea.id}").status_code == 404
    stranger = as_user(app, create_user(email="stranger@example.lv"))
    assert stranger.get(f"/lv/ideas/{idea.id}").status_code == 404
    assert stranger.post(f"/lv/ideas/{idea.id}/support").status_code == 404
    own = as_user(app, fetch(db, User, idea.author_id))
    response = own.get(f"/en/ideas/{idea.id}")
    assert response.status_code == 200
    assert 'class="notice" role="status"' in response.get_data(as_text=True)
    staff = as_user(app, create_user(role=Role.STAFF, email="staff@example.lv"))
    assert staff.get(f"/en/ideas/{idea.id}").status_code == 200


def test_unknown_idea_is_404(visitor, balvu):
    assert visitor.get("/lv/ideas/999999").status_code == 404


def test_report_abuse_links_point_to_the_moderation_route(app, visitor, idea, db):
    if "moderation.report" not in app.view_functions:
        pytest.skip("the moderation feature is not in this tree")
    commenter = as_user(app, create_user(email="c@example.lv"))
    commenter.post(f"/lv/ideas/{idea.id}/comments", data={"body": "Labs priekšlikums"})
    page = visitor.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    comment_id = db.session.scalar(select(Comment.id))
    assert f'href="/lv/moderation/report/idea/{idea.id}"' in page or (
        f"/report/idea/{idea.id}" in page
    )
    assert f"/report/comment/{comment_id}" in page


# --- supports and follows -----------------------------------------------------------------


@pytest.fixture
def signed_author(app, author):
    return as_user(app, author)


def test_support_and_withdraw(app, idea, db):
    resident = as_user(app, create_user(email="r@example.lv"))
    assert resident.post(f"/lv/ideas/{idea.id}/support").status_code == 302
    assert resident.post(f"/lv/ideas/{idea.id}/support").status_code == 302
    assert fetch(db, Idea, idea.id).support_count == 1
    page = resident.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert "Withdraw my support" in page and "1 supporter" in page
    resident.post(f"/lv/ideas/{idea.id}/support", data={"action": "withdraw"})
    assert fetch(db, Idea, idea.id).support_count == 0


def test_supports_are_one_per_user_under_two_concurrent_requests(app, idea, db):
    user = create_user(email="twice@example.lv")
    first = app.test_client()
    sign_in(first, user)
    second = app.test_client()
    for cookie in ("session", "remember_token"):
        found = first.get_cookie(cookie)
        if found is not None:
            second.set_cookie(cookie, found.value)
    barrier = threading.Barrier(2)
    codes = []

    def press(client):
        barrier.wait()
        codes.append(client.post(f"/lv/ideas/{idea.id}/support").status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [302, 302]
    assert db.session.scalar(select(func.count()).select_from(Support)) == 1
    assert fetch(db, Idea, idea.id).support_count == 1


def test_unconfirmed_users_cannot_support(app, idea, db):
    newcomer = as_user(app, create_user(email="u@example.lv", confirmed=False))
    newcomer.post(f"/en/ideas/{idea.id}/support")
    assert fetch(db, Idea, idea.id).support_count == 0


def test_anonymous_visitors_are_sent_to_sign_in(visitor, idea):
    response = visitor.post(f"/lv/ideas/{idea.id}/support")
    assert response.status_code == 302
    assert "/account/sign-in" in response.headers["Location"]


def test_follow_and_unfollow(app, idea, db):
    resident = as_user(app, create_user(email="f@example.lv"))
    resident.post(f"/lv/ideas/{idea.id}/follow")
    resident.post(f"/lv/ideas/{idea.id}/follow")
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 1
    assert "Stop following" in resident.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    resident.post(f"/lv/ideas/{idea.id}/follow", data={"action": "unfollow"})
    assert db.session.scalar(select(func.count()).select_from(Follow)) == 0


# --- comments -----------------------------------------------------------------------------


def test_comments_are_plain_text_with_safe_nofollow_links(app, idea, db):
    # A leader: trusted by the spam guard, so a comment with links is public at once.
    resident = as_user(app, create_user(role=Role.LEADER, email="c@example.lv"))
    body = (
        'Skat. https://balvi.lv/projekti?a=1&b=2. <script>alert("x")</script> '
        '<a href="javascript:alert(1)">klik</a> "https://x.lv/" onmouseover=alert(1)'
    )
    response = resident.post(
        f"/lv/ideas/{idea.id}/comments", data={"body": body, "submission_token": "c" * 24}
    )
    assert response.status_code == 302
    page = resident.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    assert (
        '<a href="https://balvi.lv/projekti?a=1&amp;b=2" rel="nofollow ugc noopener" '
        'target="_blank">https://balvi.lv/projekti?a=1&amp;b=2</a>.'
    ) in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page
    assert fetch(db, Idea, idea.id).comment_count == 1


def test_a_new_accounts_comment_with_a_link_waits_for_approval(app, idea, db, visitor):
    resident = as_user(app, create_user(email="new@example.lv"))
    resident.post(f"/en/ideas/{idea.id}/comments", data={"body": "Skat. https://spam.example"})
    assert "waits for approval" in resident.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert "spam.example" not in visitor.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert fetch(db, Idea, idea.id).comment_count == 0


def test_comment_token_makes_a_double_post_one_comment(app, idea, db):
    resident = as_user(app, create_user(email="c@example.lv"))
    data = {"body": "Atbalstu!", "submission_token": "t" * 24}
    resident.post(f"/lv/ideas/{idea.id}/comments", data=data)
    resident.post(f"/lv/ideas/{idea.id}/comments", data=data)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Please write a comment."), ("x" * 2001, "at most 2,000 characters")],
)
def test_comment_rules_keep_the_text(app, idea, db, body, message):
    resident = as_user(app, create_user(email="c@example.lv"))
    response = resident.post(f"/en/ideas/{idea.id}/comments", data={"body": body})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'id="body-error"' in page
    assert body in page
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_comments_can_be_edited_by_their_author_within_15_minutes(app, idea, db):
    writer = create_user(email="w@example.lv")
    client = as_user(app, writer)
    client.post(f"/en/ideas/{idea.id}/comments", data={"body": "Pirmā versija"})
    comment_id = db.session.scalar(select(Comment.id))
    edit_url = f"/en/ideas/{idea.id}/comments/{comment_id}/edit"
    assert edit_url in client.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, data={"body": "Otrā versija"}).status_code == 302
    assert fetch(db, Comment, comment_id).body == "Otrā versija"
    assert fetch(db, Comment, comment_id).edited_at is not None
    # Another user may not edit it.
    other = as_user(app, create_user(email="o@example.lv"))
    other.post(edit_url, data={"body": "Svešs"})
    assert fetch(db, Comment, comment_id).body == "Otrā versija"
    # After 15 minutes, neither may the author.
    old = datetime.now(UTC) - COMMENT_EDIT_WINDOW - timedelta(seconds=5)
    db.session.execute(update(Comment).values(created_at=old))
    db.session.commit()
    response = client.post(edit_url, data={"body": "Trešā versija"})
    assert response.status_code == 302
    assert fetch(db, Comment, comment_id).body == "Otrā versija"
    assert edit_url not in client.get(f"/en/ideas/{idea.id}").get_data(as_text=True)


def test_staff_comments_are_shown_as_the_municipality(app, idea, db):
    staff = as_user(app, create_user(role=Role.STAFF, email="s@example.lv", display_name="Ieva"))
    staff.post(f"/en/ideas/{idea.id}/comments", data={"body": "Paldies, izskatīsim."})
    assert fetch(db, Comment, db.session.scalar(select(Comment.id))).is_official
    page = staff.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert "comment-official" in page and "Municipality" in page


# --- the author's edit and withdrawal ----------------------------------------------------


def test_author_edits_the_idea_and_moves_it_to_another_parish(signed_author, idea, db):
    url = f"/en/ideas/{idea.id}/edit"
    form = signed_author.get(url).get_data(as_text=True)
    assert 'value="Gājēju pāreja pie skolas"' in form
    lat, lon = point_in("Rugāju pagasts")
    data = {
        "title": "Gājēju pāreja pie Rugāju skolas",
        "description": "Bērniem jāšķērso ceļš bez pārejas, tas ir bīstami.",
        "category": str(category_id("safety")),
        "lat": str(lat),
        "lon": str(lon),
    }
    assert signed_author.post(url, data=data).status_code == 302
    changed = fetch(db, Idea, idea.id)
    assert changed.title == "Gājēju pāreja pie Rugāju skolas"
    assert changed.territory_id == territory_id("Rugāju pagasts")


def test_author_edit_errors_keep_the_values(signed_author, idea, db):
    response = signed_author.post(
        f"/en/ideas/{idea.id}/edit",
        data={"title": "Īss", "description": "x" * 30, "category": "", "lat": "NaN", "lon": "1"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Īss"' in page and 'value="NaN"' in page
    assert "Please choose a category." in page
    assert fetch(db, Idea, idea.id).title == "Gājēju pāreja pie skolas"


def test_only_the_author_may_edit_or_withdraw_and_only_while_submitted(app, idea, db, author):
    stranger = as_user(app, create_user(email="x@example.lv"))
    assert stranger.get(f"/en/ideas/{idea.id}/edit").status_code == 403
    assert stranger.post(f"/en/ideas/{idea.id}/withdraw").status_code == 403
    staff = as_user(app, create_user(role=Role.STAFF, email="st@example.lv"))
    assert staff.get(f"/en/ideas/{idea.id}/edit").status_code == 403
    db.session.execute(
        update(Idea).where(Idea.id == idea.id).values(status=IdeaStatus.UNDER_REVIEW)
    )
    db.session.commit()
    own = as_user(app, fetch(db, User, idea.author_id))
    assert own.get(f"/en/ideas/{idea.id}/edit").status_code == 403
    assert own.post(f"/en/ideas/{idea.id}/withdraw").status_code == 403
    assert "Withdraw the idea" not in own.get(f"/en/ideas/{idea.id}").get_data(as_text=True)


def test_author_withdraws_the_idea(signed_author, visitor, idea, db):
    assert "Withdraw the idea" in signed_author.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert signed_author.post(f"/en/ideas/{idea.id}/withdraw").status_code == 302
    assert fetch(db, Idea, idea.id).withdrawn_at is not None
    assert visitor.get(f"/en/ideas/{idea.id}").status_code == 404
    page = signed_author.get(f"/en/ideas/{idea.id}").get_data(as_text=True)
    assert "This idea is withdrawn." in page
    # Withdrawn is final: no second withdrawal, no edit.
    assert signed_author.post(f"/en/ideas/{idea.id}/withdraw").status_code == 403
