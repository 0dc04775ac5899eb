"""The staff participation dashboard in a browser: map, chart and tables pass axe-core."""

import re

import pytest

from app.accounts.models import Role
from app.ideas.models import IdeaChannel
from tests.e2e.helpers import assert_accessible, foreign_requests
from tests.factories import PASSWORD, create_user
from tests.staff.helpers import make_idea

pytestmark = pytest.mark.e2e

LABELS = {
    "lv": ("E-pasts", "Parole", "Pieslēgties", "Periods", "Līdzdalība"),
    "en": ("E-mail", "Password", "Sign in", "Period", "Participation"),
}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_participation_dashboard_is_accessible_and_filters(page, live_server, balvu, lang):
    email, password, sign_in, period, heading = LABELS[lang]
    staff = create_user(Role.STAFF, display_name="Ilze Kalniņa")
    make_idea(create_user(), unit="Balvi")
    make_idea(None, unit="Viļaka", channel=IdeaChannel.PAPER, entered_by_id=staff.id)
    page.goto(f"/{lang}/account/sign-in")
    page.get_by_label(email).fill(staff.email)
    page.get_by_label(password).fill(PASSWORD)
    page.get_by_role("button", name=sign_in).click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))
    page.goto(f"/{lang}/staff/participation")
    page.get_by_role("heading", level=1, name=heading).wait_for()
    page.wait_for_function("document.querySelectorAll('.leaflet-overlay-pane path').length === 21")
    assert page.locator("tr[data-not-heard]").count() == 19
    assert_accessible(page)
    page.get_by_label(period).select_option("all")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"period=all"))
    assert page.locator("tr[data-not-heard]").count() == 19
    assert foreign_requests(page, live_server) == []
    assert page.console_errors == []
