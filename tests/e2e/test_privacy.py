"""My data and account deletion in the browser: zero axe-core violations in lv and en, the
download works, and deleting signs the resident out."""

import json

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.privacy.services import placeholder_email
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_user

pytestmark = pytest.mark.e2e

TEXTS = {
    "lv": {
        "password": "Jūsu parole",
        "continue": "Turpināt",
        "json": "Lejupielādēt JSON formātā",
        "confirm": "Es saprotu",
        "delete": "Dzēst manu kontu neatgriezeniski",
        "deleted": "Jūsu konts un jūsu personas dati ir dzēsti.",
        "sign_in": "Pieslēgties",
    },
    "en": {
        "password": "Your password",
        "continue": "Continue",
        "json": "Download as JSON",
        "confirm": "I understand",
        "delete": "Delete my account for good",
        "deleted": "Your account and your personal data are deleted.",
        "sign_in": "Sign in",
    },
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_my_data_and_deletion_pages(page, live_server, db, lang):
    text = TEXTS[lang]
    user = create_user(email=f"privacy-{lang}@example.lv", locale=lang)
    page.goto(f"/{lang}/account/sign-in")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name=text["sign_in"]).click()
    page.wait_for_url(f"**/{lang}/")

    page.goto(f"/{lang}/account/privacy/")
    assert_accessible(page)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_role("button", name=text["continue"]).click()
    link = page.get_by_role("link", name=text["json"])
    link.wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert document["data"]["users"][0]["email"] == user.email

    page.goto(f"/{lang}/account/privacy/delete")
    assert_accessible(page)
    page.get_by_role("button", name=text["delete"]).click()  # nothing filled in
    page.locator(".error-summary").wait_for()
    assert_accessible(page)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_label(text["confirm"]).check()
    page.get_by_role("button", name=text["delete"]).click()
    page.get_by_text(text["deleted"]).wait_for()
    assert foreign_requests(page, live_server) == []
    db.session.expire_all()
    stored = db.session.scalar(select(User).where(User.id == user.id))
    assert stored.email == placeholder_email(user.id)
