"""Turn source files (.txt, .md, .html, .pdf) into normalized documents.

Every loader either returns a :class:`LoadedDocument` with non-empty text or
raises an :class:`IngestError` subclass that says what is wrong. Loading never
touches an index, so a bad file leaves the index as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from retrieval.ingest.chunking import normalize_text
from retrieval.records import MetadataValue


class IngestError(ValueError):
    """A source that cannot be ingested; the message says why."""

    status_code = 422


class UnsupportedTypeError(IngestError):
    """The file type has no loader."""

    status_code = 415


class EmptyDocumentError(IngestError):
    """The file holds no text."""


class DocumentTooLargeError(IngestError):
    """The file is over the configured size limit."""

    status_code = 413


class CorruptFileError(IngestError):
    """The file cannot be parsed as its type."""


class BadEncodingError(IngestError):
    """Text that is not valid UTF-8."""


class EncryptedPDFError(IngestError):
    """A PDF that needs a password."""


class FrontMatterError(IngestError):
    """Front matter that sets a field only the seeds folder may set, or is too large."""


# Set from the seeds folder (motion, role) or by ingest (flags), never by a file itself.
RESERVED_FIELDS = frozenset({"motion", "role", "flags", "doc_id", "start", "end", "passages"})
MAX_FRONT_MATTER_FIELDS = 32
MAX_FIELD_CHARS = 2000
MAX_TITLE_CHARS = 500
URL_SCHEMES = ("http://", "https://")
# A PDF stream may inflate to at most this much (a 35 KB file can hold 36 MB of text).
PDF_MAX_INFLATED_BYTES = 20_000_000


@dataclass(frozen=True)
class LoadedDocument:
    """A parsed source, before it gets ids and offsets."""

    title: str
    text: str
    source: str
    url: str | None = None
    metadata: dict[str, MetadataValue] = field(default_factory=dict)


SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadEncodingError(
            f"{source}: not valid UTF-8 (byte {exc.start}); re-save the file as UTF-8"
        ) from exc


def _title_from_text(text: str, fallback: str) -> str:
    first_line = text.strip().split("\n", 1)[0].strip()
    if not first_line:
        return fallback
    if len(first_line) <= 100:
        return first_line
    return first_line[:97].rsplit(" ", 1)[0] + "..."


def _scalar(value: Any) -> MetadataValue:
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()


def _load_txt(data: bytes, source: str) -> LoadedDocument:
    text = normalize_text(_decode(data, source))
    return LoadedDocument(title=_title_from_text(text, Path(source).stem), text=text, source=source)


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL (``javascript:``, ``file:`` and the rest are not)."""
    return url.lower().startswith(URL_SCHEMES) and len(url) <= MAX_FIELD_CHARS


def _check_front_matter(meta: dict[str, Any], source: str) -> None:
    reserved = sorted(str(k) for k in meta if k in RESERVED_FIELDS)
    if reserved:
        raise FrontMatterError(
            f"{source}: front matter may not set {', '.join(reserved)}; a source's motion "
            "and role come from the seeds folder it is in"
        )
    if len(meta) > MAX_FRONT_MATTER_FIELDS:
        raise FrontMatterError(f"{source}: at most {MAX_FRONT_MATTER_FIELDS} front matter fields")
    if meta.get("url") and not is_web_url(str(meta["url"])):
        raise FrontMatterError(f"{source}: url must be an http or https URL")
    if len(str(meta.get("title") or "")) > MAX_TITLE_CHARS:
        raise FrontMatterError(f"{source}: the title is over {MAX_TITLE_CHARS} characters")


def _load_markdown(data: bytes, source: str) -> LoadedDocument:
    raw = normalize_text(_decode(data, source))
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        raise CorruptFileError(f"{source}: front matter is not valid YAML") from exc
    meta = {str(k): v for k, v in post.metadata.items()}
    _check_front_matter(meta, source)
    raw_sources = meta.get("sources")
    sources: list[Any] = raw_sources if isinstance(raw_sources, list) else []
    urls = [
        str(s["url"])
        for s in sources
        if isinstance(s, dict) and s.get("url") and is_web_url(str(s["url"]))
    ]
    outlets = [str(s["outlet"]) for s in sources if isinstance(s, dict) and s.get("outlet")]
    dates = [_scalar(s["date"]) for s in sources if isinstance(s, dict) and s.get("date")]
    url = str(meta.get("url") or (urls[0] if urls else "")) or None
    metadata: dict[str, MetadataValue] = {
        key: _scalar(value) for key, value in meta.items() if key not in {"title", "url", "sources"}
    }
    if any(len(str(v)) > MAX_FIELD_CHARS for v in metadata.values()):
        raise FrontMatterError(f"{source}: a front matter field is over {MAX_FIELD_CHARS} chars")
    if outlets:
        metadata["outlets"] = "; ".join(outlets)
    if dates:
        metadata["dates"] = "; ".join(str(d) for d in dates)
    if urls:
        metadata["urls"] = " ".join(urls)[: MAX_FIELD_CHARS * 4]
    for key in ("outlets", "dates"):
        if key in metadata:
            metadata[key] = str(metadata[key])[: MAX_FIELD_CHARS * 4]
    text = post.content.strip("\n")
    title = str(meta.get("title") or _title_from_text(text, Path(source).stem))
    return LoadedDocument(title=title, text=text, source=source, url=url, metadata=metadata)


def _load_html(data: bytes, source: str) -> LoadedDocument:
    import trafilatura

    html = _decode(data, source)
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise EmptyDocumentError(f"{source}: no main text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else None) or Path(source).stem
    title = title[:MAX_TITLE_CHARS]
    url = meta.url if meta and meta.url and is_web_url(meta.url) else None
    return LoadedDocument(title=title, text=normalize_text(text), source=source, url=url)


def _load_pdf(data: bytes, source: str) -> LoadedDocument:
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import DependencyError, LimitReachedError, PyPdfError

    cap = PDF_MAX_INFLATED_BYTES
    limits = {
        "zlib_maximum_output_length": cap,
        "lzw_maximum_output_length": cap,
        "run_length_maximum_output_length": cap,
        "brotli_maximum_output_length": cap,
        "array_based_stream_maximum_output_length": cap,
        "maximum_declared_stream_length": cap,
        "stream_decoding_work_maximum_length": cap * 4,
    }
    try:
        with apply_configuration(None, **limits):  # a context variable: this thread only
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise EncryptedPDFError(f"{source}: the PDF is encrypted with a password")
            pages = [page.extract_text() or "" for page in reader.pages]
            info_title = reader.metadata.title if reader.metadata else None
    except IngestError:
        raise
    except LimitReachedError as exc:
        raise DocumentTooLargeError(f"{source}: the PDF expands past pypdf's limits") from exc
    except DependencyError as exc:
        raise EncryptedPDFError(f"{source}: the PDF is encrypted in an unsupported way") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CorruptFileError(f"{source}: corrupt or unreadable PDF") from exc
    text = normalize_text("\n\n".join(p.strip() for p in pages if p.strip()))
    title = str(info_title)[:MAX_TITLE_CHARS] if info_title else None
    title = title or _title_from_text(text, Path(source).stem)
    return LoadedDocument(title=title, text=text, source=source)


_LOADERS: dict[str, Callable[[bytes, str], LoadedDocument]] = {
    ".txt": _load_txt,
    ".md": _load_markdown,
    ".markdown": _load_markdown,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
}


def load_bytes(data: bytes, source: str, max_bytes: int) -> LoadedDocument:
    """Parse ``data`` by the suffix of ``source``; raise IngestError on bad input."""
    suffix = Path(source).suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise UnsupportedTypeError(
            f"{source}: unsupported file type {suffix or '(none)'!r}; "
            f"supported: {', '.join(SUPPORTED_SUFFIXES)}"
        )
    if len(data) > max_bytes:
        raise DocumentTooLargeError(
            f"{source}: {len(data)} bytes is over the limit of {max_bytes} bytes"
        )
    if not data.strip():
        raise EmptyDocumentError(f"{source}: the file is empty")
    document = loader(data, source)
    if not document.text.strip():
        raise EmptyDocumentError(f"{source}: no text could be extracted")
    if len(document.text) > max_bytes:  # a PDF stream can inflate far past its file size
        raise DocumentTooLargeError(f"{source}: the extracted text is over {max_bytes} bytes")
    return document


def load_text(title: str, text: str, source: str, url: str | None = None) -> LoadedDocument:
    """A document given directly as text (e.g. a JSON upload)."""
    text = normalize_text(text)
    if not text.strip():
        raise EmptyDocumentError(f"{source}: the text is empty")
    if not title.strip():
        raise IngestError(f"{source}: the title is empty")
    return LoadedDocument(title=title.strip(), text=text, source=source, url=url)


def load_path(path: Path, max_bytes: int, source: str | None = None) -> LoadedDocument:
    """Read and parse one file."""
    if path.is_file() and path.stat().st_size > max_bytes:
        raise DocumentTooLargeError(
            f"{path}: {path.stat().st_size} bytes is over the limit of {max_bytes} bytes"
        )
    return load_bytes(path.read_bytes(), source or str(path), max_bytes)
