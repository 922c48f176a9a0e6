// Transcript export as Markdown, citations as footnotes.
import { clashOutcome } from "./reply.js";

function oneLine(text) {
  return String(text).replace(/\s+/g, " ").trim();
}

/** A reply's text with [n] markers turned into footnote references, plus the footnotes. */
export function replyMarkdown(reply, prefix) {
  const known = new Map((reply.citations || []).map((c) => [Number(c.marker), c]));
  const body = String(reply.text || "").replace(/\[(\d+)\]/g, (whole, n) =>
    known.has(Number(n)) ? `[^${prefix}-${n}]` : whole,
  );
  const notes = [...known.values()].map((c) => {
    const where = [oneLine(c.title), c.url, `document ${c.doc_id}, characters ${c.start}-${c.end}`];
    return `[^${prefix}-${c.marker}]: "${oneLine(c.quote)}" (${where.filter(Boolean).join(", ")})`;
  });
  return { body, notes };
}

/** The whole debate as a Markdown document. */
export function transcriptMarkdown(motion, debate, turns) {
  const lines = [
    `# Debate transcript: ${motion.title}`,
    "",
    `**Motion:** ${motion.question}`,
    "",
    `- You argued **${debate.user_side}**: ${motion.sides[debate.user_side]}`,
    `- The bot argued **${debate.bot_side}**: ${motion.sides[debate.bot_side]}`,
    `- Format: ${debate.format.name}; started ${debate.created_at}`,
    "",
  ];
  const footnotes = [];
  turns.forEach((turn, index) => {
    const prefix = `r${index + 1}`;
    const { body, notes } = replyMarkdown(turn.reply, prefix);
    const g = turn.reply.grounding;
    lines.push(`## Round ${index + 1}: ${turn.round || ""}`.trimEnd(), "");
    lines.push(`**You (${debate.user_side}):**`, "", turn.message, "");
    lines.push(`**Bot (${debate.bot_side}):**`, "", body, "");
    lines.push(
      `*Grounding: ${g.supported} of ${g.claims} claims verified (${Math.round(g.rate * 100)}%), ${g.dropped || 0} removed.*`,
      "",
    );
    if ((turn.reply.clash || []).length) {
      lines.push("Clash:", "");
      for (const item of turn.reply.clash) lines.push(`- ${clashOutcome(item)}: ${oneLine(item.point)}`);
      lines.push("");
    }
    footnotes.push(...notes);
  });
  if (footnotes.length) lines.push("---", "", ...footnotes, "");
  return lines.join("\n");
}

/** Offer the transcript as a .md download through a Blob URL. */
export function downloadTranscript(motion, debate, turns) {
  const blob = new Blob([transcriptMarkdown(motion, debate, turns)], { type: "text/markdown" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `debate-${motion.id}-${debate.debate_id.slice(0, 8)}.md`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
