"""Domain rules of ComplaintDesk. Nothing here imports Qt (docs/design.md)."""

__version__ = "0.1.0"


def hold_back_server_driver() -> None:
    """The window, before it imports the database layer: peewee without the PostgreSQL
    driver, which a server loads when it is opened (models/drivers.py; docs/design.md,
    Start-up)."""
    from models import drivers

    drivers.import_peewee_without_postgres_driver()


def later_parts(package: str, parts: dict[str, tuple[str, ...]]):
    """A package face's ``__getattr__`` for the parts it imports on first use, not with the
    package (docs/design.md, Start-up): ``parts`` maps a submodule to the names the face gives
    of it. ``from package import name`` and ``package.submodule`` work as if imported at the
    top; the name is kept in the package once looked up."""
    import importlib
    import sys

    owner = {name: part for part, names in parts.items() for name in names}

    def __getattr__(name: str):
        part = owner.get(name, name if name in parts else None)
        if part is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{part}")
        value = module if part == name else getattr(module, name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
