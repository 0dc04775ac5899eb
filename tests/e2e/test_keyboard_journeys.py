"""Keyboard-only journeys: adding an idea and answering a survey (its map question by the
path without the map). After the page loads, only the keyboard is used: Tab and Shift+Tab to
move, typing, arrow keys in lists and radio groups, Space for check boxes, Enter to follow
links and send forms. Where focus is, and that it is visible, is checked at every step."""

import re

import pytest

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.surveys.models import Answer
from tests.e2e.helpers import (
    assert_accessible,
    assert_focus_on,
    assert_focus_visible,
    tab_to,
)
from tests.factories import create_user, territory
from tests.surveys.helpers import every_kind_survey

pytestmark = pytest.mark.e2e

IDEA_TEXTS = {
    "lv": {
        "title_error": "Nosaukumam jābūt no 5 līdz 120 rakstzīmēm garam.",
        "published": "Paldies! Jūsu priekšlikums ir publicēts.",
        "approximate": "Precīza vieta kartē nav atzīmēta",
    },
    "en": {
        "title_error": "The title must be 5 to 120 characters long.",
        "published": "Thank you! Your idea is published.",
        "approximate": "The exact place is not on the map",
    },
}


def keyboard_sign_in(page, lang: str, email: str) -> None:
    page.set_default_timeout(30_000)  # a busy machine: allow slow loads, fail on real stalls
    page.goto(f"/{lang}/account/sign-in")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password", limit=1)
    page.keyboard.type("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def skip_to_main(page) -> None:
    """The first Tab reaches the skip link; Enter puts focus on the main content."""
    tab_to(page, "a.skip-link", limit=1)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert_focus_on(page, "main")


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_adding_an_idea_with_the_keyboard_only(page, live_server, balvu, lang):
    create_user(email="janis@example.lv")
    texts = IDEA_TEXTS[lang]
    keyboard_sign_in(page, lang, "janis@example.lv")
    page.goto(f"/{lang}/ideas/new")

    skip_to_main(page)
    assert tab_to(page, "#title", limit=2) == 1  # the form's first field comes first
    assert_focus_visible(page)
    page.keyboard.type("Ak")  # too short: the answer comes back with an error
    tab_to(page, "#description", limit=1)
    page.keyboard.type("Pie skolas vakaros ir pārāk tumšs, vajag apgaismojumu.")
    # On to the button, past the category, the map and its controls: nothing traps focus.
    tab_to(page, "form.idea-form button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")

    # The error summary takes focus; its link leads to the field, which kept what was typed.
    page.get_by_text(texts["title_error"]).first.wait_for()
    assert_focus_on(page, "#error-summary")
    assert page.locator("#description").input_value().startswith("Pie skolas vakaros")
    assert_accessible(page)
    tab_to(page, "#error-summary a[href='#title']", limit=3)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    assert_focus_on(page, "#title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Apgaismojums pie skolas")

    tab_to(page, "#category", limit=2)
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")  # the first category
    # The place without the map: the territorial unit and words.
    tab_to(page, "#territory")
    assert_focus_visible(page)
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.locator("#territory").input_value() != ""
    tab_to(page, "#place_description", limit=1)
    page.keyboard.type("Ceļš starp skolu un bibliotēku")
    # Shift+Tab goes back the same way: the unit is still chosen.
    tab_to(page, "#territory", limit=1, backwards=True)
    tab_to(page, "form.idea-form button[type=submit]")
    page.keyboard.press("Enter")

    page.get_by_text(texts["published"]).wait_for()
    assert page.get_by_text(texts["approximate"]).is_visible()
    assert page.get_by_text("Ceļš starp skolu un bibliotēku").is_visible()
    assert page.locator("#lat").count() == 0
    assert_accessible(page)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_answering_a_survey_with_the_keyboard_only(page, live_server, balvu, lang):
    leader = create_user(email="lidere@example.lv")
    survey = every_kind_survey(leader, [territory("Balvi")])
    q = {kind: question.id for kind, question in survey.q.items()}
    balvu.session.commit()
    page.set_default_timeout(30_000)
    page.goto(f"/{lang}/surveys/{survey.id}")

    skip_to_main(page)
    # Single choice: Tab enters the radio group, the arrow keys choose.
    tab_to(page, f"input[name=q{q['single']}]")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    # Multiple choice: Tab from box to box, Space ticks.
    tab_to(page, f"input[name=q{q['multiple']}]", limit=1)
    assert_focus_visible(page)
    page.keyboard.press("Space")
    # Scale: one Tab to the group (on 1), arrows on to 4.
    tab_to(page, f"input[name=q{q['scale']}]")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    tab_to(page, f"#q{q['number']}", limit=1)
    page.keyboard.type("12,5")
    tab_to(page, f"#q{q['short_text']}")
    page.keyboard.type("Kluss")
    tab_to(page, f"#q{q['long_text']}", limit=1)
    page.keyboard.type("Vairāk soliņu")
    # The map question without the map: past the map, the unit from the list.
    tab_to(page, f"#q{q['map_point']}_territory")
    assert_focus_visible(page)
    page.keyboard.press("ArrowDown")
    chosen_unit = page.locator(f"#q{q['map_point']}_territory").input_value()
    assert chosen_unit != ""
    # Ranking: a place for each option.
    for place, option in zip(("2", "3", "1"), survey.q["ranking"].options, strict=True):
        tab_to(page, f"#q{q['ranking']}_{option.id}", limit=2)
        page.keyboard.type(place)  # typing selects the option that starts with it
        assert page.locator(f"#q{q['ranking']}_{option.id}").input_value() == place
    tab_to(page, "form.survey-form button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{lang}/surveys/{survey.id}/thanks")

    balvu.session.expire_all()
    answers = {a.question_id: a for a in balvu.session.query(Answer)}
    assert answers[q["map_point"]].value["territory_id"] == int(chosen_unit)
    assert answers[q["map_point"]].value["approximate"] is True
    assert answers[q["scale"]].choice == 4
    assert len(answers[q["multiple"]].choices) == 1
    assert_accessible(page)
