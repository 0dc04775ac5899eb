"""A new account's first ideas and comments with links wait for a moderator."""

from datetime import UTC, datetime, timedelta

import pytest

from app.accounts.models import Role
from app.extensions import db
from app.ideas.services import add_comment
from app.moderation.services import contains_link, needs_approval
from tests.factories import create_idea
from tests.moderation.helpers import content, person, signed_in

API = "/api/v1/ideas.geojson?bbox=27.0,57.0,27.6,57.3&zoom=18"
LINK = "Lētas preces te: http://lēti.example.com/akcija"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Skatiet https://balvi.lv/projekti", True),
        ("Vairāk www.example.org", True),
        ("Pierakstieties lapā kopa-spam.ru tūlīt", True),
        ("Vajag soliņus pie ezera, lūdzu.", False),
        ("Termiņš ir 1.5. un 2.6.; izmaksas ap 3.50 eiro.", False),
        ("", False),
    ],
)
def test_contains_link(text, expected):
    assert contains_link(text) is expected


def test_who_needs_approval(balvu):
    new = person(new=True)
    assert needs_approval(new, LINK) is True
    assert needs_approval(new, "Bez saitēm, tikai teksts par ceļu.") is False

    old = person()  # older than a day but nothing approved yet
    assert needs_approval(old, LINK) is True
    for n in range(3):
        create_idea(title=f"Priekšlikums {n + 1}", author=old)
    assert needs_approval(old, LINK) is False

    # A young account stays "new" however many ideas it has.
    for n in range(3):
        create_idea(title=f"Jauns priekšlikums {n + 1}", author=new)
    assert needs_approval(new, LINK) is True
    later = datetime.now(UTC) + timedelta(hours=25)
    assert needs_approval(new, LINK, now=later) is False

    assert needs_approval(person(role=Role.LEADER, new=True), LINK) is False
    assert needs_approval(person(role=Role.STAFF, new=True), LINK) is False
    assert needs_approval(None, LINK) is False


def test_new_accounts_idea_with_a_link_is_held(balvu, app):
    from app.categories.models import Category
    from app.ideas.services import NewIdea
    from app.ideas.services import create_idea as service_create_idea

    new = person(new=True)
    category = db.session.query(Category.id).filter_by(slug="other").scalar()
    held = service_create_idea(
        NewIdea(
            title="Lētas preces visiem",
            description=f"Nopērciet lēti. {LINK}",
            category_id=category,
            lon=27.26583,
            lat=57.1313,
        ),
        new,
    )
    plain = service_create_idea(
        NewIdea(
            title="Soliņi pie ezera",
            description="Gar ezera krastu vajadzētu dažus soliņus atpūtai.",
            category_id=category,
            lon=27.26583,
            lat=57.1313,
        ),
        new,
    )
    db.session.commit()
    assert held.awaiting_approval is True and not held.is_public
    assert plain.awaiting_approval is False

    anonymous = app.test_client()
    assert anonymous.get(f"/lv/ideas/{held.id}").status_code == 404
    assert "Lētas preces" not in anonymous.get("/lv/ideas/list").get_data(as_text=True)
    api = anonymous.get(API).get_data(as_text=True)
    assert f'/ideas/{held.id}"' not in api and f'/ideas/{plain.id}"' in api

    # Staff approve it from the queue; then everyone sees it.
    staff = signed_in(app, person(role=Role.STAFF))
    queue = staff.get("/lv/moderation/").get_data(as_text=True)
    assert f'data-target="idea-{held.id}"' in queue
    response = staff.post(f"/lv/moderation/idea/{held.id}/approve", data={"next": "queue"})
    assert response.status_code == 302 and response.location.endswith("/lv/moderation/")
    db.session.expire_all()
    assert held.awaiting_approval is False
    assert anonymous.get(f"/lv/ideas/{held.id}").status_code == 200
    from app.audit import AuditEntry

    entry = db.session.query(AuditEntry).filter_by(action="moderation.approve_idea").one()
    assert entry.target == f"idea:{held.id}" and entry.before["awaiting_approval"] is True


def test_new_accounts_comment_with_a_link_is_held(balvu, app):
    idea, _comment = content()
    new = person(new=True)
    held = add_comment(idea, new, f"Skatiet šeit: {LINK}")
    fine = add_comment(idea, new, "Labs priekšlikums, atbalstu.")
    db.session.commit()
    assert held.awaiting_approval is True
    assert fine.awaiting_approval is False
    page = app.test_client().get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    assert "lēti.example.com" not in page
    assert "Labs priekšlikums, atbalstu." in page
