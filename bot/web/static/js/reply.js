// Rendering a grounded reply: sentences with citation markers, verification, grounding.
import { append, clear, el } from "./dom.js";

const MARKER = /(\[\d+\])/;
const NBSP = "\u00a0";

function citationButton(marker, citation, onCite) {
  const button = el(
    "button",
    {
      type: "button",
      class: "cite",
      "data-testid": "citation",
      "data-marker": String(marker),
      "aria-controls": "source-panel",
      "aria-label": `Source ${marker}: ${citation.title || "cited passage"}`,
    },
    `[${marker}]`,
  );
  button.addEventListener("click", () => onCite(citation, button));
  return button;
}

/** Text with [n] markers turned into citation buttons (unknown markers stay text). */
export function withCitations(text, citationsByMarker, onCite) {
  const parts = [];
  for (const piece of String(text).split(MARKER)) {
    if (!piece) continue;
    const match = /^\[(\d+)\]$/.exec(piece);
    const citation = match && citationsByMarker.get(Number(match[1]));
    if (!citation) {
      parts.push(piece);
      continue;
    }
    // A marker never starts a line on its own: it stays with the word before it.
    const before = typeof parts[parts.length - 1] === "string" ? parts.pop() : "";
    const [, head, word] = /^([\s\S]*?)(\S*\s*)$/.exec(before);
    if (head) parts.push(head);
    parts.push(el("span", { class: "nowrap" }, word, citationButton(Number(match[1]), citation, onCite)));
  }
  return parts;
}

function verification(sentence) {
  if (sentence.kind !== "claim") return null;
  const score = Number(sentence.support || 0).toFixed(2);
  return sentence.supported
    ? el("span", { class: "badge ok", title: `verifier support ${score}` }, `verified ${score}`)
    : el("span", { class: "badge bad", title: `verifier support ${score}` }, "not verified");
}

/** One sentence as a span: its text, citation buttons and verification badge. */
export function sentenceNode(sentence, citationsByMarker, onCite) {
  const classes = ["sentence", sentence.kind || "framing"];
  if (sentence.kind === "claim") classes.push(sentence.supported ? "verified" : "unverified");
  if (sentence.concession) classes.push("concession");
  const node = el("span", { class: classes.join(" ") });
  append(node, withCitations(sentence.text, citationsByMarker, onCite));
  if (sentence.concession) append(node, " ", el("span", { class: "badge concede" }, "concedes"));
  const badge = verification(sentence);
  // The badge stays on the line of the sentence's last marker, when it ends with one.
  const last = node.lastChild;
  if (badge) append(last && last.classList && last.classList.contains("nowrap") ? last : node, NBSP, badge);
  append(node, " ");
  return node;
}

/** A map marker -> citation. */
export function citationMap(citations) {
  return new Map((citations || []).map((c) => [Number(c.marker), c]));
}

/** The grounding summary line of a reply. */
export function groundingNode(grounding) {
  const g = grounding || { claims: 0, supported: 0, rate: 1, dropped: 0 };
  const percent = Math.round(Number(g.rate) * 100);
  const parts = [`Grounding: ${g.supported} of ${g.claims} claims verified (${percent}%)`];
  if (g.dropped) parts.push(`${g.dropped} draft claim${g.dropped === 1 ? "" : "s"} removed by the verifier`);
  return el("p", { class: "grounding", "data-testid": "grounding" }, parts.join("; "));
}

/** Sentences grouped into paragraphs: a framing sentence after a claim opens a new one. */
class Paragraphs {
  constructor(container) {
    this.container = container;
    this.current = null;
    this.hasClaim = false;
  }

  add(node, sentence) {
    if (!this.current || (sentence.kind !== "claim" && this.hasClaim)) {
      this.current = el("p");
      this.hasClaim = false;
      append(this.container, this.current);
    }
    if (sentence.kind === "claim") this.hasClaim = true;
    append(this.current, node);
  }
}

/** Fill ``body`` with a complete reply. */
export function renderReplyBody(body, reply, onCite) {
  clear(body);
  const byMarker = citationMap(reply.citations);
  const text = el("div", { class: "reply-text" });
  if (reply.sentences && reply.sentences.length) {
    const paragraphs = new Paragraphs(text);
    for (const sentence of reply.sentences) {
      paragraphs.add(sentenceNode(sentence, byMarker, onCite), sentence);
    }
  } else {
    append(text, el("p", {}, withCitations(reply.text || "", byMarker, onCite)));
  }
  append(body, text, groundingNode(reply.grounding));
}

/** Normalize a streamed `sentence` event: {sentence, citations} or a sentence with citations. */
export function streamedSentence(payload) {
  const sentence = payload && typeof payload.sentence === "object" ? payload.sentence : payload || {};
  const objects = [...(payload.citations || []), ...(sentence.citations || [])].filter(
    (c) => c && typeof c === "object",
  );
  const markers = (sentence.citations || []).map((c) => (typeof c === "object" ? c.marker : c));
  return { sentence: { ...sentence, citations: markers }, citations: objects };
}

/** A reply body that grows sentence by sentence while streaming. */
export function streamingBody(body, onCite) {
  clear(body);
  const text = el("div", { class: "reply-text streaming" });
  const paragraphs = new Paragraphs(text);
  const byMarker = new Map();
  append(body, text);
  return {
    add(payload) {
      const { sentence, citations } = streamedSentence(payload);
      for (const c of citations) byMarker.set(Number(c.marker), c);
      paragraphs.add(sentenceNode(sentence, byMarker, onCite), sentence);
    },
  };
}

/** What the bot did with one clash item. */
export function clashOutcome(item) {
  if (item.status) return item.status;
  if (item.answered_by && item.answered_by.length) return "answered";
  if (item.conceded) return "conceded";
  return "unanswerable";
}
