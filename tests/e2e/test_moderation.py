"""A resident reports an idea; staff find it in the moderation queue and hide it.
axe-core checks the report form and the queue in both languages."""

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.ideas.models import Idea
from app.moderation.models import Report
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_idea, create_user

pytestmark = pytest.mark.e2e

TEXT = {
    "lv": {
        "email": "E-pasts",
        "password": "Parole",
        "sign_in": "Pieslēgties",
        "sign_out": "Atslēgties",
        "reason": "Surogātpasts vai reklāma",
        "details": "Sīkāka informācija (nav obligāta)",
        "send": "Nosūtīt ziņojumu",
        "thanks": "Paldies! Moderators to izskatīs.",
        "queue": "Moderācijas rinda",
        "hide_reason": "Iemesls",
        "hide": "Paslēpt",
        "hidden": "Paslēpts. Autoram ir paziņots iemesls.",
    },
    "en": {
        "email": "E-mail",
        "password": "Password",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "reason": "Spam or advertising",
        "details": "Details (optional)",
        "send": "Send the report",
        "thanks": "Thank you. A moderator will look at it.",
        "queue": "Moderation queue",
        "hide_reason": "Reason",
        "hide": "Hide",
        "hidden": "Hidden. The author has been told why.",
    },
}


def _sign_in(page, lang, email):
    t = TEXT[lang]
    page.goto(f"/{lang}/account/sign-in")
    page.get_by_label(t["email"]).fill(email)
    page.get_by_label(t["password"]).fill(PASSWORD)
    page.get_by_role("button", name=t["sign_in"]).click()
    page.wait_for_url(f"**/{lang}/")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_then_hide_from_the_queue(page, live_server, balvu, mailbox, lang):
    t = TEXT[lang]
    author = create_user(email="autors@example.lv")
    idea_id = create_idea(title="Lētas preces katru dienu", author=author).id
    create_user(email="iedzivotajs@example.lv")
    create_user(role=Role.STAFF, email="darbinieks@example.lv")

    _sign_in(page, lang, "iedzivotajs@example.lv")
    page.goto(f"/{lang}/moderation/report/idea/{idea_id}")
    page.get_by_text("Lētas preces katru dienu").first.wait_for()
    # Sending without a reason explains what is missing and keeps the details.
    page.get_by_label(t["details"]).fill("Reklāma, nevis priekšlikums.")
    page.get_by_role("button", name=t["send"]).click()
    page.locator(".error-summary").wait_for()
    assert page.get_by_label(t["details"]).input_value() == "Reklāma, nevis priekšlikums."
    assert_accessible(page)
    page.get_by_label(t["reason"]).check()
    page.get_by_role("button", name=t["send"]).click()
    page.get_by_text(t["thanks"]).wait_for()
    assert db.session.scalar(select(Report.idea_id)) == idea_id

    page.get_by_role("button", name=t["sign_out"]).click()
    _sign_in(page, lang, "darbinieks@example.lv")
    page.goto(f"/{lang}/moderation/")
    page.get_by_role("heading", name=t["queue"]).wait_for()
    assert_accessible(page)
    page.locator(f'[data-target="idea-{idea_id}"] a').click()
    assert_accessible(page)
    page.get_by_label(t["hide_reason"]).fill("Reklāma")
    page.get_by_role("button", name=t["hide"], exact=True).click()
    page.get_by_text(t["hidden"]).wait_for()
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).hidden_at is not None
    assert foreign_requests(page, live_server) == []
    # Only the deliberately incomplete report answered 422.
    assert [e for e in page.console_errors if "422" not in e] == []
