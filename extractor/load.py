"""Stage 1, load: any report file -> plain text, with tables kept as tab-separated rows.

The format is recognised from the bytes, not the extension: pdf by its %PDF header, docx by its
zip layout, html by its tags, everything else as text in whatever encoding charset-normalizer
finds (UTF-8, UTF-8 with BOM, GBK/GB18030, Big5 ...). Every table of html, docx and pdf becomes one
line per row with cells joined by tabs, so one table parser serves every format.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import InputError

MAX_BYTES = 64 * 1024 * 1024
_HTML_SNIFF = re.compile(rb"<\s*(html|body|table|div|p|tr|td|meta|head)\b", re.I)


@dataclass(frozen=True)
class LoadedText:
    source: str
    text: str
    format: str  # "text" | "html" | "docx" | "pdf"


def load(path: str | Path) -> LoadedText:
    """Read one report file; raises InputError naming the file and the problem."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise InputError(source, "no such file")
    if path.is_dir():
        raise InputError(source, "is a directory, not a report file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(source, "empty file")
    if size > MAX_BYTES:
        raise InputError(source, f"file too large ({size / 2**20:.0f} MiB > {MAX_BYTES // 2**20} MiB)")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot be read ({exc.strerror or exc})") from exc
    return load_bytes(data, source)


def load_bytes(data: bytes, source: str = "<bytes>") -> LoadedText:
    if not data.strip():
        raise InputError(source, "empty file")
    if data.startswith(b"%PDF-"):
        return LoadedText(source, _pdf_text(data, source), "pdf")
    if data.startswith(b"PK\x03\x04"):
        return LoadedText(source, _zip_text(data, source), "docx")
    text = decode(data, source)
    if _HTML_SNIFF.search(data[:4096]):
        return LoadedText(source, html_text(text), "html")
    return LoadedText(source, text, "text")


def decode(data: bytes, source: str) -> str:
    """Bytes -> str: UTF-8 (BOM stripped) when valid, else the encoding charset-normalizer finds."""
    if b"\x00" in data[:8192] and not (data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff")):
        raise InputError(source, "binary file (contains NUL bytes), not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError(source, "binary or undecodable file: no text encoding fits")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"  # the superset: never fails where GBK would on rare characters
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(source, f"undecodable text (guessed {best.encoding}: {exc})") from exc
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 20000):
        raise InputError(source, "binary file: decodes to control characters, not text")
    return text


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _row_line(cells: list[str]) -> str:
    return "\t".join(_cell(c) for c in cells)


# ---- html --------------------------------------------------------------------------------------

def html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    tables = soup.find_all("table")
    for table in reversed(tables):  # innermost first, so nested tables render inside their cell
        rows = []
        for tr in table.find_all("tr"):
            cells = [td.get_text(" ", strip=True) for td in tr.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append(_row_line(cells))
        table.replace_with(soup.new_string("\n" + "\n".join(rows) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = soup.get_text("\n")
    lines = [line.strip(" \u3000\xa0") if "\t" not in line else line.strip("\n") for line in blocks.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# ---- docx --------------------------------------------------------------------------------------

def _zip_text(data: bytes, source: str) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise InputError(source, f"broken zip/docx file ({exc})") from exc
    if "word/document.xml" not in names:
        raise InputError(source, "zip file that is not a .docx document (unknown format)")
    return _docx_text(data, source)


def _docx_text(data: bytes, source: str) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types for broken files
        raise InputError(source, f"broken .docx file ({type(exc).__name__}: {exc})") from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells, seen = [], set()
                for cell in row.cells:  # a merged cell repeats: keep it once
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(cell.text)
                lines.append(_row_line(cells))
    text = "\n".join(lines).strip()
    if not text:
        raise InputError(source, ".docx document has no text")
    return text + "\n"


# ---- pdf ---------------------------------------------------------------------------------------

def _pdf_text(data: bytes, source: str) -> str:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = list(pdf.pages)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise InputError(source, f"broken or truncated pdf ({type(exc).__name__})") from exc
    parts: list[str] = []
    try:
        for page in pages:
            parts.append(_pdf_page_text(page))
    except Exception as exc:
        raise InputError(source, f"broken or truncated pdf ({type(exc).__name__})") from exc
    finally:
        pdf.close()
    text = "\n".join(p for p in parts if p).strip()
    if not text:
        raise InputError(source, "pdf has no text layer (a scan?): run OCR first")
    return text + "\n"


def _pdf_page_text(page) -> str:  # noqa: ANN001 (pdfplumber.page.Page)
    tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    pieces: list[str] = []
    top = 0.0
    for table in tables:
        x0, t_top, x1, t_bottom = table.bbox
        if t_top > top:
            band = page.crop((0, top, page.width, t_top)).extract_text() or ""
            pieces.append(band)
        rows = [_row_line([c or "" for c in row]) for row in table.extract()]
        pieces.append("\n".join(r for r in rows if r.strip("\t")))
        top = max(top, t_bottom)
    if top < page.height:
        pieces.append(page.crop((0, top, page.width, page.height)).extract_text() or "")
    return "\n".join(p.strip("\n") for p in pieces if p.strip())
