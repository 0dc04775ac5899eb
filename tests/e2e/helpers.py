"""Browser test helpers: axe-core checks and third-party request checks."""

from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """One line per WCAG 2.1 A/AA rule axe-core finds broken on the page."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def assert_accessible(page) -> None:
    summary = axe_violations(page)
    assert not summary, f"axe-core violations on {page.url}: {summary}"


def foreign_requests(page, live_server) -> list[str]:
    own = urlsplit(live_server.url).netloc
    return [
        url
        for url in page.requested_urls
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own
    ]
