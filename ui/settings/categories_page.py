"""Settings › Categories: the profile's complaint categories, added and edited, never deleted."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from services import settings
from services.i18n import N_
from ui.settings.common import (
    KIND_CHOICES,
    CodedDialog,
    TablePage,
    kind_name,
)
from ui.widgets.fields import fill_combo, select_data

COLUMNS = (N_("Code"), N_("Chinese name"), N_("English name"), N_("Kind"),
           N_("May be answered on the spot"), N_("Active"))


class CategoryDialog(CodedDialog):
    """Add or change one category → services.settings.save_category."""

    titles = (N_("Add category"), N_("Edit category"))

    def __init__(self, session, category: settings.CategoryInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, category, parent, service=settings.save_category,
                         names=(60, 80))
        self.kind = self.field("kind", N_("Kind:"), QComboBox())
        self.simple = self.check("simple", N_("May be answered on the spot"), tip=N_(
            "Grumbles and simple questions: a receiver may answer them at once, without an "
            "approved decision."))
        self.active = self.add_active(N_("Active (offered for new complaints)"))
        self.texts.tip(self.code, N_("Lower-case letters, digits and '_'; cannot be changed "
                                     "later."))
        self.retranslate()
        select_data(self.kind, category.kind if category else "customer")
        self.simple.setChecked(category is not None and category.simple)
        self.setMinimumWidth(420)

    def kwargs(self) -> dict:
        return dict(self.code_and_names(), kind=self.kind.currentData(),
                    simple=self.simple.isChecked(), active=self.active.isChecked())

    def retranslate(self) -> None:
        super().retranslate()
        fill_combo(self.kind, [(k, kind_name(k)) for k in KIND_CHOICES])


class CategoriesPage(TablePage):
    """The category list; owner or manager may change it."""

    columns = COLUMNS
    stretch = 2
    hint = N_("Categories are never deleted: complaints keep theirs. Make one inactive to stop "
              "offering it.")
    dialog = CategoryDialog

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.start()

    def load(self) -> list[settings.CategoryInfo]:
        return settings.categories(include_inactive=True)

    def cells(self, c: settings.CategoryInfo) -> tuple:
        return (c.code, c.name_zh, c.name_en, kind_name(c.kind), c.simple, c.active)
