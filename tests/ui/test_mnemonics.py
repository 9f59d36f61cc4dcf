"""Alt+letter does one thing on each page: no two labels or buttons of the first-start wizard's
pages share a mnemonic, in either language (docs/design.md, keyboard)."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWizard

from ui.qt_i18n import apply_language

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonics(texts) -> list[str]:
    return [m.group(1).lower() for t in texts for m in _MNEMONIC.finditer(t.replace("&&", ""))]


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_wizard_pages_have_distinct_mnemonics(qtbot, fresh_db, tasks, lang):
    from ui.first_start import FirstStartWizard

    apply_language(lang)
    try:
        wizard = FirstStartWizard(location=fresh_db, tasks=tasks)
        qtbot.addWidget(wizard)
        wizard.show()
        buttons = [wizard.buttonText(b) for b in (QWizard.WizardButton.BackButton,
                                                   QWizard.WizardButton.NextButton,
                                                   QWizard.WizardButton.CancelButton)]
        for page_id in wizard.pageIds():
            page = wizard.page(page_id)
            texts = [w.text() for w in page.findChildren(QLabel)]
            texts += [w.text() for w in page.findChildren(QAbstractButton)]
            last = page_id == wizard.pageIds()[-1]
            on_page = mnemonics(texts + buttons[:1] + ([wizard.buttonText(
                QWizard.WizardButton.FinishButton)] if last else buttons[1:2]))
            twice = [k for k, n in Counter(on_page).items() if n > 1]
            assert not twice, (page_id, twice, texts)
    finally:
        apply_language("en")
