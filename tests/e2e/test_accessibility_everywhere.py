"""Accessibility everywhere (issue 7, item 8): every page of the app, in both languages, as an
anonymous visitor, a resident, a leader and staff, with seeded data behind every id; axe-core
(WCAG 2.1 A and AA) must find nothing. And a survey answered with the keyboard alone (the
keyboard-only idea journey is in test_ideas_submit.py).

The pages come from `app.url_map` through the access matrix (tests/security/
test_access_matrix.py): every GET route a role may open with a 200, except files and feeds."""

import re

import pytest
from sqlalchemy import func, select

from tests.e2e.helpers import assert_accessible, axe_violations, foreign_requests, tab_to
from tests.factories import PASSWORD
from tests.security.test_access_matrix import EXPECTED, ROUTES, build_world, url_for_rule

pytestmark = pytest.mark.e2e

BROWSING_ROLES = ("anonymous", "resident", "leader", "staff")
# A last path segment with a dot is a file, a feed or an image (CSV, GeoJSON, JSON, XML, PNG,
# JPEG, ZIP): axe-core checks HTML pages.
NOT_A_PAGE = re.compile(r"\.[^/]+$")


def pages_for(role: str) -> list[tuple[str, str]]:
    """(rule, endpoint) of every HTML page `role` may open."""
    return sorted(
        (rule, endpoint)
        for (rule, method), endpoint in ROUTES.items()
        if method == "GET"
        and EXPECTED[(rule, method)][role] == 200
        and not NOT_A_PAGE.search(rule)
        and rule != "/healthz"
    )


def sign_in(page, email: str) -> None:
    page.goto("/lv/account/sign-in")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/lv/$"))


def test_every_page_in_both_languages_for_every_role_is_accessible(app, db, browser, live_server):
    world = build_world(app, db)
    problems = []
    visited = 0
    for role in BROWSING_ROLES:
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="lv-LV", base_url=live_server.url
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        page.requested_urls = []
        page.on("request", lambda req, page=page: page.requested_urls.append(req.url))
        try:
            if role != "anonymous":
                sign_in(page, world.users[role].email)
            for lang in ("lv", "en"):
                for rule, endpoint in pages_for(role):
                    url = url_for_rule(app, rule, endpoint, {**world.values, "lang": lang})
                    response = page.goto(url)
                    visited += 1
                    if response is None or response.status != 200:
                        status = response.status if response else "no response"
                        problems.append(f"{role} {url}: status {status}")
                        continue
                    if page.locator("html").get_attribute("lang") != lang:
                        problems.append(f"{role} {url}: <html lang> is not {lang}")
                    problems.extend(f"{role} {url}: {v}" for v in axe_violations(page))
            problems.extend(
                f"{role}: request to another site: {url}"
                for url in foreign_requests(page, live_server)
            )
        finally:
            context.close()
    assert visited > 100
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_a_survey_is_answered_with_the_keyboard_alone(app, db, page, live_server):
    from app.surveys.models import Answer, Survey, SurveyResponse

    world = build_world(app, db)
    survey_id = world.values["survey_id"]
    survey = db.session.get(Survey, survey_id)
    questions = {q.kind.value: q for q in survey.questions}
    before = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    db.session.commit()

    page.goto(f"/lv/surveys/{survey_id}")
    single = questions["single"]
    tab_to(page, f"input[name=q{single.id}]", limit=120)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # the second age group
    multiple = questions["multiple"]
    tab_to(page, f"input[name=q{multiple.id}]")
    page.keyboard.press("Space")  # the first option
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the third one
    scale = questions["scale"]
    tab_to(page, f"input[name=q{scale.id}]")
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # 4
    tab_to(page, f"#q{questions['number'].id}")
    page.keyboard.type("12")
    tab_to(page, f"#q{questions['short_text'].id}")
    page.keyboard.type("Zaļš")
    tab_to(page, f"#q{questions['long_text'].id}")
    page.keyboard.type("Vairāk soliņu pie ezera")
    # The place without the map: the territorial unit.
    tab_to(page, f"#q{questions['map_point'].id}_territory")
    page.keyboard.press("ArrowDown")
    ranking = questions["ranking"]
    for place, option in enumerate(ranking.options, start=1):
        tab_to(page, f"#q{ranking.id}_{option.id}")
        for _ in range(place):
            page.keyboard.press("ArrowDown")
    tab_to(page, "form.survey-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/lv/surveys/{survey_id}/thanks")
    assert_accessible(page)

    assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == before + 1
    newest = db.session.scalar(select(func.max(SurveyResponse.id)))
    answers = db.session.scalars(select(Answer).where(Answer.response_id == newest)).all()
    answered = {answer.question_id for answer in answers}
    assert {q.id for q in survey.questions} <= answered, "every question has its answer"
    assert foreign_requests(page, live_server) == []
