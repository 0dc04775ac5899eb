"""GET /api/v1/ideas.geojson: validation, filters, visibility, clustering, caching."""

from urllib.parse import quote

import pytest

from tests.factories import create_idea, create_many_ideas

BALVU_BBOX = "26.6,56.8,28.2,57.4"  # the whole municipality
TOWN_BBOX = "27.20,57.10,27.33,57.16"  # Balvi town


def get(client, query: str, **headers):
    return client.get(f"/api/v1/ideas.geojson?{query}", headers=headers)


def features(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    data = response.get_json(force=True)
    assert data["type"] == "FeatureCollection"
    return data["features"]


def titles(response) -> set[str]:
    return {f["properties"]["title"] for f in features(response)}


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("", "bbox is required"),
        ("bbox=", "bbox is required"),
        ("bbox=27,57,28", "exactly four"),
        ("bbox=27,57,28,58,1", "exactly four"),
        ("bbox=NaN,57,28,58", "finite"),
        ("bbox=27,57,Infinity,58", "finite"),
        ("bbox=27,-inf,28,58", "finite"),
        ("bbox=1e309,57,28,58", "finite"),
        ("bbox=27,57,abc,58", "numbers"),
        ("bbox=27,,28,58", "numbers"),
        ("bbox=28,57,27,58", "west must be less than east"),
        ("bbox=27,58,28,57", "south must be less than north"),
        ("bbox=27,57,27,58", "west must be less than east"),
        ("bbox=-181,57,28,58", "longitudes"),
        ("bbox=27,57,180.5,58", "longitudes"),
        ("bbox=27,-91,28,58", "latitudes"),
        ("bbox=27,57,28,90.01", "latitudes"),
        (f"bbox={BALVU_BBOX}&colour=red", "Unknown parameter(s): colour"),
        (f"bbox={BALVU_BBOX}&bbox={BALVU_BBOX}", "once"),
        (f"bbox={BALVU_BBOX}&status=maybe", "status must be one of"),
        (f"bbox={BALVU_BBOX}&status=SUBMITTED", "status must be one of"),
        (f"bbox={BALVU_BBOX}&category=roads;drop", "category"),
        (f"bbox={BALVU_BBOX}&territory=abc", "territory"),
        (f"bbox={BALVU_BBOX}&territory=-1", "territory"),
        (f"bbox={BALVU_BBOX}&zoom=-1", "zoom"),
        (f"bbox={BALVU_BBOX}&zoom=2.5", "zoom"),
        (f"bbox={BALVU_BBOX}&zoom=99", "zoom"),
        (f"bbox={BALVU_BBOX}&lang=de", "lang"),
        (f"bbox={BALVU_BBOX}&q=" + "a" * 201, "q must be at most"),
    ],
)
def test_bad_parameters_get_400_with_a_json_error(client, db, query, fragment):
    response = get(client, query, **{"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == 400
    assert fragment in error["message"]


def test_individual_ideas_carry_what_the_popup_needs(client, balvu):
    idea = create_idea(title="Soliņi pie ezera", category="public-space", support_count=3)
    response = get(client, f"bbox={TOWN_BBOX}&zoom=16&lang=en")
    [feature] = features(response)
    assert feature["geometry"]["type"] == "Point"
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lon, 4), round(lat, 4)) == (27.2658, 57.1313)
    props = feature["properties"]
    assert props == {
        "id": idea.id,
        "title": "Soliņi pie ezera",
        "status": "submitted",
        "status_label": "Submitted",
        "category": "public-space",
        "category_name": "Public space",
        "support_count": 3,
        "comment_count": 0,
        "url": f"/en/ideas/{idea.id}",
    }
    assert response.get_json(force=True)["clustered"] is False


def test_status_label_follows_lang_then_accept_language(client, balvu):
    create_idea(status="under_review")
    lv = features(get(client, f"bbox={TOWN_BBOX}&zoom=16&lang=lv"))[0]["properties"]
    assert lv["status_label"] == "Izskatīšanā"
    assert lv["category_name"] == "Publiskā ārtelpa"
    assert lv["url"].startswith("/lv/ideas/")
    en = features(get(client, f"bbox={TOWN_BBOX}&zoom=16", **{"Accept-Language": "en"}))
    assert en[0]["properties"]["status_label"] == "Under review"


def test_only_ideas_inside_the_bbox(client, balvu):
    create_idea(title="Balvos pie ezera")
    create_idea(title="Viļakā pie skolas", lon=27.6722, lat=57.18458)
    assert titles(get(client, f"bbox={TOWN_BBOX}&zoom=16")) == {"Balvos pie ezera"}


def test_filters_status_category_territory_and_text(client, balvu):
    from tests.factories import territory

    create_idea(title="Bedres Skolas ielā", category="roads", status="adopted")
    create_idea(title="Soliņi parkā", category="public-space")
    create_idea(title="Viļakas ceļa bedres", category="roads", lon=27.6722, lat=57.18458)
    bbox = f"bbox={BALVU_BBOX}&zoom=18"
    assert titles(get(client, f"{bbox}&status=adopted")) == {"Bedres Skolas ielā"}
    assert titles(get(client, f"{bbox}&category=roads")) == {
        "Bedres Skolas ielā",
        "Viļakas ceļa bedres",
    }
    unknown = get(client, f"{bbox}&category=nonexistent&lang=en")
    assert unknown.status_code == 400
    assert unknown.get_json()["error"]["message"] == "Unknown category: nonexistent."
    assert get(client, f"{bbox}&territory=999999").status_code == 400
    vilaka = territory("Viļaka").id
    assert titles(get(client, f"{bbox}&territory={vilaka}")) == {"Viļakas ceļa bedres"}
    assert titles(get(client, f"{bbox}&q=bedres&category=roads&status=adopted")) == {
        "Bedres Skolas ielā"
    }
    # Empty values (as a GET form sends them) mean "no filter".
    assert len(titles(get(client, f"{bbox}&status=&category=&territory=&q="))) == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lidz", True),  # no diacritics finds "līdz"
        ("LĪDZ", True),
        ("stacij", True),  # prefix of "stacijai"
        ("celinam lidz", True),  # every word must match
        ("celinam ezers", False),
        ("apgaismojum", True),  # title and description both searched
        ("'); DROP TABLE ideas; --", False),
        ("zzz & | ! :* () \\", False),  # tsquery syntax is never passed through
    ],
)
def test_free_text_ignores_diacritics_and_is_safe(client, balvu, query, expected):
    create_idea(
        title="Gājēju celiņam līdz stacijai",
        description="Apgaismojums vajadzīgs, jo vakaros ir tumšs un bīstami.",
    )
    found = titles(get(client, f"bbox={BALVU_BBOX}&zoom=18&q={quote(query)}"))
    assert found == ({"Gājēju celiņam līdz stacijai"} if expected else set())


def test_hidden_withdrawn_and_awaiting_ideas_never_appear(client, balvu):
    create_idea(title="Redzams priekšlikums")
    create_idea(title="Paslēpts priekšlikums", hidden=True)
    create_idea(title="Atsaukts priekšlikums", withdrawn=True)
    create_idea(title="Gaida apstiprinājumu", awaiting_approval=True)
    for zoom in (18, 9):  # individual ideas and clusters
        response = get(client, f"bbox={BALVU_BBOX}&zoom={zoom}&q=priekšlikums")
        found = features(response)
        assert sum(f["properties"].get("count", 1) for f in found) == 1
    assert titles(get(client, f"bbox={BALVU_BBOX}&zoom=18")) == {"Redzams priekšlikums"}
    assert titles(get(client, f"bbox={BALVU_BBOX}&zoom=18&q=paslepts")) == set()


def test_low_zoom_returns_clusters_with_a_status_breakdown(client, balvu):
    for status in ("submitted", "submitted", "adopted"):
        create_idea(status=status)  # all at the same point
    create_idea(title="Viļakā vienīgais", lon=27.6722, lat=57.18458)
    data = get(client, f"bbox={BALVU_BBOX}&zoom=9").get_json(force=True)
    assert data["clustered"] is True
    clusters = [f for f in data["features"] if f["properties"].get("cluster")]
    singles = [f for f in data["features"] if not f["properties"].get("cluster")]
    [cluster] = clusters
    assert cluster["properties"]["count"] == 3
    assert cluster["properties"]["statuses"] == {"submitted": 2, "adopted": 1}
    lon, lat = cluster["geometry"]["coordinates"]
    assert (round(lon, 4), round(lat, 4)) == (27.2658, 57.1313)
    # A cell holding one idea sends the idea itself.
    assert [f["properties"]["title"] for f in singles] == ["Viļakā vienīgais"]


def test_three_thousand_ideas_never_make_more_than_1000_features(client, balvu):
    create_many_ideas(3000)
    for query in (
        f"bbox={TOWN_BBOX}&zoom=18",  # street zoom, but too many ideas in view
        f"bbox={TOWN_BBOX}",  # no zoom given
        f"bbox={BALVU_BBOX}&zoom=10",
        "bbox=-180,-90,180,90&zoom=0",
    ):
        data = get(client, query).get_json(force=True)
        assert data["clustered"] is True, query
        assert 0 < len(data["features"]) <= 1000, query
        total = sum(f["properties"].get("count", 1) for f in data["features"])
        assert total == 3000, query


def test_street_zoom_with_few_ideas_sends_them_one_by_one(client, balvu):
    create_many_ideas(40)
    data = get(client, f"bbox={TOWN_BBOX}&zoom=16").get_json(force=True)
    assert data["clustered"] is False
    assert len(data["features"]) == 40


def test_etag_and_cache_control_answer_304(client, balvu):
    create_idea()
    query = f"bbox={TOWN_BBOX}&zoom=16&lang=lv"
    first = get(client, query)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=30"
    etag = first.headers["ETag"]
    again = get(client, query, **{"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    create_idea(title="Vēl viens priekšlikums")
    changed = get(client, query, **{"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


def test_empty_area_is_an_empty_collection(client, balvu):
    assert features(get(client, "bbox=20,50,21,51&zoom=12")) == []
