"""The map of ideas (/<lang>/ideas) and the list view (/<lang>/ideas/list)."""

import json
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest

from tests.factories import create_idea, create_many_ideas, territory


def list_titles(html: str) -> list[str]:
    return [
        unescape(t)
        for t in re.findall(r'class="idea-row__title">\s*<a href="[^"]+">([^<]+)</a>', html)
    ]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_map_page_is_public_and_embeds_no_ideas(client, balvu, lang):
    create_idea(title="Soliņi pie ezera")
    response = client.get(f"/{lang}/ideas")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Soliņi pie ezera" not in html  # markers come from the API, not the page
    assert 'data-api-url="/api/v1/ideas.geojson"' in html
    assert "js/ideas-map.js" in html
    assert "leaflet.markercluster/leaflet.markercluster.js" in html
    assert "https://" not in re.sub(r'href="https://[^"]*"', "", html.split("<body")[0])
    heading = "Priekšlikumu karte" if lang == "lv" else "Map of ideas"
    assert f"<h1>{heading}</h1>" in html
    assert f'href="/{lang}/ideas/list"' in html


def test_trailing_slash_redirects_to_the_map(client, balvu):
    response = client.get("/en/ideas/?category=roads")
    assert response.status_code == 308
    assert response.headers["Location"] == "/en/ideas?category=roads"


def test_map_page_keeps_filters_and_view_in_links_and_form(client, balvu):
    vilaka = territory("Viļaka").id
    response = client.get(
        f"/en/ideas?q=bench&category=roads&status=adopted&territory={vilaka}&lat=57.1&lon=27.3&z=15"
    )
    raw = response.get_data(as_text=True)
    html = unescape(raw)
    assert 'value="bench"' in html
    assert '<option selected value="roads">' in html
    assert '<option selected value="adopted">' in html
    assert f'<option selected value="{vilaka}">' in html
    list_link = re.search(r'href="(/en/ideas/list\?[^"]+)" data-list-link', html).group(1)
    for part in ("q=bench", "category=roads", "status=adopted", f"territory={vilaka}"):
        assert part in list_link
    api_args = json.loads(unescape(re.search(r'data-api-args="([^"]+)"', raw).group(1)))
    assert api_args == {
        "q": "bench",
        "category": "roads",
        "status": "adopted",
        "territory": str(vilaka),
    }
    # The shared view opens where it was left.
    assert "[57.1, 27.3]" in html
    assert '"zoom": 15,' in html


def test_bad_filter_values_get_a_localized_message_and_are_kept(client, balvu):
    response = client.get("/lv/ideas/list?category=nav-tadas&status=maybe&sort=random")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Lūdzu, izvēlieties kategoriju no saraksta." in html
    assert "Lūdzu, izvēlieties statusu no saraksta." in html
    assert "Lūdzu, izvēlieties kārtību no saraksta." in html


def test_list_shows_public_ideas_with_status_category_territory_and_counts(client, balvu):
    idea_id = create_idea(
        title="Bedres Skolas ielā",
        category="roads",
        status="adopted",
        support_count=4,
        comment_count=1,
    ).id
    create_idea(title="Paslēpts priekšlikums", hidden=True)
    create_idea(title="Atsaukts priekšlikums", withdrawn=True)
    create_idea(title="Gaida apstiprinājumu", awaiting_approval=True)
    html = client.get("/lv/ideas/list").get_data(as_text=True)
    assert list_titles(html) == ["Bedres Skolas ielā"]
    assert f'href="/lv/ideas/{idea_id}"' in html
    assert 'class="status-badge status-adopted">Atbalstīts<' in html
    assert "Ceļi un ielas" in html
    assert "Balvi" in html
    assert "4 atbalstītāji" in html
    assert "1 komentārs" in html
    assert "Atlasei atbilst 1 priekšlikums." in html
    for query in ("q=paslepts", "q=atsaukts", "q=gaida"):
        assert list_titles(client.get(f"/lv/ideas/list?{query}").get_data(as_text=True)) == []


def test_list_speaks_english(client, balvu):
    create_idea(category="roads", status="adopted", support_count=4, comment_count=2)
    html = client.get("/en/ideas/list").get_data(as_text=True)
    assert "Roads and streets" in html
    assert ">Adopted<" in html
    assert "4 supporters" in html and "2 comments" in html
    assert "1 idea matches." in html


def test_list_filters_and_diacritics_insensitive_search(client, balvu):
    create_idea(title="Gājēju celiņš līdz stacijai", category="roads")
    create_idea(title="Soliņi parkā", category="public-space", status="done")
    create_idea(title="Viļakas bedres", category="roads", lon=27.6722, lat=57.18458)
    vilaka = territory("Viļaka").id

    def found(query):
        return set(list_titles(client.get(f"/en/ideas/list?{query}").get_data(as_text=True)))

    assert found("q=lidz") == {"Gājēju celiņš līdz stacijai"}
    assert found("q=SOLINI") == {"Soliņi parkā"}
    assert found("category=roads") == {"Gājēju celiņš līdz stacijai", "Viļakas bedres"}
    assert found("status=done") == {"Soliņi parkā"}
    assert found(f"territory={vilaka}") == {"Viļakas bedres"}
    assert found("category=roads&q=bedres") == {"Viļakas bedres"}


def test_list_sorts_newest_supported_discussed_and_answered(client, balvu):
    now = datetime.now(UTC)
    create_idea(
        title="Vecākais priekšlikums",
        created_at=now - timedelta(days=30),
        support_count=9,
        comment_count=1,
        status="adopted",
        status_changed_at=now - timedelta(days=1),
    )
    create_idea(
        title="Vidējais priekšlikums",
        created_at=now - timedelta(days=20),
        support_count=1,
        comment_count=7,
        status="under_review",
        status_changed_at=now - timedelta(days=10),
    )
    create_idea(title="Jaunākais priekšlikums", created_at=now - timedelta(days=1), support_count=5)

    def order(sort):
        return list_titles(client.get(f"/lv/ideas/list?sort={sort}").get_data(as_text=True))

    assert order("newest") == [
        "Jaunākais priekšlikums",
        "Vidējais priekšlikums",
        "Vecākais priekšlikums",
    ]
    assert order("supported") == [
        "Vecākais priekšlikums",
        "Jaunākais priekšlikums",
        "Vidējais priekšlikums",
    ]
    assert order("discussed")[0] == "Vidējais priekšlikums"
    # Not yet answered ideas come last.
    assert order("answered") == [
        "Vecākais priekšlikums",
        "Vidējais priekšlikums",
        "Jaunākais priekšlikums",
    ]


def test_list_pages_in_sql_and_keeps_filters_in_page_links(client, balvu):
    create_many_ideas(45)
    first = client.get("/en/ideas/list?sort=newest&status=submitted").get_data(as_text=True)
    assert "Page 1 of 3" in first
    assert len(list_titles(first)) == 20
    next_link = unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert "page=2" in next_link and "sort=newest" in next_link
    third = client.get("/en/ideas/list?page=3").get_data(as_text=True)
    assert len(list_titles(third)) == 5
    all_titles = set()
    for page in (1, 2, 3):
        all_titles |= set(
            list_titles(client.get(f"/en/ideas/list?page={page}").get_data(as_text=True))
        )
    assert len(all_titles) == 45
    # Out-of-range and nonsense page numbers show a real page.
    assert len(list_titles(client.get("/en/ideas/list?page=99").get_data(as_text=True))) == 5
    assert len(list_titles(client.get("/en/ideas/list?page=x").get_data(as_text=True))) == 20


def test_list_without_matches_says_so(client, balvu):
    html = client.get("/en/ideas/list?q=nothing").get_data(as_text=True)
    assert "No ideas match the filters." in html
    assert "0 ideas match." in html
