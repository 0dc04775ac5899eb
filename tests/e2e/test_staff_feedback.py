"""Staff answer an idea and adopt it; the resident sees the answer and the feedback page."""

import re

import pytest

from app import audit
from app.accounts.models import Role
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_user
from tests.staff.helpers import make_idea

pytestmark = pytest.mark.e2e

TEXT = {
    "lv": {
        "email": "E-pasts",
        "password": "Parole",
        "sign_in": "Pieslēgties",
        "sign_out": "Atslēgties",
        "status": "Jaunais statuss",
        "answer": "Publiskā atbilde latviski",
        "answer_en": "Publiskā atbilde angliski (nav obligāta)",
        "save": "Saglabāt statusu un publicēt atbildi",
        "under_review": "Statuss tagad ir “Izskatīšanā”.",
        "adopted": "Statuss tagad ir “Atbalstīts”.",
        "feedback": "Ko jūs ieteicāt, ko mēs darījām",
    },
    "en": {
        "email": "E-mail",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "status": "New status",
        "answer": "Public answer in Latvian",
        "answer_en": "Public answer in English (optional)",
        "save": "Save the status and publish the answer",
        "under_review": "The status is now “Under review”.",
        "adopted": "The status is now “Adopted”.",
        "feedback": "You said, we did",
    },
}


def _sign_in(page, lang, user):
    text = TEXT[lang]
    page.goto(f"/{lang}/account/sign-in")
    page.get_by_label(text["email"]).fill(user.email)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_role("button", name=text["sign_in"]).click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def _answer(page, lang, status, answer, answer_en, flash):
    text = TEXT[lang]
    page.get_by_label(text["status"]).select_option(status)
    page.get_by_label(text["answer"], exact=True).fill(answer)
    page.get_by_label(text["answer_en"]).fill(answer_en)
    page.get_by_role("button", name=text["save"]).click()
    page.get_by_text(flash).wait_for()


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_staff_answer_and_adopt_resident_sees_it(page, live_server, balvu, lang):
    text = TEXT[lang]
    clerk = create_user(Role.STAFF, display_name="Ilze Kalniņa", locale=lang)
    resident = create_user(display_name="Jānis Ozols", locale=lang)
    idea = make_idea(resident, title="Soliņi pie Balvu ezera")
    idea_id = idea.id

    _sign_in(page, lang, clerk)
    page.goto(f"/{lang}/staff/")
    row = page.locator(f'tr[data-idea-id="{idea_id}"]')
    row.wait_for()
    assert_accessible(page)
    row.get_by_role("link", name="Soliņi pie Balvu ezera").click()
    page.wait_for_url(re.compile(rf"/{lang}/staff/ideas/{idea_id}$"))
    assert_accessible(page)

    _answer(
        page,
        lang,
        "under_review",
        "Paldies! Izskatīsim nākamajā komitejas sēdē.",
        "Thank you! We will look at it at the next committee meeting.",
        text["under_review"],
    )
    _answer(
        page,
        lang,
        "adopted",
        "Soliņus uzstādīsim jūnijā.",
        "We will put up the benches in June.",
        text["adopted"],
    )
    assert_accessible(page)  # the page after saving, with its history
    page.get_by_role("button", name=text["sign_out"]).click()

    _sign_in(page, lang, resident)
    page.goto(f"/{lang}/ideas/{idea_id}")
    expected = (
        "Soliņus uzstādīsim jūnijā." if lang == "lv" else "We will put up the benches in June."
    )
    page.get_by_text(expected).wait_for()
    page.goto(f"/{lang}/feedback")
    page.get_by_role("heading", level=1, name=text["feedback"]).wait_for()
    listed = page.locator(f'.feedback-ideas li[data-idea-id="{idea_id}"]')
    assert "Soliņi pie Balvu ezera" in listed.inner_text()
    assert expected in listed.inner_text()
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 21")
    assert_accessible(page)
    assert foreign_requests(page, live_server) == []
    assert page.console_errors == []


def test_admin_pages_are_accessible(page, live_server, balvu):
    admin = create_user(Role.ADMIN, display_name="Anna Admine")
    create_user(Role.LEADER, display_name="Laura Līdere")
    audit.record(admin, "user.role_change", "user:2", {"role": "resident"}, {"role": "leader"})
    balvu.session.commit()
    for lang in ("lv", "en"):
        _sign_in(page, lang, admin)
        for path in ("/admin/audit", "/admin/roles", "/admin/roles/2", "/staff/programme-tasks"):
            page.goto(f"/{lang}{path}")
            page.get_by_role("heading", level=1).wait_for()
            assert_accessible(page)
        page.get_by_role("button", name=TEXT[lang]["sign_out"]).click()
    assert foreign_requests(page, live_server) == []


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_feedback_page_fits_a_phone_screen(page, live_server, balvu, lang):
    """The wide table of units scrolls inside its own region, never the whole page sideways."""
    make_idea(None, title="Soliņi pie ezera", status="adopted")
    page.goto(f"/{lang}/feedback")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
