"""Browser test helpers: axe-core checks and third-party request checks."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def assert_accessible(page) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    summary = [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations
    ]
    assert not summary, f"axe-core violations on {page.url}: {summary}"


def foreign_requests(page, live_server) -> list[str]:
    own = urlsplit(live_server.url).netloc
    return [
        url
        for url in page.requested_urls
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own
    ]
