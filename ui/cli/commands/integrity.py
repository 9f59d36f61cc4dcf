"""`main.py verify [--full]`: check that the records are as the program wrote them, and
`main.py restrict-role ROLE`: keep the program's PostgreSQL role to adding rows
(docs/design.md, Tamper evidence)."""
from __future__ import annotations

from services import integrity
from services.i18n import _
from ui.cli.context import CliContext

# The exit status when a check finds a record changed, added or deleted outside the program.
EXIT_TAMPERED = 3


def add_commands(command, commands) -> None:
    p = command(commands, "verify", _("check that no record was changed, added or deleted "
                                      "outside ComplaintDesk (owner, manager)"), cmd_verify)
    p.add_argument("--full", action="store_true",
                   help=_("check every record, not only those written since the last check"))
    p = command(commands, "restrict-role", _("PostgreSQL: let the program's role only add to "
                                             "the timeline and the ledger, never change them "
                                             "(run by an administrator; owner)"),
                cmd_restrict_role)
    p.add_argument("role", metavar="ROLE", help=_("the role the program logs in with"))
    p.add_argument("--owner-role", default=None, metavar="ROLE",
                   help=_("the role that will own the tables (default: <database>_owner)"))


def cmd_verify(s: CliContext) -> int:
    actor = s.log_in()
    report = integrity.verify(actor=actor, full=bool(s.opt("full")))
    data = {"ok": report.ok, "full": report.full, "seals": report.seals, "rows": report.rows,
            "problems": [p.as_dict() for p in report.problems]}
    s.emit(data, lambda: "\n".join([p.describe() for p in report.problems]
                                   + [report.summary()]))
    return 0 if report.ok else EXIT_TAMPERED


def cmd_restrict_role(s: CliContext) -> int:
    actor = s.log_in()
    integrity_owner = integrity.restrict_role(actor=actor, app_role=s.args.role,
                                              owner_role=s.opt("owner_role"))
    s.emit({"role": s.args.role, "owner_role": integrity_owner},
           lambda: _("The role {role} may now only add to the append-only tables; they belong "
                     "to {owner}.").format(role=s.args.role, owner=integrity_owner))
    return 0
