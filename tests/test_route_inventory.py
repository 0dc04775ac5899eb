"""Deny by default: every route that is not declared public refuses anonymous visitors,
and the list of public routes is reviewed here whenever it changes."""

import pytest

SKIP = {"static", "main.vendor"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        yield rule


def _example_url(rule) -> str:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if name == "lang":
            values[name] = "lv"
        elif kind in ("IntegerConverter", "NumberConverter"):
            values[name] = 1
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def _is_public(app, endpoint) -> bool:
    return getattr(app.view_functions[endpoint], "_kopa_public", False)


def test_private_routes_refuse_anonymous_visitors(app, client):
    checked = 0
    for rule in _rules(app):
        if _is_public(app, rule.endpoint):
            continue
        url = _example_url(rule)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        response = client.open(url, method=method)
        if url.startswith(("/api/", "/open311/")):
            assert response.status_code == 401, (rule.endpoint, url, response.status_code)
        else:
            assert response.status_code == 302, (rule.endpoint, url, response.status_code)
            assert "/account/sign-in" in response.headers["Location"], rule.endpoint
        checked += 1
    assert checked > 0


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_sign_in_redirect_keeps_the_language(client, lang):
    response = client.get(f"/{lang}/account/")
    assert response.headers["Location"].startswith(f"/{lang}/account/sign-in")
