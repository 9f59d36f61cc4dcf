"""peewee models, the database connection and migrations."""
from __future__ import annotations

from models.db import bind, data_dir, database, default_location, is_postgres  # noqa: F401
from models.entities import *  # noqa: F401,F403
