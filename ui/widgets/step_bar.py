"""A row of steps (a path): the states taken, the current one highlighted, those ahead greyed;
a step may carry marks (a branch taken from it). The bar's tooltip says what the path waits
for. It knows nothing of complaints: the screen gives it plain texts (docs/design.md, ui/)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

_STYLES = {
    "done": "color: #1b5e20; padding: 3px 6px;",
    "current": ("color: white; background: #1565c0; border-radius: 4px; padding: 3px 8px;"
                " font-weight: 600;"),
    "ahead": "color: #8a8a8a; padding: 3px 6px;",
}
ARROW = "›"


@dataclass(frozen=True)
class Step:
    key: str
    text: str
    status: str  # done | current | ahead
    marks: tuple[str, ...] = ()  # e.g. "escalated", shown under the step's name
    tip: str = ""


class StepBar(QWidget):
    """Shows ``Step``s left to right; ``set_steps`` replaces them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._steps: tuple[Step, ...] = ()
        self._labels: list[QLabel] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 2, 0, 2)
        self._layout.setSpacing(2)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_steps(self, steps, waiting: str = "") -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._steps = tuple(steps)
        self._labels = []
        for i, step in enumerate(self._steps):
            if i:
                arrow = QLabel(ARROW)
                arrow.setStyleSheet("color: #9e9e9e;")
                self._layout.addWidget(arrow)
            text = step.text
            if step.marks:
                text += "<br><span style='font-size:8pt;'>" + " · ".join(step.marks) + "</span>"
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet(_STYLES.get(step.status, ""))
            label.setObjectName(f"step_{step.key}")
            tip = "\n".join(t for t in (step.tip, waiting if step.status == "current" else "")
                            if t)
            label.setToolTip(tip)
            self._labels.append(label)
            self._layout.addWidget(label)
        self._layout.addStretch(1)
        self.setToolTip(waiting)

    # --- what the tests and the screens read --------------------------------------------------

    def steps(self) -> tuple[Step, ...]:
        return self._steps

    def current(self) -> Step | None:
        return next((s for s in self._steps if s.status == "current"), None)


__all__ = ["Step", "StepBar"]
