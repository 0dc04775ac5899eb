"""A leader types in the ideas of a workshop one after another, in a real browser."""

import re

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.ideas.models import Idea, IdeaChannel
from tests.e2e.helpers import assert_accessible, assert_focus_on, foreign_requests
from tests.factories import PASSWORD, create_user, territory

pytestmark = pytest.mark.e2e

NOTE = "Tilžas attīstības diena"


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_leader_records_a_workshop_batch(page, live_server, db, balvu, lang):
    tilza = territory("Tilžas pagasts").id
    create_user(
        role=Role.LEADER,
        email="leader@example.lv",
        display_name="Anna Kopiena",
        territories=[territory("Tilžas pagasts")],
    )
    page.goto(f"/{lang}/account/sign-in")
    page.locator("#email").fill("leader@example.lv")
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))

    page.goto(f"/{lang}/ideas/record")
    assert_accessible(page)
    # The form opens with the channel focused, ready for typing.
    assert_focus_on(page, "#channel")

    # A slip: too short a title. The error is announced and what was typed stays.
    page.locator("#collected_note").fill(NOTE)
    page.locator("#title").fill("Hm")
    page.locator("#description").fill("Pie skolas rītos ir tumšs; vajag laternas ceļa malā.")
    page.locator("#category").select_option(index=1)
    page.locator("#territory").select_option(value=str(tilza))
    page.locator("#place_description").fill("Pie Tilžas skolas")
    page.locator("#place_description").press("Enter")
    page.wait_for_selector("#error-summary")
    assert_accessible(page)
    assert page.locator("#description").input_value().startswith("Pie skolas")
    assert page.locator("#collected_note").input_value() == NOTE

    page.locator("#title").fill("Laternas pie Tilžas skolas")
    page.locator("#title").press("Enter")
    page.wait_for_selector(".flash, [role=status], .messages")
    # Ready for the next idea of the same workshop.
    assert page.locator("#collected_note").input_value() == NOTE
    assert page.locator("#title").input_value() == ""
    assert "Laternas pie Tilžas skolas" in page.locator("main").inner_text()
    assert_accessible(page)
    assert not foreign_requests(page, live_server)

    db.session.remove()
    idea = db.session.scalar(select(Idea))
    assert idea.channel == IdeaChannel.WORKSHOP and idea.author_id is None
    assert idea.collected_note == NOTE
