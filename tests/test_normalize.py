from __future__ import annotations

import subprocess
import sys

from hypothesis import given, settings, strategies as st

from conftest import ROOT, SAMPLE, seed_text
from extractor import extract
from extractor.normalize import normalize


def test_traditional_to_simplified_keeps_offsets():
    text = seed_text("004")
    norm = normalize(text)
    assert norm.traditional
    assert "根据《中华人民共和国政府信息公开条例》" in norm.text
    assert len(norm.text) == len(text)  # character by character: offsets unchanged


def test_full_width_and_space_runs_map_back():
    original = "共收到申请８件，\u3000\u3000结转１件\r\n（合计）"
    norm = normalize(original)
    assert norm.text == "共收到申请8件, 结转1件\n(合计)"
    for i, ch in enumerate(norm.text):
        source = original[norm.to_original(i)]
        assert ch == source or ord(source) - ord(ch) == 0xFEE0 or source == "\u3000"


def test_simplified_text_is_not_converted():
    norm = normalize(seed_text("001"))
    assert not norm.traditional


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("規章政府0１２ ab\t\n\r\u3000\u200b，（）|")), max_size=80))
def test_offset_map_is_monotonic_and_points_at_kept_characters(text):
    norm = normalize(text)
    mapped = [norm.to_original(i) for i in range(len(norm.text))]
    assert mapped == sorted(mapped) and len(set(mapped)) == len(mapped)
    assert all(0 <= m < len(text) for m in mapped)


def test_show_text_prints_the_text_offsets_index():
    run = subprocess.run([sys.executable, "-m", "extractor", "extract", str(SAMPLE), "--show-text", "--no-model"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0
    report = extract(SAMPLE)
    assert run.stdout.rstrip("\n") == report.text.rstrip("\n")
    ev = report.metrics["applications.new.total"].evidence
    assert run.stdout[ev.start:ev.end] == "8"
