"""Loaders parse each supported type and refuse bad input with a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.ingest.loaders import (
    BadEncodingError,
    CorruptFileError,
    DocumentTooLargeError,
    EmptyDocumentError,
    UnsupportedTypeError,
    load_bytes,
    load_path,
)

LIMIT = 100_000


def make_pdf(text: str) -> bytes:
    """A real one-page PDF with ``text``, generated here rather than stored."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Generated brief")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_html(title: str, body: str) -> bytes:
    """An article page with navigation and footer noise around the main text."""
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright Example Media. All rights reserved.</footer>"
        "</body></html>"
    ).encode()


def test_txt_keeps_text_and_takes_title_from_first_line() -> None:
    doc = load_bytes(b"Short title\nBody sentence one. Body two.", "a.txt", LIMIT)
    assert doc.title == "Short title"
    assert doc.text == "Short title\nBody sentence one. Body two."


def test_markdown_front_matter_becomes_metadata() -> None:
    raw = (
        b"---\ntitle: The brief\nsources:\n  - outlet: Reuters\n    date: 2025-03-05\n"
        b"    url: https://example.org/a\n  - outlet: AP\n    date: 2025-03-06\n"
        b"    url: https://example.org/b\n---\nThe body text.\n"
    )
    doc = load_bytes(raw, "brief.md", LIMIT)
    assert doc.title == "The brief"
    assert doc.url == "https://example.org/a"
    assert doc.text == "The body text."
    assert doc.metadata["outlets"] == "Reuters; AP"
    assert doc.metadata["dates"] == "2025-03-05; 2025-03-06"


def test_html_extracts_the_article_not_the_chrome() -> None:
    body = (
        "The envoy met the delegation in Doha on Tuesday for several hours of talks.\n\n"
        "Officials said the meeting focused on the release of hostages held in Gaza."
    )
    doc = load_bytes(make_html("Envoy meets delegation", body), "page.html", LIMIT)
    assert "met the delegation in Doha" in doc.text
    assert "release of hostages" in doc.text
    assert "All rights reserved" not in doc.text
    assert doc.title == "Envoy meets delegation"


def test_pdf_text_is_extracted() -> None:
    doc = load_bytes(make_pdf("The agreement was signed in Doha in 2020."), "x.pdf", LIMIT)
    assert "signed in Doha in 2020" in doc.text
    assert doc.title == "Generated brief"


@pytest.mark.parametrize(
    ("data", "name", "error", "message"),
    [
        pytest.param(
            b"a,b\n1,2",
            "table.csv",
            UnsupportedTypeError,
            "unsupported file type",
            id="an unsupported type is refused",
        ),
        pytest.param(b"", "empty.txt", EmptyDocumentError, "empty", id="an empty file is refused"),
        pytest.param(
            b"  \n\t ",
            "blank.md",
            EmptyDocumentError,
            "empty",
            id="a whitespace-only file is refused",
        ),
        pytest.param(
            b"x" * (LIMIT + 1),
            "big.txt",
            DocumentTooLargeError,
            "over the limit",
            id="an oversized file is refused, not truncated",
        ),
        pytest.param(
            b"%PDF-1.4\n%garbage that is not a pdf",
            "bad.pdf",
            CorruptFileError,
            "PDF",
            id="a corrupt PDF is refused",
        ),
        pytest.param(
            "caf\u00e9".encode("latin-1"),
            "latin.txt",
            BadEncodingError,
            "UTF-8",
            id="non-UTF-8 text is refused",
        ),
        pytest.param(
            b"<html><head><script>var a = 1;</script></head><body></body></html>",
            "s.html",
            EmptyDocumentError,
            "no main text",
            id="an HTML page without text is refused",
        ),
        pytest.param(
            b"---\ntitle: [unclosed\n---\nbody",
            "bad.md",
            CorruptFileError,
            "front matter",
            id="broken front matter is refused",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(
    data: bytes, name: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        load_bytes(data, name, LIMIT)


def test_oversized_file_on_disk_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 30_000)
    with pytest.raises(DocumentTooLargeError):
        load_path(big, LIMIT)
