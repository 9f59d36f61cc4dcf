"""Every screen, in both languages, at 100 % and at 150 % scale: no label, button or column title
is cut, and no window is larger than the screen (docs/design.md, Screens that fit).

Each combination runs tests/ui/screen_fit_probe.py in a process of its own, because Qt fixes the
screen's size and scale when it starts. The screens are those of a small repair-shop demo (the
profile with the most screens)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# 100 %: a common office laptop; 150 %: a 1920×1080 screen scaled to 1280×720 logical pixels
SCREENS = {
    "100": {"width": 1366, "height": 768, "dpr": 1},
    "150": {"width": 1920, "height": 1080, "dpr": 1.5},
}


@pytest.fixture(scope="module")
def shop_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fit")
    location = folder / "shop.sqlite3"
    code = ("import sys; from services import demo; from services.firm import setup; "
            "setup.open_database(sys.argv[1]); "
            "demo.generate_all(profile='repair-shop', complaints=80, seed=3); "
            "from tests.ui.screen_fit_probe import add_states; add_states()")
    env = {**os.environ, "COMPLAINTDESK_HOME": str(folder / "home")}
    subprocess.run([sys.executable, "-c", code, str(location)], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=600)
    return folder, location


@pytest.mark.parametrize("scale", sorted(SCREENS))
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_screen_fits(shop_db, lang, scale, tmp_path):
    folder, location = shop_db
    config = tmp_path / "screen.json"
    screen = {"name": "screen", "x": 0, "y": 0, "logicalDpi": 96, "logicalBaseDpi": 96,
              **SCREENS[scale]}
    config.write_text(json.dumps({"screens": [screen]}))
    env = {**os.environ, "COMPLAINTDESK_HOME": str(folder / "home"),
           "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    env.pop("QT_SCALE_FACTOR", None)
    done = subprocess.run([sys.executable, "-m", "tests.ui.screen_fit_probe", str(location),
                           lang], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(report["screens"]) >= 100, report["screens"]
    for part in ("first start", "registration form", "settings ›", "warranty › register a claim",
                 "penalties › an entry by hand", "main window › due", "restored larger",
                 "complaint (registered)", "complaint (replied)", "user guide"):
        assert any(part in name for name in report["screens"]), part
    assert report["problems"] == []
