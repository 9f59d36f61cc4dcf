"""One command line run: parse, open, act, report; the exit status (docs/design.md)."""
from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import services.features  # noqa: F401 - connects every feature's hooks (docs/design.md)
from services.errors import DomainError, database_failure
from services.i18n import _, current_language, set_language
from ui.cli.args import ArgError, build_parser, prescan
from ui.cli.commands import GROUPS
from ui.cli.context import CliContext
from ui.cli.output import fail


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status (0 done, 2 bad input/refused, 1 unexpected)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    previous = current_language()
    lang, debug = prescan(argv)
    context = None
    try:
        if lang:
            set_language(lang)
        try:
            args = build_parser(GROUPS).parse_args(argv)
        except SystemExit as exc:  # --help
            return exc.code if isinstance(exc.code, int) else 0
        context = CliContext(args)
        return args.func(context)
    except ArgError as exc:
        fail(str(exc))
        return 2
    except DomainError as exc:  # ValidationError, PermissionDenied, StateError, SchemaError…
        fail(exc.message())
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place the unexpected is reported
        if debug:
            traceback.print_exc()
        failure = database_failure(exc)  # a locked, full, unreachable database: one sentence
        if failure is not None:
            fail(failure.message())
            return 2
        fail(_("unexpected {kind}: {detail} (run again with --debug for details)").format(
            kind=type(exc).__name__, detail=exc))
        return 1
    finally:
        if context is not None:
            context.close()
        set_language(previous)
