"""A package face that imports some of its parts on first use (services.later_parts): the
names it gives work as if imported at the top, and the register's start leaves the parts out
(tests/ui/test_app.py checks that in a fresh process)."""
from __future__ import annotations

import sys

import pytest

import services.integrity as tamper_evidence
from services import backup, complaints, timelimits
from tests.children import python_child


def test_the_names_a_face_gives_of_a_later_part_are_the_parts_own():
    from services.backup import integrity, pg_commands, postgres
    from services.timelimits import QueueFilter, queue

    assert backup.daily_check is integrity.daily_check
    assert pg_commands is postgres.pg_commands
    assert timelimits.QueueFilter is QueueFilter is queue.QueueFilter
    assert timelimits.queue is queue
    assert complaints.attachments is sys.modules["services.complaints.attachments"]
    from services.integrity import Report, checking, problems, recent_problems, roles

    assert tamper_evidence.Report is Report is problems.Report
    assert tamper_evidence.recent_problems is recent_problems is checking.recent_problems
    assert tamper_evidence.roles is roles
    # a name the part shares with a function the face gives stays the function
    assert callable(backup.restore) and backup.restore.__name__ == "restore"


def test_a_name_no_part_gives_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = timelimits.nothing_here
    with pytest.raises(ImportError):
        from services.backup import nothing_here  # noqa: F401


def test_the_faces_leave_their_later_parts_unimported_until_used():
    code = ("import sys\n"
            "from services import backup, complaints, integrity, timelimits\n"
            "later = ('services.backup.integrity', 'services.backup.postgres',\n"
            "         'services.timelimits.queue', 'services.complaints.attachments',\n"
            "         'services.integrity.checking', 'services.integrity.roles')\n"
            "print(sorted(m for m in later if m in sys.modules))\n"
            "timelimits.QueueRow\n"
            "print('services.timelimits.queue' in sys.modules)\n")
    assert python_child(code).split("\n")[:2] == ["[]", "True"]
