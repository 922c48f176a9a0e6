// The source panel (a citation's document and highlighted span) and the Sources tab.
import { getJson, postForm } from "./api.js";
import { append, clear, el, safeLink, setStatus } from "./dom.js";

const documents = new Map(); // doc_id -> Promise<document>
const CONTEXT_CHARS = 300;
let lastTrigger = null;

/** A document with its text, fetched once. */
export function getDocument(docId) {
  if (!documents.has(docId)) {
    const request = getJson(`/documents/${encodeURIComponent(docId)}`);
    request.catch(() => documents.delete(docId));
    documents.set(docId, request);
  }
  return documents.get(docId);
}

/** The outlets, dates and URLs a document's facts come from, one entry per source page. */
export function documentSources(doc) {
  const meta = doc.metadata || {};
  const outlets = meta.outlets ? String(meta.outlets).split("; ") : [];
  const dates = meta.dates ? String(meta.dates).split("; ") : [];
  const urls = meta.urls ? String(meta.urls).split(" ") : doc.url ? [doc.url] : [];
  const count = Math.max(outlets.length, dates.length, urls.length);
  const rows = [];
  for (let i = 0; i < count; i += 1) {
    rows.push({ outlet: outlets[i] || "", date: dates[i] || "", url: urls[i] || "" });
  }
  return rows;
}

const SHOWN_SOURCES = 2;

function metaRow(list, term, ...value) {
  append(list, el("dt", {}, term), append(el("dd"), ...value));
}

function sourceRows(list, rows, offset) {
  rows.forEach((row, index) => {
    const value = el("span", { class: "source-row" });
    append(value, el("span", { class: "outlet" }, row.outlet || "outlet unknown"));
    append(value, el("span", { class: "date" }, row.date || "date unknown"));
    if (row.url) append(value, safeLink(row.url));
    metaRow(list, rows.length + offset > 1 ? `Source ${index + offset + 1}` : "Source", value);
  });
}

/** Fill ``box`` with a document's role and the pages it was checked against (outlet, date, URL). */
export function renderDocumentMeta(box, doc, fallbackUrl) {
  clear(box);
  const list = el("dl", { class: "meta" });
  append(box, list);
  if (doc.metadata && doc.metadata.role === "seed") {
    metaRow(list, "Role", "Seed document (an opinion essay; the bot attributes its sentences)");
  }
  const rows = documentSources(doc);
  if (!rows.length && fallbackUrl) rows.push({ outlet: "", date: "", url: fallbackUrl });
  if (!rows.length) {
    metaRow(list, "Source", "No outlet, date or URL recorded");
    return;
  }
  // The page the citation's URL names comes first; long lists fold away.
  const first = rows.findIndex((r) => r.url && r.url === fallbackUrl);
  if (first > 0) rows.unshift(...rows.splice(first, 1));
  sourceRows(list, rows.slice(0, SHOWN_SOURCES), 0);
  if (rows.length > SHOWN_SOURCES) {
    const more = el("dl", { class: "meta" });
    sourceRows(more, rows.slice(SHOWN_SOURCES), SHOWN_SOURCES);
    const count = rows.length - SHOWN_SOURCES;
    append(box, el("details", { class: "more-sources" }, el("summary", {}, `${count} more source page${count === 1 ? "" : "s"}`), more));
  }
}

function contextBounds(text, start, end) {
  let from = start > 0 ? text.lastIndexOf("\n", start - 1) : -1;
  from = from === -1 ? 0 : from + 1;
  let to = text.indexOf("\n", end);
  to = to === -1 ? text.length : to;
  if (start - from > CONTEXT_CHARS) from = text.indexOf(" ", start - CONTEXT_CHARS) + 1 || from;
  if (to - end > CONTEXT_CHARS) to = text.lastIndexOf(" ", end + CONTEXT_CHARS) || to;
  return [from, Math.max(to, end)];
}

/** The passage around [start, end) with the span in a <mark data-testid="highlight">. */
export function highlightedPassage(text, start, end) {
  const [from, to] = contextBounds(text, start, end);
  return [
    from > 0 && text[from - 1] !== "\n" ? "… " : "",
    text.slice(from, start),
    el("mark", { "data-testid": "highlight" }, text.slice(start, end)),
    text.slice(end, to),
    to < text.length && text[to] !== "\n" ? " …" : "",
  ];
}

function closePanel() {
  const panel = document.getElementById("source-panel");
  panel.hidden = true;
  document.body.classList.remove("panel-open");
  if (lastTrigger && document.body.contains(lastTrigger)) lastTrigger.focus();
}

/** Open the source panel on a citation: document facts and the highlighted quote. */
export async function openSource(citation, trigger) {
  lastTrigger = trigger || null;
  const panel = document.getElementById("source-panel");
  const meta = document.getElementById("source-meta");
  const passage = document.getElementById("source-passage");
  const check = document.getElementById("source-check");
  document.getElementById("source-title").textContent = `[${citation.marker}] ${citation.title}`;
  clear(meta);
  clear(passage);
  check.textContent = "Loading the document…";
  panel.hidden = false;
  panel.scrollTop = 0;
  document.body.classList.add("panel-open");
  panel.focus({ preventScroll: true });
  try {
    const doc = await getDocument(citation.doc_id);
    renderDocumentMeta(meta, doc, citation.url);
    const span = doc.text.slice(citation.start, citation.end);
    if (span === citation.quote) {
      append(passage, highlightedPassage(doc.text, citation.start, citation.end));
      check.textContent = `The quote is the document's text at characters ${citation.start}–${citation.end}.`;
    } else {
      append(passage, el("mark", { "data-testid": "highlight" }, citation.quote));
      check.textContent = "Warning: the quote differs from the document's text at its offsets.";
    }
  } catch (error) {
    const list = append(el("dl", { class: "meta" }), el("dt", {}, "Source"));
    append(list, append(el("dd"), citation.url ? safeLink(citation.url) : "No URL recorded"));
    append(meta, list);
    append(passage, el("mark", { "data-testid": "highlight" }, citation.quote));
    check.textContent = `The document could not be loaded (${error.message}); the quote is shown alone.`;
  }
}

function paragraphs(text) {
  return text.split(/\n{2,}/).map((p) => el("p", {}, p));
}

async function readDocument(docId, trigger) {
  const reader = document.getElementById("doc-reader");
  try {
    const doc = await getDocument(docId);
    document.getElementById("doc-reader-title").textContent = doc.title;
    renderDocumentMeta(document.getElementById("doc-reader-meta"), doc, doc.url);
    append(clear(document.getElementById("doc-reader-text")), paragraphs(doc.text));
    reader.hidden = false;
    reader.setAttribute("tabindex", "-1");
    reader.focus();
  } catch (error) {
    setStatus(`Could not open the document: ${error.message}`, "error");
    if (trigger) trigger.focus();
  }
}

function docItem(doc) {
  const button = el("button", { type: "button", class: "link-button", "data-doc-id": doc.doc_id }, doc.title);
  button.addEventListener("click", () => readDocument(doc.doc_id, button));
  const details = [`${doc.passages} passages`];
  if (doc.metadata && doc.metadata.role === "seed") details.unshift("seed document");
  return el("li", {}, button, el("span", { class: "doc-detail" }, details.join(" · ")));
}

/** List the motion's documents (and any not filed under a motion) in the Sources tab. */
export async function loadDocuments(motionId) {
  const list = clear(document.getElementById("doc-list"));
  try {
    const { documents: docs } = await getJson("/documents");
    const mine = docs.filter((d) => d.metadata && d.metadata.motion === motionId);
    const loose = docs.filter((d) => !d.metadata || !d.metadata.motion);
    for (const doc of mine) append(list, docItem(doc));
    if (loose.length) {
      append(list, el("li", { class: "list-heading" }, "Uploaded, not filed under a motion"));
      for (const doc of loose) append(list, docItem(doc));
    }
    if (!mine.length && !loose.length) append(list, el("li", {}, "No documents yet."));
  } catch (error) {
    append(list, el("li", {}, `The document list is not available here (${error.message}).`));
  }
}

/** Wire the source panel's close button and the upload form. */
export function initSources(currentMotion) {
  document.getElementById("source-close").addEventListener("click", closePanel);
  document.getElementById("source-panel").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closePanel();
  });
  document.getElementById("upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const fileInput = document.getElementById("upload-file");
    const result = document.getElementById("upload-result");
    if (!fileInput.files.length) {
      result.textContent = "Choose a file first.";
      return;
    }
    const form = new FormData();
    form.append("file", fileInput.files[0]);
    result.textContent = "Uploading…";
    try {
      const key = document.getElementById("upload-key").value.trim();
      const created = await postForm("/documents", form, key);
      documents.delete(created.doc_id);
      result.textContent = `Stored as ${created.doc_id} (${created.status}, ${created.passages} passages).`;
      await loadDocuments(currentMotion());
    } catch (error) {
      result.textContent = `Upload failed: ${error.message}`;
    }
  });
}
