"""The open data page lists every download in both languages, with sizes and a dictionary."""

import pytest

from tests.opendata.ideas import add_idea


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        ("lv", ["Atvērtie dati", "Datu vārdnīca", "Priekšlikumi", "Licence:"]),
        ("en", ["Open data", "Data dictionary", "Ideas", "Licence:"]),
    ],
)
def test_page_lists_downloads_with_formats_sizes_and_licences(client, balvu, lang, texts):
    add_idea()
    response = client.get(f"/{lang}/open-data/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in texts:
        assert text in html
    for url in (
        f"/{lang}/open-data/ideas.csv",
        f"/{lang}/open-data/ideas.geojson",
        f"/{lang}/open-data/territories.geojson",
    ):
        assert f'href="{url}"' in html
    assert "CC BY 4.0" in html and "ODbL 1.0" in html
    assert "GeoJSON" in html and "CSV" in html
    assert "KB" in html  # sizes are shown
    assert "<code>status</code>" in html and "<code>answer_lv / answer_en</code>" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert 'href="/open311/v2/discovery.json"' in html


def test_footer_links_to_open_data(client, balvu):
    html = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/open-data/"' in html


def test_page_is_public(client, balvu):
    assert client.get("/lv/open-data/").status_code == 200
    assert client.get("/lv/open-data/ideas.csv").status_code == 200
