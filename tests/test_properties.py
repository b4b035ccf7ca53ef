"""Random and mangled input: nothing escapes but the project's own clear errors."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import seed_text
from extractor import extract
from extractor.errors import InputError
from extractor.load import load_bytes

SEED = seed_text("001")
TABLES = SEED[SEED.index("二、主动公开政府信息情况"): SEED.index("五、存在的主要问题")]


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_loader_on_random_bytes(data):
    try:
        loaded = load_bytes(data, "random.bin")
    except InputError as exc:
        assert str(exc).startswith("random.bin: ")
    else:
        assert isinstance(loaded.text, str)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"<html><table><tr><td>", b"\xef\xbb\xbf"]), st.binary(max_size=2000))
def test_loader_on_mangled_headers(head, tail):
    try:
        load_bytes(head + tail, "mangled")
    except InputError as exc:
        assert "mangled: " in str(exc)


def _mangle(text: str, edits: list[tuple[int, str]]) -> str:
    chars = list(text)
    for pos, what in edits:
        i = pos % (len(chars) + 1)
        if what == "del":
            del chars[i:i + 3]
        else:
            chars.insert(i, what)
    return "".join(chars)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["del", "\t", "\n", "|", "0", "12", "—", "万元", " ", "、"])),
                max_size=40))
def test_table_parser_on_mangled_tables(edits):
    text = _mangle(TABLES, edits)
    report = extract(text)
    for key, m in report.metrics.items():
        assert report.text[m.evidence.start:m.evidence.end] == m.evidence.text, key
        assert isinstance(m.value, (int, float))
    for u in report.unparsed:
        assert u["reason"]


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=2000))
def test_pipeline_on_random_text(text):
    try:
        report = extract(text)
    except InputError as exc:  # a short string naming an existing path ("/") is read as that path
        assert exc.source == text
    else:
        assert report.template in ("legacy", "v2019", "v2021", "none")
