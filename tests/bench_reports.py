"""How long the monthly summary takes on a big database (docs/rules.md §10: well under a second
on 100,000 complaints). A measurement, not a test:

    python -m tests.bench_reports [--complaints 100000] [--db PATH] [--month YYYY-MM]

Makes (or reuses) a repair-shop demo database with its warranty claims and penalty ledger,
then prints the median of several runs of ``monthly_summary`` for the owner and the time to
write the spreadsheet.
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
    close_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
