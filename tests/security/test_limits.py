"""Abuse limits come from settings; the 429 page is localized and says when to retry."""

import pytest
from limits import parse_many

from config import Config

LIMIT_SETTINGS = (
    "RATELIMIT_SIGNIN",
    "RATELIMIT_REGISTER",
    "RATELIMIT_RESET",
    "RATELIMIT_IDEA_SUBMIT",
    "RATELIMIT_COMMENT",
    "RATELIMIT_SUPPORT",
    "RATELIMIT_SURVEY_ANSWER",
    "RATELIMIT_API",
    "RATELIMIT_API_KEY",
)


@pytest.mark.parametrize("name", LIMIT_SETTINGS)
def test_every_limit_is_a_valid_setting(name):
    limits = parse_many(getattr(Config, name))
    assert limits and all(limit.amount > 0 for limit in limits)


def test_every_limit_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in LIMIT_SETTINGS:
        assert f"`{name}`" in readme, name


REGISTER = {
    "display_name": "Anna Bērziņa",
    "password": "garš-un-drošs-1",
    "password_confirm": "garš-un-drošs-1",
    "accept_privacy": "y",
}


@pytest.mark.parametrize(
    ("lang", "title"), [("lv", "Pārāk daudz pieprasījumu"), ("en", "Too many requests")]
)
def test_registration_limit_from_settings_gives_localized_429(
    limited_app, db, mailbox, lang, title
):
    application = limited_app(RATELIMIT_REGISTER="2 per minute")
    client = application.test_client()
    codes = []
    for number in range(3):
        response = client.post(
            f"/{lang}/account/register", data={**REGISTER, "email": f"r{number}@example.lv"}
        )
        codes.append(response.status_code)
    assert codes == [200, 200, 429]
    html = response.get_data(as_text=True)
    assert f"<h1>{title}</h1>" in html or title in html
    assert f'lang="{lang}"' in html
    assert int(response.headers["Retry-After"]) > 0


def test_password_reset_limit_from_settings(limited_app, db, mailbox):
    application = limited_app(RATELIMIT_RESET="1 per minute")
    client = application.test_client()
    first = client.post("/en/account/reset", data={"email": "a@example.lv"})
    second = client.post("/en/account/reset", data={"email": "b@example.lv"})
    assert (first.status_code, second.status_code) == (200, 429)
    assert "Retry-After" in second.headers


def test_sign_in_is_limited_per_account_across_addresses(limited_app, db):
    application = limited_app(RATELIMIT_SIGNIN="2 per minute")
    codes = []
    for number in range(3):
        client = application.test_client()
        response = client.post(
            "/en/account/sign-in",
            data={"email": "target@example.lv", "password": "wrong-wrong"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{number + 1}"},
        )
        codes.append(response.status_code)
    assert codes == [422, 422, 429]
