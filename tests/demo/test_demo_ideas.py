"""flask demo load's sample ideas and flask demo ideas --count N."""

from pathlib import Path

from sqlalchemy import text

from app.demo.extra import LOADERS
from app.demo.ideas import SAMPLES, load_sample_ideas


def scalar(db, sql: str):
    return db.session.scalar(text(sql))


def test_sample_ideas_cover_units_categories_and_statuses_and_load_once(app, balvu):
    assert load_sample_ideas in LOADERS
    load_sample_ideas()
    balvu.session.commit()
    load_sample_ideas()  # a second `flask demo load` adds nothing
    balvu.session.commit()
    assert scalar(balvu, "SELECT count(*) FROM ideas") == len(SAMPLES) >= 30
    assert scalar(balvu, "SELECT count(DISTINCT status) FROM ideas") == 7
    assert scalar(balvu, "SELECT count(DISTINCT category_id) FROM ideas") == 10
    assert scalar(balvu, "SELECT count(DISTINCT territory_id) FROM ideas") == 21
    assert scalar(balvu, "SELECT count(*) FROM ideas WHERE territory_id IS NULL") == 0
    # Every answered idea has its history with a public answer in both languages.
    assert (
        scalar(
            balvu,
            "SELECT count(*) FROM ideas i WHERE status <> 'submitted' AND NOT EXISTS ("
            " SELECT 1 FROM idea_status_changes c WHERE c.idea_id = i.id"
            " AND c.to_status = i.status AND c.answer <> '' AND c.answer_en <> '')",
        )
        == 0
    )
    assert (
        scalar(
            balvu,
            "SELECT count(*) FROM ideas WHERE status_changed_at IS NULL AND status <> 'submitted'",
        )
        == 0
    )
    assert scalar(balvu, "SELECT bool_and(description LIKE '%Izdomāts%') FROM ideas")
    # Photos made by the app, stored by the upload pipeline in two sizes.
    stems = balvu.session.execute(text("SELECT stem FROM idea_photos")).scalars().all()
    assert len(stems) >= 5
    upload_dir = Path(app.config["UPLOAD_DIR"])
    for stem in stems:
        assert (upload_dir / f"{stem}-400.jpg").is_file()
        assert (upload_dir / f"{stem}-1200.jpg").is_file()


def test_volume_ideas_are_inside_the_units_with_history(app, balvu):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "ideas", "--count", "2500"])
    assert result.exit_code == 0, result.output
    assert "2500 ideas added" in result.output
    assert scalar(balvu, "SELECT count(*) FROM ideas") == 2500
    assert scalar(balvu, "SELECT count(*) FROM ideas WHERE territory_id IS NULL") == 0
    assert scalar(balvu, "SELECT count(DISTINCT territory_id) FROM ideas") == 21
    assert scalar(balvu, "SELECT count(DISTINCT status) FROM ideas") >= 5
    assert scalar(balvu, "SELECT count(*) FROM idea_status_changes") == 2500


def test_volume_ideas_need_the_territories(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "ideas", "--count", "10"])
    assert result.exit_code != 0
    assert "flask demo load" in result.output


def test_recorded_ideas_come_from_the_demo_leader_and_load_once(app, balvu):
    from app.demo.ideas import RECORDED, load_recorded_ideas

    assert load_recorded_ideas in LOADERS
    load_recorded_ideas()
    balvu.session.commit()
    load_recorded_ideas()
    balvu.session.commit()
    rows = balvu.session.execute(
        text(
            "SELECT i.channel, i.author_id, u.email, t.name, i.collected_note FROM ideas i "
            "JOIN users u ON u.id = i.entered_by_id JOIN territories t ON t.id = i.territory_id"
        )
    ).all()
    assert len(rows) == len(RECORDED)
    assert {row.channel for row in rows} == {"workshop", "paper"}
    assert all(row.author_id is None and row.name == "Balvi" for row in rows)
    assert {row.email for row in rows} == {"demo.lideris@example.invalid"}
    assert sum(1 for row in rows if row.collected_note) == 2
