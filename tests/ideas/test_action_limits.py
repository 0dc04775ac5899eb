"""Comments and supports are rate-limited per account, with a localized 429."""

from tests.factories import create_idea, create_user, sign_in


def test_comments_are_limited_per_account(make_app, balvu):
    limited = make_app(
        WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, RATELIMIT_COMMENT="2 per minute"
    )
    author = create_user()
    idea = create_idea(author=author)
    client = limited.test_client()
    sign_in(client, create_user())
    codes = [
        client.post(
            f"/en/ideas/{idea.id}/comments", data={"body": f"Labs komentārs {n}"}
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    refused = client.post(f"/lv/ideas/{idea.id}/comments", data={"body": "Vēl viens"})
    assert "Pārāk daudz pieprasījumu" in refused.get_data(as_text=True)
    assert refused.headers.get("Retry-After")


def test_supports_are_limited_per_account(make_app, balvu):
    limited = make_app(
        WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=True, RATELIMIT_SUPPORT="1 per minute"
    )
    ideas = [create_idea(title=f"Priekšlikums {n}") for n in range(2)]
    client = limited.test_client()
    sign_in(client, create_user())
    first = client.post(f"/en/ideas/{ideas[0].id}/support")
    second = client.post(f"/en/ideas/{ideas[1].id}/support")
    assert first.status_code == 302
    assert second.status_code == 429
