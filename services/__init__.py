"""Domain rules of ComplaintDesk. Nothing here imports Qt (docs/design.md)."""

__version__ = "0.1.0"


def hold_back_server_driver() -> None:
    """The window, before it imports the database layer: peewee without the PostgreSQL
    driver, which a server loads when it is opened (models/drivers.py; docs/design.md,
    Start-up)."""
    from models import drivers

    drivers.import_peewee_without_postgres_driver()
