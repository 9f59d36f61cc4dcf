"""Schema versions and migrations (docs/design.md)."""
from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from models import migrations
from models.entities import ALL_MODELS
from models.penalties import PENALTY_MODELS
from models.warranty import WARRANTY_MODELS
from services.errors import SchemaError
from services.firm import close_database, open_database
from services.i18n import language
from tests.children import python_child


def _columns(db, table):
    return {c.name for c in db.get_columns(table)}


def test_migrated_schema_matches_the_models(empty_db):
    """The frozen migrations and the live models describe the same tables and columns."""
    from models.db import database

    db = database.obj
    tables = set(db.get_tables())
    for model in ALL_MODELS + WARRANTY_MODELS + PENALTY_MODELS:
        name = model._meta.table_name
        assert name in tables
        assert _columns(db, name) == {f.column_name for f in model._meta.sorted_fields}, name
    assert migrations.current_version(db) == migrations.latest_version()


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path))
    close_database()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_history VALUES (999, 'm0999_future', '9.9', ?)",
                (datetime.now().isoformat(),))
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(SchemaError) as info:
        open_database(str(path))
    close_database()
    with language("en"):
        assert "newer version" in info.value.message()
    assert path.read_bytes() == before


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(SchemaError):
        open_database(str(path))
    close_database()


def test_database_is_copied_aside_before_a_migration(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    open_database(str(path))
    close_database()

    class Step:
        VERSION = migrations.latest_version() + 1

        @staticmethod
        def apply(db):
            db.execute_sql('ALTER TABLE "firm" ADD COLUMN "motto" TEXT')

    real = migrations._migrations()
    monkeypatch.setattr(migrations, "_migrations",
                        lambda: real + [(Step.VERSION, "m9999_test", Step)])
    db = SqliteDatabase(str(path))
    applied = migrations.migrate(db, app_version="test")
    db.close()
    assert applied == ["m9999_test"]
    # the copy goes into the backup rotation (docs/design.md, Integrity and backups)
    copies = list((tmp_path / "backups").glob(f"old-*-before-v{Step.VERSION}.sqlite3"))
    assert len(copies) == 1
    copy = sqlite3.connect(copies[0])
    assert "motto" not in {r[1] for r in copy.execute("PRAGMA table_info(firm)")}
    copy.close()


def test_sqlite_pragmas(tmp_path):
    from models.db import database

    open_database(str(tmp_path / "p.sqlite3"))
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    close_database()


def test_the_static_list_holds_every_migration_file_once():
    """A frozen program finds migrations only through the list: a file left out of it would
    never run, and a new database would lack its tables."""
    folder = Path(migrations.__file__).parent
    files = sorted(p.stem for p in folder.glob("m[0-9][0-9][0-9][0-9]_*.py"))
    listed = [name for _version, name, _module in migrations._migrations()]
    assert listed == files
    versions = [version for version, _name, _module in migrations._migrations()]
    assert versions == list(range(1, len(files) + 1))
    # each module is the one its name says, at the version its place says
    modules = migrations._modules()
    assert [m.__name__.rpartition(".")[2] for m in modules] == files
    assert [m.VERSION for m in modules] == versions


def test_a_database_at_the_last_version_opens_without_importing_a_migration(tmp_path):
    """docs/design.md, Start-up: the migrations' modules load only when one is applied."""

    path = tmp_path / "current.sqlite3"
    db = SqliteDatabase(str(path))
    migrations.migrate(db, app_version="test")
    db.close()
    code = ("import sys\n"
            "from peewee import SqliteDatabase\n"
            "import models.migrations as migrations\n"
            f"db = SqliteDatabase({str(path)!r})\n"
            "print(migrations.migrate(db, app_version='test'),\n"
            "      sorted(m for m in sys.modules if m.startswith('models.migrations.')))\n")
    assert python_child(code, cwd=Path(migrations.__file__).parents[2]).split() == ["[]", "[]"]
