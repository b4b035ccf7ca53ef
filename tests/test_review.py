"""The review page in headless Chromium: it renders offline, shows every mention, and puts
conflicts on top."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, seed_text
from extractor import extract
from extractor.review import render
from test_merge import SEED001, FixedTagger

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def browser(tmp_path: Path, *args: str) -> str:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (the Makefile installs Debian's chromium)")
    run = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def conflicted_report():
    text = seed_text("001").replace("共收到政府信息公开申请8件", "共收到政府信息公开申请9件")
    tagger = FixedTagger([("9件", "APP_RECEIVED", "共收到政府信息公开申请9件")] + SEED001[1:])
    return extract(text, model=tagger)


def test_page_is_self_contained():
    page = render(conflicted_report())
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)
    assert "<script" not in page and "@import" not in page


def test_review_page_renders_in_chromium_with_every_mention_and_the_conflict(tmp_path):
    report = conflicted_report()
    page = tmp_path / "review.html"
    page.write_text(render(report), encoding="utf-8")
    dom = browser(tmp_path, "--dump-dom", page.as_uri())
    assert len(re.findall(r"<mark class=\"mention[^\"]*\"", dom)) == len(report.mentions) == 3
    problems = dom[: dom.index("<h2>Metrics</h2>")]
    assert 'id="problems"' in problems and "conflict on applications.new.total" in problems
    assert "applications.new.total" in problems and "prose_vs_table.prose.app_received" in problems
    for key in ("applications.new.total", "active.procurement.amount"):
        start = report.metrics[key].evidence.start
        assert f'id="t{start}"' in dom and f'href="#t{start}"' in dom  # each cell links to its place in the text


def test_screenshot(tmp_path):
    report = extract(seed_text("001"), model=FixedTagger(SEED001))
    page = tmp_path / "review.html"
    page.write_text(render(report), encoding="utf-8")
    shot = tmp_path / "shot.png"
    browser(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    assert shot.stat().st_size > 10_000


def test_cli_review_writes_the_page(tmp_path):
    out = tmp_path / "r.html"
    run = subprocess.run(["python", "-m", "extractor", "review", str(ROOT / "examples" / "seed_001_luoyang_eeb_2020.txt"),
                          "-o", str(out), "--no-model"], capture_output=True, text=True, cwd=ROOT,
                         env={"PATH": str(Path(__import__('sys').executable).parent) + ":/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    assert "193 metrics" in run.stdout and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
