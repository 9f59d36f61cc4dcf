"""Running like a Windows program: one window per data folder (a second start brings the
running one forward and ends), a stale lock taken over, Help ▸ About, Settings › Data folder
(docs/design.md, Shipping)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QWidget  # noqa: E402

from tests.children import python_child  # noqa: E402
from ui import single_instance  # noqa: E402

# A second program, started as a separate process: it tries to claim the same folder and
# prints what happened (False: it found the first one and asked it to come forward).
SECOND = (
    "import sys\n"
    "from pathlib import Path\n"
    "from PySide6.QtWidgets import QApplication\n"
    "from ui import single_instance\n"
    "app = QApplication([])\n"
    "print(single_instance.claim(app, Path(sys.argv[1])))\n"
    "single_instance.release()\n"
)


def _second_start(folder: Path) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return python_child(SECOND, str(folder), env=env, timeout=60).strip()


@pytest.fixture
def claimed(qapp, tmp_path):
    folder = tmp_path / "data"
    yield folder
    single_instance.release()


def test_a_second_start_asks_the_running_window_forward_and_ends(qapp, qtbot, claimed):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    window.showMinimized()
    assert single_instance.claim(qapp, claimed)
    instance = single_instance.current()
    assert (claimed / single_instance.LOCK_FILE).exists()
    assert _second_start(claimed) == "False"  # it found us: it would exit 0
    qtbot.waitUntil(lambda: instance.requests == 1)  # our server got "raise"
    qtbot.waitUntil(lambda: not window.isMinimized())


def test_the_window_listens_after_its_first_paint_and_a_second_start_waits_for_it(
        qapp, qtbot, claimed, monkeypatch):
    # The window claims without listening (Qt's network module loads after its first paint);
    # a second start in that moment finds the lock held and keeps asking until it is heard.
    assert single_instance.claim(qapp, claimed, listen=False)
    instance = single_instance.current()
    assert instance.server is None
    assert not single_instance.ask_running(claimed)  # nobody listens yet, and no patience
    waits = []

    def listen_meanwhile(ms):
        waits.append(ms)
        single_instance.listen()  # the window's first paint came meanwhile

    monkeypatch.setattr(single_instance.QThread, "msleep", listen_meanwhile)
    assert single_instance.ask_running(claimed, patience_ms=single_instance.CONNECT_MS)
    assert waits == [single_instance.RETRY_MS]  # asked once more, and was heard
    qtbot.waitUntil(lambda: instance.requests == 1)
    single_instance.listen()  # a second call changes nothing
    assert instance.server.isListening()


def test_claiming_again_in_the_same_process_keeps_the_claim(qapp, claimed):
    assert single_instance.claim(qapp, claimed)
    first = single_instance.current()
    assert single_instance.claim(qapp, claimed)
    assert single_instance.current() is first


def test_after_the_first_program_ends_a_new_start_runs(qapp, claimed):
    assert single_instance.claim(qapp, claimed)
    single_instance.release()
    assert _second_start(claimed) == "True"


def test_a_lock_left_by_a_crashed_program_is_taken_over(qapp, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    # What QLockFile writes, for a process that no longer exists on this host.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    from PySide6.QtCore import QSysInfo

    (folder / single_instance.LOCK_FILE).write_text(
        f"{dead}\npython\n{QSysInfo.machineHostName()}\n")
    try:
        assert single_instance.claim(qapp, folder)
        assert single_instance.current() is not None
        assert (folder / single_instance.LOCK_FILE).read_text().split()[0] == str(os.getpid())
    finally:
        single_instance.release()


def test_an_unwritable_data_folder_does_not_stop_the_start(qapp, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert single_instance.claim(qapp, blocker / "data")


# --- Help ▸ About -------------------------------------------------------------------------


def test_about_shows_versions_the_database_and_the_notices(sqlite_firm, qtbot, session_for):
    import PySide6

    import services
    from ui.about import AboutDialog

    session = session_for(sqlite_firm)
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert services.__version__ in dialog.findChild(QWidget, "about_title").text()
    assert dialog.version_labels["PySide6"].text() == PySide6.__version__
    assert dialog.version_labels["Qt"].text()
    assert "lunar-python" in dialog.version_labels
    assert dialog.database_label.text() == sqlite_firm.location
    assert dialog.notices_button.isEnabled()
    notices = dialog.show_notices()
    text = notices.findChild(QWidget, "notices_text").toPlainText()
    assert "LGPL" in text and "WenQuanYi" in text
    assert session is not None


def test_help_about_opens_from_the_main_window(sqlite_firm, qtbot, session_for):
    from ui.about import AboutDialog
    from ui.main_window import MainWindow

    window = MainWindow(session_for(sqlite_firm))
    qtbot.addWidget(window)
    window.about_action.trigger()
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()


def test_every_section_opens_from_the_static_registry(sqlite_firm, qtbot, session_for):
    from ui.main_window import SECTIONS, MainWindow, screen_class

    window = MainWindow(session_for(sqlite_firm))
    qtbot.addWidget(window)
    for section in SECTIONS:
        assert isinstance(screen_class(section.key), type)
        if section.applies is None:
            assert window.show_section(section.key) is not None, section.key


# --- Settings › Data folder ---------------------------------------------------------------


@pytest.fixture
def user_home(tmp_path, monkeypatch):
    """This user's folder under tmp (XDG_DATA_HOME), never the real one."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "ComplaintDesk"


_kept: list = []


def _settings(firm, login, qtbot, session_for, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import ui.settings.view as view_module
    from ui.settings import SettingsView

    monkeypatch.setattr(view_module, "ask_unsaved",
                        lambda parent: QMessageBox.StandardButton.Discard)
    view = SettingsView(session_for(firm, login))
    qtbot.addWidget(view)
    _kept.append(view)  # qtbot holds its widgets weakly
    return view.data_folder_page


def test_data_folder_choice_is_saved_for_the_next_start(sqlite_firm, qtbot, session_for,
                                                        monkeypatch, user_home):
    from services import install

    page = _settings(sqlite_firm, "owner", qtbot, session_for, monkeypatch)
    assert page.radios["user"].isChecked() and not page.radios["shared"].isChecked()
    assert str(user_home) in page.radios["user"].text()
    assert "COMPLAINTDESK_HOME" in page.in_use.text()  # the tests' own folder wins
    shared = Path(os.environ.get("TMPDIR", "/tmp")) / "ship-test-shared"
    monkeypatch.setattr(install.dbmod, "shared_data_dir", lambda: shared)
    page.radios["shared"].setChecked(True)
    assert (user_home / "data-folder.txt").read_text().strip() == "shared"
    assert install.data_choice() == "shared"
    assert str(shared) in page.errors.info.text()
    page.radios["user"].setChecked(True)
    assert install.data_choice() == "user"


def test_data_folder_is_the_owners_choice(sqlite_firm, qtbot, session_for, monkeypatch,
                                          user_home):
    from services import install
    from services.errors import PermissionDenied

    page = _settings(sqlite_firm, "mgr", qtbot, session_for, monkeypatch)
    assert not page.radios["shared"].isEnabled() and page.note.isVisibleTo(page)
    with pytest.raises(PermissionDenied):
        install.set_data_choice("shared", actor=sqlite_firm.mgr)
    assert not (user_home / "data-folder.txt").exists()
