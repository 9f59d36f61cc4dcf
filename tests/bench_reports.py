"""How long the reports take on a big database (docs/rules.md §10: the monthly summary PDF
under 300 ms and the yearly register under 30 s and 300 MB at 100,000 complaints). A
measurement, not a test:

    python -m tests.bench_reports [--complaints 100000] [--db PATH] [--month YYYY-MM]
                                  [--register]

Makes (or reuses) a repair-shop demo database with its warranty claims and penalty ledger,
then prints the median of several runs of ``monthly_summary`` for the owner, the time to
write the spreadsheet, and the time of each report document (monthly summary, month ledger,
weekly statistics) with the process's CPU time beside it (on a shared machine the wall clock
waits for others). ``--register`` also prints the yearly register of the busiest year: lines,
pages, time and the process's peak memory (run it alone: the peak is the process's).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--db", help="a SQLite path or PostgreSQL URL; filled when empty")
    parser.add_argument("--month", help="YYYY-MM; by default the latest month with complaints")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--register", action="store_true",
                        help="also print the yearly register of the busiest year")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from models.entities import Complaint
    from services import demo, reports
    from services.firm import close_database, open_database
    from services.people import users

    location = args.db or str(Path(tempfile.mkdtemp(prefix="cd-bench-")) / "bench.sqlite3")
    open_database(location)
    if not Complaint.select().exists():
        began = time.perf_counter()
        demo.generate_all(profile="repair-shop", complaints=args.complaints, seed=7)
        print(f"demo data made in {time.perf_counter() - began:.0f} s: {location}")
    month = args.month
    if month is None:
        last = Complaint.select(Complaint.received_at).order_by(
            Complaint.received_at.desc()).first()
        month = f"{last.received_at.year:04d}-{last.received_at.month:02d}"
    owner = users.get_user("owner")
    reports.monthly_summary(actor=owner, month=month)  # warm caches, as a second look would
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        summary = reports.monthly_summary(actor=owner, month=month)
        times.append((time.perf_counter() - began) * 1000)
    began = time.perf_counter()
    target = Path(tempfile.mkdtemp(prefix="cd-bench-")) / f"summary-{month}.xlsx"
    reports.export_xlsx(summary, target, language="zh_CN")
    xlsx_ms = (time.perf_counter() - began) * 1000
    print(f"{Complaint.select().count()} complaints, month {month}: "
          f"{summary.received.current} received, {summary.closed.current} closed")
    print(f"monthly_summary: median {statistics.median(times):.0f} ms "
          f"(min {min(times):.0f}, max {max(times):.0f}, {args.runs} runs)")
    print(f"export_xlsx: {xlsx_ms:.0f} ms")
    _documents(owner, month, args.runs)
    if args.register:
        _register(owner)
    close_database()
    return 0


def _documents(owner, month: str, runs: int) -> None:
    from services import documents

    for name, make in (
            ("monthly summary PDF", lambda: documents.render_monthly_summary(
                month, actor=owner, lang="zh_CN")),
            ("month ledger PDF", lambda: documents.render_month_ledger(
                month, actor=owner, lang="zh_CN")),
            ("weekly statistics PDF", lambda: documents.render_weekly_statistics(
                f"{month}-15", actor=owner, lang="zh_CN"))):
        make()  # fonts registered, caches warm
        wall, cpu = [], []
        for _ in range(runs):
            began, began_cpu = time.perf_counter(), time.process_time()
            make()
            wall.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
        print(f"{name}: median {statistics.median(wall):.0f} ms "
              f"(CPU {statistics.median(cpu):.0f} ms)")


def _register(owner) -> None:
    import io
    import resource

    from peewee import fn
    from pypdf import PdfReader

    from models.entities import Complaint
    from services import documents

    year_of = fn.SUBSTR(Complaint.received_at, 1, 4)
    year, lines = (Complaint.select(year_of, fn.COUNT(Complaint.id)).group_by(year_of)
                   .order_by(fn.COUNT(Complaint.id).desc()).tuples().first())
    began, began_cpu = time.perf_counter(), time.process_time()
    pdf = documents.render_yearly_register(int(year), actor=owner, lang="zh_CN",
                                           progress=lambda f: None)
    seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"yearly register {year}: {lines} lines, {pages} pages, {seconds:.1f} s "
          f"(CPU {cpu:.1f} s), peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    sys.exit(main())
