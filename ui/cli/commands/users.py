"""Command line: users and their roles (`users add|list|unlock`)."""
from __future__ import annotations

from services.i18n import _, format_datetime
from services.people import ROLE_NAMES, ROLES, logins, roles_of, users
from ui.cli.context import CliContext
from ui.cli.output import table


def add_commands(command, commands) -> None:
    group = command(commands, "users", _("users and their roles"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    p = command(sub, "add", _("add a user"), cmd_user_add)
    p.add_argument("--login", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--roles", required=True, metavar="A,B",
                   help=_("comma-separated: {roles}").format(roles=", ".join(ROLES)))
    p.add_argument("--department", metavar="CODE")
    p.add_argument("--phone", default="")
    p.add_argument("--new-password-stdin", action="store_true",
                   help=_("read the new user's password from standard input (after the acting "
                          "user's, if that comes from there too)"))
    command(sub, "list", _("list the active users"), cmd_user_list)
    p = command(sub, "unlock", _("let a login that failed too often log in again (the owner)"),
                cmd_user_unlock)
    p.add_argument("login", metavar="LOGIN")


def cmd_user_add(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    password = s.new_password(a.login, from_stdin=a.new_password_stdin)
    user = users.create_user(login=a.login, name=a.name, password=password, roles=a.roles,
                             department=a.department, phone=a.phone, actor=actor)
    roles = [r for r in ROLES if r in roles_of(user)]
    s.emit({"login": user.login, "name": user.name, "roles": roles,
            "department": a.department or None},
           lambda: _("Added {name} ({login}): {roles}.").format(
               name=user.name, login=user.login,
               roles=", ".join(_(ROLE_NAMES[r]) for r in roles)))
    return 0


def cmd_user_list(s: CliContext) -> int:
    s.log_in()  # docs/rules.md §10: who works here is not shown to whoever runs the program
    found = users.list_users()
    blocked = logins.throttled()

    def until(u) -> str:
        st = blocked.get(u.login)
        if st is None:
            return ""
        text = _("locked until {until}") if st.locked else _("waits until {until}")
        return text.format(until=format_datetime(st.until))

    s.emit([{"login": u.login, "name": u.name, "roles": list(u.roles),
             "department": u.department, "active": u.active,
             "login_blocked_until": blocked[u.login].until.isoformat()
             if u.login in blocked else None,
             "login_locked": u.login in blocked and blocked[u.login].locked} for u in found],
           lambda: table([_("Login"), _("Name"), _("Roles"), _("Department")]
                         + ([_("Log-in")] if blocked else []),
                         [[u.login, u.name, ", ".join(_(ROLE_NAMES[r]) for r in u.roles),
                           u.department] + ([until(u)] if blocked else []) for u in found]))
    return 0


def cmd_user_unlock(s: CliContext) -> int:
    actor = s.log_in()
    login = s.args.login.strip()
    was = logins.unlock(login, actor=actor)
    s.emit({"login": login, "unlocked": was},
           lambda: (_("{login} may log in again.") if was else
                    _("{login} was neither waiting nor locked.")).format(login=login))
    return 0
