"""Administrators manage idea categories; everyone else is refused and changes nothing."""

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role
from app.audit import AuditEntry
from app.categories.models import Category
from app.categories.services import slug_from
from tests.factories import create_idea, create_user, sign_in, territory


@pytest.fixture
def admin(balvu):
    return create_user(Role.ADMIN, display_name="Administrators Andris")


def category(db, slug: str) -> Category | None:
    db.session.expire_all()
    return db.session.scalar(select(Category).where(Category.slug == slug))


def ordered_slugs(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Category.slug).order_by(Category.position)))


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_slugs_are_made_from_names():
    assert slug_from("Water supply") == "water-supply"
    assert slug_from("Ūdens  saimniecība!") == "udens-saimnieciba"
    assert slug_from("  --  ") == ""


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_list_shows_every_category_with_its_ideas(client, db, admin, lang):
    create_idea(category="roads")
    sign_in(client, admin)
    response = client.get(f"/{lang}/admin/categories")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ceļi un ielas" in page and "Roads and streets" in page
    assert "<code>public-space</code>" in page
    assert ("Pievienot kategoriju" if lang == "lv" else "Add a category") in page


def test_an_admin_adds_a_category_that_residents_can_then_choose(client, db, admin):
    sign_in(client, admin)
    response = client.post(
        "/en/admin/categories",
        data={"name": "Ūdenssaimniecība", "name_en": "Water supply", "slug": ""},
    )
    assert response.status_code == 302
    added = category(db, "water-supply")
    assert added.name == "Ūdenssaimniecība" and added.active
    assert ordered_slugs(db)[-1] == "water-supply"
    assert audit_actions(db) == ["category.create"]

    resident = create_user(email="resident@example.lv")
    client.post("/lv/account/sign-out")
    sign_in(client, resident)
    assert "Ūdenssaimniecība" in client.get("/lv/ideas/new").get_data(as_text=True)


def test_bad_input_is_explained_and_kept(client, db, admin):
    sign_in(client, admin)
    response = client.post(
        "/en/admin/categories",
        data={"name": "X", "name_en": "Roads again", "slug": "roads"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A name must be 2 to 120 characters long." in page
    assert "Another category already has this short name." in page
    assert 'value="Roads again"' in page
    response = client.post(
        "/lv/admin/categories",
        data={"name": "Ūdens", "name_en": "Water", "slug": "Ūdens saimniecība"},
    )
    assert response.status_code == 422
    assert "mazos latīņu burtus" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Category)) == 10
    assert audit_actions(db) == []


def test_renaming_and_retiring_keeps_the_ideas_but_takes_no_new_ones(client, db, admin):
    idea = create_idea(category="other")
    sign_in(client, admin)
    other = category(db, "other")
    response = client.post(
        f"/lv/admin/categories/{other.id}",
        data={"name": "Dažādi", "name_en": "Miscellaneous"},  # "active" unticked
    )
    assert response.status_code == 302
    other = category(db, "other")
    assert (other.name, other.name_en, other.active) == ("Dažādi", "Miscellaneous", False)
    assert audit_actions(db) == ["category.update"]

    assert "Dažādi" in client.get(f"/lv/ideas/{idea.id}").get_data(as_text=True)
    new_form = client.get("/lv/ideas/new").get_data(as_text=True)
    assert "Dažādi" not in new_form.split('name="category"', 1)[1].split("</select>", 1)[0]
    services = client.get("/open311/v2/services.json").get_json()
    assert "other" not in {service["service_code"] for service in services}

    client.post(
        f"/lv/admin/categories/{other.id}",
        data={"name": "Dažādi", "name_en": "Miscellaneous", "active": "y"},
    )
    assert category(db, "other").active


def test_an_empty_name_on_edit_is_refused_and_kept(client, db, admin):
    sign_in(client, admin)
    roads = category(db, "roads")
    response = client.post(
        f"/en/admin/categories/{roads.id}", data={"name": "", "name_en": "Streets", "active": "y"}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please enter the name of the category." in page and 'value="Streets"' in page
    assert category(db, "roads").name == "Ceļi un ielas"


def test_moving_changes_the_order_everywhere(client, db, admin):
    sign_in(client, admin)
    before = ordered_slugs(db)
    second = category(db, before[1])
    assert client.post(
        f"/lv/admin/categories/{second.id}/move", data={"direction": "up"}
    ).status_code == (302)
    assert ordered_slugs(db)[:2] == [before[1], before[0]]
    # At the top already: nothing moves, nothing is logged.
    client.post(f"/lv/admin/categories/{second.id}/move", data={"direction": "up"})
    assert ordered_slugs(db)[:2] == [before[1], before[0]]
    assert audit_actions(db) == ["category.move"]
    assert client.post(
        f"/lv/admin/categories/{second.id}/move", data={"direction": "sideways"}
    ).status_code == (400)
    page = client.get("/lv/ideas/new").get_data(as_text=True)
    _, _, rest = page.partition(category(db, before[1]).name)
    assert category(db, before[0]).name in rest


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.LEADER, Role.STAFF])
def test_everyone_but_admins_is_refused_and_changes_nothing(client, db, admin, role):
    if role is not None:
        user = create_user(role, territories=[territory("Balvi")] if role == Role.LEADER else None)
        sign_in(client, user)
    roads_id = category(db, "roads").id
    requests = [
        ("GET", "/lv/admin/categories", None),
        ("POST", "/lv/admin/categories", {"name": "Jauna", "name_en": "New", "slug": "new"}),
        ("GET", f"/lv/admin/categories/{roads_id}", None),
        ("POST", f"/lv/admin/categories/{roads_id}", {"name": "Cits", "name_en": "Other"}),
        ("POST", f"/lv/admin/categories/{roads_id}/move", {"direction": "down"}),
    ]
    for method, url, data in requests:
        response = client.open(url, method=method, data=data)
        assert response.status_code == (302 if role is None else 403), url
    roads = category(db, "roads")
    assert (roads.name, roads.active, roads.position) == ("Ceļi un ielas", True, 0)
    assert category(db, "new") is None
    assert audit_actions(db) == []
