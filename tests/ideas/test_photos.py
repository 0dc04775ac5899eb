"""Photos: type from the content, EXIF and GPS gone, sizes, refusals, serving."""

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

import app.accounts  # noqa: F401 - before app.ideas: app.core.auth <-> app.accounts import cycle
from app.core.uploads import ImageRejected, image_path, store_image
from app.ideas.models import Idea, IdeaPhoto
from app.ideas.services import PhotoUpload, attach_photos
from tests.factories import create_user, sign_in
from tests.ideas.submit_helpers import form_data, image_bytes, make_idea, point_in

GPS_IFD = 0x8825


def jpeg_with_gps(size=(80, 60), orientation: int | None = None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamera AS"  # Make
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (57.0, 5.0, 0.0), 3: "E", 4: (27.0, 16.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def files_in(app) -> list[Path]:
    return sorted(Path(app.config["UPLOAD_DIR"]).iterdir())


@pytest.fixture
def english(app, db):
    """A request context in English, so refusal messages can be read."""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


def test_the_fixture_really_carries_gps():
    assert Image.open(io.BytesIO(jpeg_with_gps())).getexif().get_ifd(GPS_IFD)


def test_a_jpeg_with_gps_comes_back_without_any_exif(app, db):
    stored = store_image(upload(jpeg_with_gps()))
    for size in (400, 1200):
        data = image_path(stored.stem, size).read_bytes()
        assert b"Exif" not in data
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert (stored.width, stored.height) == (80, 60)


def test_orientation_is_applied_before_the_exif_is_dropped(app, db):
    stored = store_image(upload(jpeg_with_gps(size=(80, 60), orientation=6)))  # rotate 90°
    assert (stored.width, stored.height) == (60, 80)
    assert Image.open(image_path(stored.stem, 1200)).size == (60, 80)


def test_two_sizes_are_written_with_random_names(app, db):
    stored = store_image(upload(image_bytes("PNG", size=(2400, 1600)), name="x.png"))
    assert Image.open(image_path(stored.stem, 400)).size == (400, 267)
    assert Image.open(image_path(stored.stem, 1200)).size == (1200, 800)
    other = store_image(upload(image_bytes("PNG", size=(2400, 1600)), name="x.png"))
    assert other.stem != stored.stem and len(stored.stem) == 32
    assert [p.name for p in files_in(app)] == sorted(
        f"{s}-{n}.jpg" for s in (stored.stem, other.stem) for n in (400, 1200)
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_types_are_read_from_the_content(app, db, fmt):
    stored = store_image(upload(image_bytes(fmt), name="no-extension"))
    assert image_path(stored.stem, 400).exists()


def test_heic_is_accepted_when_pillow_heif_loads(app, db):
    pillow_heif = pytest.importorskip("pillow_heif")
    buffer = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (32, 32), (1, 2, 3))).save(buffer, quality=50)
    except Exception as error:
        pytest.skip(f"no HEIC encoder: {error}")
    stored = store_image(upload(buffer.getvalue(), name="IMG_0001.HEIC"))
    assert Image.open(image_path(stored.stem, 400)).format == "JPEG"


REFUSED = [
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "evil.jpg", "not a photo"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg", "not a photo"),
    (b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=alert(1)//", "poly.jpg", "not a photo"),
    (b"", "empty.jpg", "empty"),
]


@pytest.mark.parametrize(("data", "name", "message"), REFUSED)
def test_anything_else_is_refused_and_leaves_no_file(app, db, english, data, name, message):
    with pytest.raises(ImageRejected) as refused:
        store_image(upload(data, name))
    assert message in str(refused.value.message)
    assert files_in(app) == []


def test_a_real_gif_is_refused(app, db):
    with pytest.raises(ImageRejected):
        store_image(upload(image_bytes("GIF"), "cat.gif"))


def test_a_60_megapixel_png_is_refused(app, db, english):
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, "PNG")  # 60 MP, a few kB compressed
    with pytest.raises(ImageRejected) as refused:
        store_image(upload(buffer.getvalue(), "big.png"))
    assert "40 megapixels" in str(refused.value.message)
    assert files_in(app) == []


def test_a_decompression_bomb_is_refused(app, db):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 MP: Pillow's own bomb check
    with pytest.raises(ImageRejected):
        store_image(upload(buffer.getvalue(), "bomb.png"))
    assert files_in(app) == []


def test_more_than_10_mb_is_refused(app, db, english):
    with pytest.raises(ImageRejected) as refused:
        store_image(upload(b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024), "huge.jpg"))
    assert "10 MB" in str(refused.value.message)


@pytest.fixture
def signed_in(client, balvu):
    sign_in(client, create_user(email="photographer@example.lv"))
    return client


def test_html_named_jpg_is_refused_through_the_form_and_values_kept(signed_in, db, app):
    lat, lon = point_in("Balvi")
    data = form_data(lat, lon, alt_1="Bedre")
    data["photo_1"] = (io.BytesIO(b"<html><body>hi</body></html>"), "bedre.jpg")
    response = signed_in.post("/en/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="photo_1-error"' in page
    assert "This file is not a photo we can use" in page
    assert 'value="Bedre"' in page and f'value="{lat}"' in page
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 0
    assert files_in(app) == []


def test_a_photo_needs_its_alt_text(signed_in, db):
    lat, lon = point_in("Balvi")
    data = form_data(lat, lon)
    data["photo_1"] = (io.BytesIO(image_bytes()), "a.jpg")
    response = signed_in.post("/lv/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="alt_1-error"' in page
    # The photo is kept for the next try: no need to choose it again.
    assert 'id="kept-photo-1"' in page


def test_three_photos_are_saved_with_the_idea_and_served(signed_in, db, app):
    lat, lon = point_in("Balvi")
    data = form_data(lat, lon, alt_1="Viens", alt_2="Divi", alt_3="Trīs")
    for slot in (1, 2, 3):
        data[f"photo_{slot}"] = (io.BytesIO(jpeg_with_gps()), f"{slot}.jpg")
    response = signed_in.post("/en/ideas/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    photos = db.session.scalars(select(IdeaPhoto).order_by(IdeaPhoto.position)).all()
    assert [p.alt_text for p in photos] == ["Viens", "Divi", "Trīs"]
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert f'/media/{photos[0].stem}-400.jpg" alt="Viens"' in page
    served = signed_in.get(f"/media/{photos[0].stem}-1200.jpg")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in served.headers["Cache-Control"]
    assert b"Exif" not in served.data


def test_photos_of_hidden_ideas_are_not_served_to_the_public(client, balvu, app):
    author = create_user(email="author@example.lv")
    author_id = author.id
    idea = make_idea(author)
    stored = store_image(upload(image_bytes()))
    attach_photos(idea, [PhotoUpload(stored.stem, 64, 48, "Bedre")], author)
    balvu.session.commit()
    visitor = client
    assert visitor.get(f"/media/{stored.stem}-400.jpg").status_code == 200
    balvu.session.execute(update(Idea).where(Idea.id == idea.id).values(hidden_at=func.now()))
    balvu.session.commit()
    assert visitor.get(f"/media/{stored.stem}-400.jpg").status_code == 404
    assert visitor.get("/media/../../etc/passwd-400.jpg").status_code == 404
    assert visitor.get(f"/media/{stored.stem}-800.jpg").status_code == 404
    sign_in(visitor, balvu.session.get(type(author), author_id))
    served = visitor.get(f"/media/{stored.stem}-400.jpg")
    assert served.status_code == 200
    assert "no-store" in served.headers["Cache-Control"]
