"""Small html / docx / pdf reports made from a seed's text, for the loader tests."""
from __future__ import annotations

import html
import io
from pathlib import Path


def blocks(text: str) -> list[list[str] | str]:
    """Paragraphs (str) and tables (list of tab-joined rows) of a tab-layout seed, in order."""
    out: list[list[str] | str] = []
    for line in text.split("\n"):
        if "\t" in line:
            if not out or not isinstance(out[-1], list):
                out.append([])
            out[-1].append(line)  # type: ignore[union-attr]
        elif line.strip():
            out.append(line.strip())
    return out


def make_html(text: str, path: Path) -> Path:
    parts = ["<html><head><meta charset='utf-8'><title>report</title></head><body>"]
    for b in blocks(text):
        if isinstance(b, list):
            parts.append("<table border='1'>")
            for row in b:
                parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row.split("\t")) + "</tr>")
            parts.append("</table>")
        else:
            parts.append(f"<p>{html.escape(b)}</p>")
    parts.append("</body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def make_docx(text: str, path: Path) -> Path:
    import docx

    document = docx.Document()
    for b in blocks(text):
        if isinstance(b, list):
            rows = [r.split("\t") for r in b]
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.cell(i, j).text = c
        else:
            document.add_paragraph(b)
    document.save(path)
    return path


def make_pdf(text: str, path: Path) -> Path:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a CID font: no font file needed
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    story = []
    for b in blocks(text):
        if isinstance(b, list):
            rows = [r.split("\t") for r in b]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            story.append(Table(rows, style=[("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                                            ("FONTSIZE", (0, 0), (-1, -1), 6),
                                            ("GRID", (0, 0), (-1, -1), 0.3, "black")]))
        else:
            story.append(Paragraph(html_escape(b), style))
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
    return path


def html_escape(s: str) -> str:
    return html.escape(s)


def make_scanned_pdf(path: Path) -> Path:
    """A pdf with a drawing and no text layer, like a scan."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(100, 100, 300, 400, fill=1)
    c.showPage()
    c.save()
    return path


def docx_bytes_without_document() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a docx")
    return buffer.getvalue()
