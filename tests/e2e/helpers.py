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


# --- keyboard ------------------------------------------------------------------------------

_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "body";
  const field = el.getAttribute("name");
  const name = el.id ? "#" + el.id : field ? `[name=${field}]` : "";
  const text = (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40);
  return `${el.tagName.toLowerCase()}${name} ${text}`.trim();
}"""


def focus_matches(page, selector: str) -> bool:
    return page.evaluate(
        "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector: str, *, limit: int = 60, backwards: bool = False) -> int:
    """Press Tab (Shift+Tab backwards) until the focused element matches `selector`, as a
    keyboard user would; fails, naming the stops on the way, if it is not reached in `limit`
    presses. Returns the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if focus_matches(page, selector):
            return presses
        stops.append(page.evaluate(_DESCRIBE_FOCUS))
    raise AssertionError(f"{selector} not reached by {key} in {limit} presses; stops: {stops}")


def assert_focus_on(page, selector: str, timeout_ms: int = 5000) -> None:
    """Focus is (or, within `timeout_ms`, comes) on `selector`: after a page load, the
    module scripts that move focus run a moment after the page is there."""
    try:
        page.wait_for_function(
            "(selector) => !!document.activeElement && document.activeElement.matches(selector)",
            arg=selector,
            timeout=timeout_ms,
        )
    except Exception:  # Playwright's TimeoutError: say where the focus is instead
        raise AssertionError(
            f"focus is on {page.evaluate(_DESCRIBE_FOCUS)}, not on {selector}"
        ) from None


def assert_focus_visible(page) -> None:
    """The focused element shows a focus indicator: it matches :focus-visible and draws an
    outline or a box shadow there."""
    style = page.evaluate(
        """() => {
          const el = document.activeElement;
          const s = getComputedStyle(el);
          return {visible: el.matches(":focus-visible"), outline: s.outlineStyle,
                  width: parseFloat(s.outlineWidth) || 0, shadow: s.boxShadow};
        }"""
    )
    drawn = (style["outline"] != "none" and style["width"] >= 2) or style["shadow"] != "none"
    assert style["visible"] and drawn, f"no visible focus on {page.evaluate(_DESCRIBE_FOCUS)}"
