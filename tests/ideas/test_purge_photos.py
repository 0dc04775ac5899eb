"""flask ideas purge-unused-photos: photos of submissions never finished are removed."""

import io
import os
import time
from pathlib import Path

from werkzeug.datastructures import FileStorage

from app.core.uploads import image_path, store_image
from app.ideas.services import PhotoUpload, attach_photos
from tests.factories import create_idea, create_user
from tests.ideas.submit_helpers import image_bytes

DAY = 24 * 3600


def stored(name: str):
    return store_image(FileStorage(stream=io.BytesIO(image_bytes()), filename=name))


def age(stem: str, seconds: int) -> None:
    for size in (400, 1200):
        path = image_path(stem, size)
        past = time.time() - seconds
        os.utime(path, (past, past))


def files_of(stem: str) -> list[Path]:
    return [p for p in (image_path(stem, 400), image_path(stem, 1200)) if p.exists()]


def test_only_old_photos_that_no_idea_uses_are_removed(app, db, balvu):
    author = create_user(email="author@example.lv")
    idea = create_idea(author=author)
    used, abandoned, recent = stored("a.jpg"), stored("b.jpg"), stored("c.jpg")
    attach_photos(idea, [PhotoUpload(used.stem, used.width, used.height, "Soliņš")], author)
    db.session.commit()
    age(used.stem, 3 * DAY)
    age(abandoned.stem, 2 * DAY)
    age(recent.stem, 3600)  # someone may still be finishing the form

    result = app.test_cli_runner().invoke(args=["ideas", "purge-unused-photos"])
    assert result.exit_code == 0, result.output
    assert "Unused photos removed: 1." in result.output
    assert len(files_of(used.stem)) == 2
    assert files_of(abandoned.stem) == []
    assert len(files_of(recent.stem)) == 2

    # A shorter age takes the recent one too; nothing else is touched.
    result = app.test_cli_runner().invoke(
        args=["ideas", "purge-unused-photos", "--older-than-hours", "1"]
    )
    assert "Unused photos removed: 1." in result.output
    assert files_of(recent.stem) == [] and len(files_of(used.stem)) == 2


def test_other_files_in_the_upload_folder_are_left_alone(app, db, balvu):
    other = Path(app.config["UPLOAD_DIR"]) / "README.txt"
    other.write_text("not a photo")
    past = time.time() - 5 * DAY
    os.utime(other, (past, past))
    result = app.test_cli_runner().invoke(args=["ideas", "purge-unused-photos"])
    assert "Unused photos removed: 0." in result.output
    assert other.exists()
