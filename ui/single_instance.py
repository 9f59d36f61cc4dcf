"""One window per data folder, as a Windows program behaves: a second start asks the running
one to come forward and ends (docs/design.md, Shipping).

A ``QLockFile`` in the data folder says who runs (a lock left by a crashed program is stale:
its process is gone, and Qt takes it over); a ``QLocalServer`` named after the data folder
receives "raise" from a second start.

The window takes the lock before anything shows, but starts the server only after its first
paint (``claim(listen=False)``, then ``listen()``): Qt's network module takes milliseconds
to load (docs/design.md, Start-up). A second start in between finds the lock held by a live
program and keeps asking for up to ``CONNECT_MS``.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QThread
from PySide6.QtWidgets import QApplication, QWidget

from services import install

LOCK_FILE = "complaintdesk.lock"
RAISE = b"raise"
CONNECT_MS = 2000
RETRY_MS = 50  # between asks, while a program that holds the lock starts its server
STALE_MS = 0  # a lock whose process is gone is stale at once; a live one never is

_claimed: Instance | None = None


def server_name(folder: Path) -> str:
    """Local socket names are global to the user's session: one per data folder."""
    import hashlib  # here: OpenSSL's start is not needed before the first paint

    digest = hashlib.sha1(str(folder.resolve()).lower().encode()).hexdigest()[:12]
    return f"{install.INSTANCE_NAME}-{digest}"


class Instance(QObject):
    """The running program's lock and server; ``raise_windows`` on a second start."""

    def __init__(self, folder: Path, lock: QLockFile, parent: QObject | None = None):
        super().__init__(parent)
        self.folder = folder
        self.lock = lock
        self.requests = 0
        self.server = None

    def listen(self) -> None:
        """Start answering second starts (once)."""
        if self.server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(self.folder)
        QLocalServer.removeServer(name)  # a socket file left by a crashed program (Unix)
        self.server.listen(name)
        self.server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket) -> None:
        if bytes(socket.readAll().data()).strip() == RAISE:
            self.requests += 1
            raise_windows()

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()


def raise_windows() -> None:
    """Bring the program's visible windows forward (the main window, or the log-in)."""
    app = QApplication.instance()
    windows = [w for w in app.topLevelWidgets() if isinstance(w, QWidget) and w.isVisible()
               and w.isWindow()] if app is not None else []
    for window in windows:
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()


def ask_running(folder: Path, *, patience_ms: int = 0) -> bool:
    """Ask the program running on ``folder`` to come forward; False if none answered, asking
    again for up to ``patience_ms`` (a program that has just started listens a moment after
    it took the lock)."""
    from PySide6.QtNetwork import QLocalSocket

    give_up = time.monotonic() + patience_ms / 1000
    while True:
        socket = QLocalSocket()
        socket.connectToServer(server_name(folder))
        if socket.waitForConnected(CONNECT_MS):
            socket.write(RAISE + b"\n")
            socket.waitForBytesWritten(CONNECT_MS)
            socket.disconnectFromServer()
            return True
        if time.monotonic() >= give_up:
            return False
        QThread.msleep(RETRY_MS)


def claim(app: QObject, folder: Path | None = None, *, listen: bool = True) -> bool:
    """True: this process is the program for ``folder`` (the data folder) and keeps the lock
    until it ends. False: another one runs and was asked to come forward; end quietly.
    ``listen=False``: the caller starts answering second starts later, with ``listen()``."""
    global _claimed
    folder = Path(folder or install.data_folder())
    if _claimed is not None and _claimed.folder == folder:
        return True  # already ours (a test that starts the window twice in one process)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return True  # nowhere to lock: better two windows than none
    lock = QLockFile(str(folder / LOCK_FILE))
    lock.setStaleLockTime(STALE_MS)
    if not lock.tryLock(0):
        if lock.error() == QLockFile.LockError.LockFailedError \
                and ask_running(folder, patience_ms=CONNECT_MS):
            return False
        # Held, but nobody answers: a hung or crashed program. Take the lock over.
        lock.removeStaleLockFile()
        if not lock.tryLock(0):
            return not ask_running(folder)
    if _claimed is not None:
        _claimed.release()
    _claimed = Instance(folder, lock, app)
    if listen:
        _claimed.listen()
    _windows_mutex()
    return True


def listen() -> None:
    """Start answering second starts, if this process holds the claim."""
    if _claimed is not None:
        _claimed.listen()


_mutex = None


def _windows_mutex() -> None:
    """A named mutex while the program runs: the installer's AppMutex (installer/
    complaintdesk.iss) sees it and asks to close the program before an upgrade."""
    global _mutex
    if sys.platform != "win32" or _mutex is not None:
        return
    import ctypes

    _mutex = ctypes.windll.kernel32.CreateMutexW(None, False, install.INSTANCE_NAME)


def current() -> Instance | None:
    return _claimed


def release() -> None:
    global _claimed
    if _claimed is not None:
        _claimed.release()
        _claimed = None
