import io
import re

from flask import current_app
from PIL import Image
from sqlalchemy import func
from werkzeug.datastructures import FileStorage

from app.accounts.models import Role
from app.ideas.models import IdeaStatus
from app.staff import services as staff
from tests.factories import create_user, territory
from tests.staff.helpers import make_idea


def _jpeg() -> FileStorage:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 80, 40)).save(buffer, "JPEG")
    buffer.seek(0)
    return FileStorage(buffer, filename="after.jpg", content_type="image/jpeg")


def _answer(idea, *steps, actor):
    for status, answer, answer_en in steps:
        staff.change_status(idea, status, answer, answer_en, "iekšēja piezīme", actor)


def test_feedback_page_shows_answers_and_photos_never_hidden_ideas(client, balvu):
    db = balvu
    clerk = create_user(Role.STAFF)
    author = create_user()
    # Services word their messages for a request; the set-up commits inside it, because
    # the app releases the session when a request ends.
    with current_app.test_request_context("/"):
        done = make_idea(author, title="Jauns rotaļu laukums")
        _answer(
            done,
            ("under_review", "Skatām", None),
            ("adopted", "Iekļauts budžetā", "Included in the budget"),
            ("done", "Laukums atklāts", "The playground is open"),
            actor=clerk,
        )
        stem = staff.add_after_photo(done, _jpeg(), "Jaunais rotaļu laukums", clerk).stem
        latvian_only = make_idea(author, title="Velosipēdu statīvi", unit="Viļaka")
        _answer(
            latvian_only,
            ("under_review", "Skatām", None),
            ("adopted", "Uzstādīsim pavasarī", None),
            actor=clerk,
        )
        hidden = make_idea(author, title="Paslēpts, bet paveikts")
        _answer(
            hidden,
            ("under_review", "Skatām", None),
            ("adopted", "SLEPENA atbilde", None),
            actor=clerk,
        )
        hidden.hidden_at = func.now()
        make_idea(author, title="Vēl neatbildēts")
        assert done.status == IdeaStatus.DONE
        db.session.commit()
        viljaka_id = territory("Viļaka").id

    response = client.get("/en/feedback")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Jauns rotaļu laukums" in html
    assert "The playground is open" in html
    assert "Uzstādīsim pavasarī" in html  # Latvian when there is no English answer
    assert f"/media/{stem}-400.jpg" in html
    assert 'alt="Jaunais rotaļu laukums"' in html
    assert "Paslēpts, bet paveikts" not in html
    assert "SLEPENA" not in html
    assert "iekšēja piezīme" not in html
    assert "Vēl neatbildēts" not in html
    assert re.search(r'data-figure="received">3<', html)
    assert re.search(r'data-figure="answered">2<', html)
    assert re.search(r'data-figure="adopted">2<', html)
    assert re.search(r'data-figure="done">1<', html)
    assert "Ideas per territorial unit" in html
    assert "leaflet" in html

    latvian = client.get("/lv/feedback").get_data(as_text=True)
    assert "Ko jūs ieteicāt, ko mēs darījām" in latvian
    assert "Laukums atklāts" in latvian

    filtered = client.get(f"/en/feedback?territory={viljaka_id}").get_data(as_text=True)
    assert "Velosipēdu statīvi" in filtered
    assert "Jauns rotaļu laukums" not in filtered
    assert re.search(r'data-figure="received">1<', filtered)
    assert client.get("/en/feedback?year=abc&territory=x").status_code == 200
