"""Smoke test of the built bundle (build.spec), run by .ci/run after the tests and by the
Windows workflow: every command from the bundle in a fresh temporary folder, timed beside
``python main.py`` doing the same (docs/design.md, Shipping).

    python tests/smoke_bundle.py dist/ComplaintDesk [--window-seconds 10] [--no-compare]

Steps: complaintdesk-cli --version, init, demo, complaints list (to find a ticket), report
monthly, document reply, and the windowed ComplaintDesk started offscreen, which must still
be running after --window-seconds (this one waits on the clock: it is a smoke test, not a
unit test); then a second start must end at once with status 0 (one window per folder).
Exit status 0 when every step passed, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "smoke-test-1"
DEMO_PASSWORD = "demo123"  # services/demo's logins
EXE = ".exe" if sys.platform == "win32" else ""


class Failed(Exception):
    pass


def run(cmd: list[str], *, cwd: Path, env: dict, stdin: str = "") -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True,
                            text=True, encoding="utf-8", timeout=600)
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise Failed(f"{' '.join(cmd)} exited {result.returncode}\n{result.stdout}\n"
                     f"{result.stderr}")
    return took, result.stdout


def steps(program: list[str], work: Path, env: dict) -> list[tuple[str, float]]:
    """Run the commands with ``program`` (the bundle's CLI, or python main.py) in ``work``."""
    timings = []

    def step(name: str, args: list[str], stdin: str = "") -> str:
        took, out = run(program + args, cwd=work, env=env, stdin=stdin)
        timings.append((name, took))
        return out

    out = step("--version", ["--version"])
    if not out.startswith("ComplaintDesk "):
        raise Failed(f"--version printed {out!r}")
    step("init", ["init", "--db", "shop.sqlite3", "--profile", "repair-shop", "--firm",
                  "顺达汽车维修", "--owner", "boss", "--password-stdin", "--lang", "en"],
         stdin=f"{PASSWORD}\n")
    step("demo", ["demo", "--db", "demo.sqlite3", "--profile", "company", "--complaints",
                  "200", "--lang", "en"])
    listing = step("complaints list", ["complaints", "list", "--db", "demo.sqlite3", "--user",
                                       "owner", "--password-stdin", "--json"],
                   stdin=f"{DEMO_PASSWORD}\n")
    replied = [c["ticket"] for c in json.loads(listing)
               if c["state"] in ("replied", "visited", "archived")]
    if not replied:
        raise Failed("the demo has no replied complaint")
    step("report monthly", ["report", "monthly", time.strftime("%Y-%m"), "--out",
                            "monthly.pdf", "--db", "demo.sqlite3", "--user", "owner",
                            "--password-stdin"], stdin=f"{DEMO_PASSWORD}\n")
    step("document reply", ["document", "reply", "--ticket", replied[0], "--out", "reply.pdf",
                            "--db", "demo.sqlite3", "--user", "owner", "--password-stdin"],
         stdin=f"{DEMO_PASSWORD}\n")
    for pdf in ("monthly.pdf", "reply.pdf"):
        data = (work / pdf).read_bytes()
        if not data.startswith(b"%PDF") or len(data) < 1000:
            raise Failed(f"{pdf} is not a PDF")
    return timings


def window_stays_up(program: list[str], work: Path, env: dict, seconds: float) -> float:
    """Start the window offscreen on the demo database; it must still run after ``seconds``.
    Returns how long it ran; kills it afterwards."""
    env = {**env, "QT_QPA_PLATFORM": "offscreen"}
    start = time.perf_counter()
    process = subprocess.Popen(program + ["--db", "demo.sqlite3"], cwd=work, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        # still up, as it should be; a second start must find it, ask it forward and end
        second = subprocess.run(program + ["--db", "demo.sqlite3"], cwd=work, env=env,
                                capture_output=True, timeout=60)
        if second.returncode != 0 or process.poll() is not None:
            raise Failed(f"second start: status {second.returncode}, first "
                         f"{'ended' if process.poll() is not None else 'running'}") from None
        return time.perf_counter() - start
    finally:
        if process.poll() is None:
            process.kill()
        output = process.communicate()[0].decode("utf-8", "replace")
    raise Failed(f"the window exited after {time.perf_counter() - start:.1f} s with status "
                 f"{process.returncode}\n{output}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="dist/ComplaintDesk")
    parser.add_argument("--window-seconds", type=float, default=10.0)
    parser.add_argument("--no-compare", action="store_true",
                        help="only the bundle, not python main.py")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    cli = bundle / f"complaintdesk-cli{EXE}"
    window = bundle / f"ComplaintDesk{EXE}"
    for program in (cli, window):
        if not program.exists():
            print(f"missing: {program}", file=sys.stderr)
            return 1
    runs = {"bundle": [str(cli)]}
    if not args.no_compare:
        runs["python main.py"] = [sys.executable, str(ROOT / "main.py")]
    results: dict[str, list[tuple[str, float]]] = {}
    try:
        for name, program in runs.items():
            with tempfile.TemporaryDirectory(prefix="complaintdesk-smoke-") as tmp:
                work = Path(tmp)
                env = {**os.environ, "COMPLAINTDESK_HOME": str(work / "home"),
                       "PYTHONIOENCODING": "utf-8"}
                env.pop("COMPLAINTDESK_PASSWORD", None)
                results[name] = steps(program, work, env)
                if name == "bundle":
                    up = window_stays_up([str(window)], work, env, args.window_seconds)
                    results[name].append((f"window up {args.window_seconds:g} s", up))
                    for log, bad in (("crash.log", "Fatal Python error"),
                                     ("complaintdesk.log", "Traceback")):
                        path = work / "home" / log
                        if path.exists() and bad in path.read_text("utf-8", "replace"):
                            raise Failed(f"{log}:\n{path.read_text('utf-8', 'replace')}")
    except Failed as exc:
        print(f"SMOKE TEST FAILED: {exc}", file=sys.stderr)
        return 1
    names = [n for n, _t in results["bundle"]]
    print(f"{'step':24}" + "".join(f"{run_name:>18}" for run_name in results))
    for i, step_name in enumerate(names):
        cells = []
        for timings in results.values():
            cells.append(f"{timings[i][1]:17.2f}s" if i < len(timings) else f"{'':>18}")
        print(f"{step_name:24}" + "".join(cells))
    print("smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
