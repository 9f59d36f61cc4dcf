"""peewee models, the database connection and migrations.

Import the module you need (``models.db``, ``models.entities``, ``models.paths`` …): this package
imports nothing itself, so ``models.paths`` can be read before any database driver loads
(docs/design.md, Start-up)."""
