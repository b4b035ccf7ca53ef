"""Every input format gives the same table values as the text; every bad input a clear error."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CORPUS, ROOT, need_corpus, seed_text
from extractor import extract
from extractor.errors import InputError
from extractor.load import load
from fixtures import docx_bytes_without_document, make_docx, make_html, make_pdf, make_scanned_pdf

TABLE_PREFIXES = ("active.", "applications.", "review.", "litigation_direct.", "litigation_after_review.")


def table_values(path_or_text) -> dict[str, float]:
    return {k: m.value for k, m in extract(path_or_text).metrics.items() if k.startswith(TABLE_PREFIXES)}


@pytest.fixture(scope="module")
def seed001() -> str:
    return seed_text("001")


@pytest.fixture(scope="module")
def reference(seed001) -> dict[str, float]:
    return table_values(seed001)


def test_utf8_with_bom_and_gbk_and_gb18030(tmp_path, seed001, reference):
    for name, data in (("bom.txt", b"\xef\xbb\xbf" + seed001.encode("utf-8")),
                       ("gbk.txt", seed001.encode("gbk", errors="replace")),
                       ("gb18030.txt", seed001.encode("gb18030"))):
        path = tmp_path / name
        path.write_bytes(data)
        loaded = load(path)
        assert "洛阳市生态环境局" in loaded.text, name
        assert table_values(path) == reference, name


def test_gbk_file_with_misleading_extension(tmp_path, seed001, reference):
    path = tmp_path / "report.md"
    path.write_bytes(seed001.encode("gb18030"))
    assert table_values(path) == reference


def test_html_tables_become_rows(tmp_path, seed001, reference):
    path = make_html(seed001, tmp_path / "report.html")
    assert load(path).format == "html"
    assert table_values(path) == reference


def test_docx_paragraphs_and_tables_in_order(tmp_path, seed001, reference):
    path = make_docx(seed001, tmp_path / "report.docx")
    loaded = load(path)
    assert loaded.format == "docx"
    heading = loaded.text.index("二、主动公开政府信息情况")
    assert heading < loaded.text.index("规范性文件\t") < loaded.text.index("三、收到和处理政府信息公开申请情况")
    assert table_values(path) == reference


def test_pdf_with_text_layer(tmp_path, seed001, reference):
    path = make_pdf(seed001, tmp_path / "report.pdf")
    assert load(path).format == "pdf"
    got = table_values(path)
    assert got == reference


def test_corpus_pdfs_match_their_text_versions():
    need_corpus()
    for gid in ("g045", "g051"):
        from_pdf = table_values(CORPUS / "github" / "raw" / f"{gid}.pdf")
        from_text = table_values(CORPUS / "github" / "texts" / f"{gid}.txt")
        assert from_pdf and from_pdf == from_text, gid


@pytest.mark.parametrize("name,data,problem", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n ", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("broken.docx", docx_bytes_without_document(), "not a .docx"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>\n", "pdf"),
])
def test_bad_input_gets_a_clear_error(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        extract(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        extract(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load(tmp_path)


def test_scanned_pdf_without_text(tmp_path):
    path = make_scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="no text layer"):
        extract(path)


def test_truncated_real_pdf(tmp_path):
    need_corpus()
    data = (CORPUS / "github" / "raw" / "g045.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        report = extract(path)
    except InputError as exc:
        assert str(path) in str(exc)
    else:  # pdfplumber may still read the pages before the cut: then the result is a normal report
        assert report.source == str(path)


def test_cli_reports_bad_files_in_one_line_and_goes_on(tmp_path, seed001):
    good = tmp_path / "good.txt"
    good.write_text(seed001, encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    run = subprocess.run([sys.executable, "-m", "extractor", "extract", str(bad), str(good), "--no-model"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    assert run.stderr.strip() == f"xxgk: {bad}: empty file"
    assert "Traceback" not in run.stderr
    assert '"applications.new.total"' in run.stdout


def test_huge_file_is_refused_with_its_size(tmp_path, monkeypatch):
    import extractor.load as load_module

    path = tmp_path / "huge.txt"
    path.write_bytes("政府信息公开".encode("utf-8") * 2000)
    monkeypatch.setattr(load_module, "MAX_BYTES", 4096)
    with pytest.raises(InputError, match="file too large"):
        load(path)
