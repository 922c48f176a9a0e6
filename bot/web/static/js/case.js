// The Case tab: both sides' key points with their evidence, side by side.
import { getJson } from "./api.js";
import { append, clear, el } from "./dom.js";
import { citationMap, groundingNode, withCitations } from "./reply.js";
import { openSource } from "./sources.js";

const loaded = new Map(); // motion id -> Promise

function evidenceList(markers, byMarker) {
  const list = el("ul", { class: "evidence" });
  for (const marker of markers) {
    const citation = byMarker.get(Number(marker));
    if (!citation) continue;
    append(
      list,
      el(
        "li",
        {},
        el("q", {}, citation.quote),
        " ",
        withCitations(`[${marker}]`, byMarker, openSource),
        el("span", { class: "evidence-title" }, citation.title),
      ),
    );
  }
  return list;
}

function renderCase(container, casePublic) {
  clear(container);
  const byMarker = citationMap(casePublic.reply.citations);
  const points = el("ol", { class: "case-points" });
  for (const point of casePublic.points) {
    const item = el("li", { class: "case-point" }, el("h3", {}, point.text));
    if (point.citations.length) append(item, evidenceList(point.citations, byMarker));
    else append(item, el("p", { class: "note" }, "No verified evidence found for this point."));
    if (point.rebuttals.length) {
      const details = el("details", { class: "rebuttals" }, el("summary", {}, `Rebuttals to expect (${point.rebuttals.length})`));
      const list = el("ul");
      for (const rebuttal of point.rebuttals) {
        const li = el("li", {}, rebuttal.text);
        if (rebuttal.citations.length) append(li, " ", withCitations(rebuttal.citations.map((m) => `[${m}]`).join(""), byMarker, openSource));
        append(list, li);
      }
      append(details, list);
      append(item, details);
    }
    append(points, item);
  }
  append(container, points, groundingNode(casePublic.reply.grounding));
}

/** Load and show both sides' cases for a motion (once per motion). */
export function loadCase(motion) {
  document.getElementById("case-pro-claim").textContent = motion.sides.pro;
  document.getElementById("case-con-claim").textContent = motion.sides.con;
  if (loaded.has(motion.id)) return loaded.get(motion.id);
  const work = Promise.all(
    ["pro", "con"].map(async (side) => {
      const container = clear(document.getElementById(`case-${side}`));
      append(container, el("p", { class: "pending" }, "Building the case…"));
      try {
        const id = encodeURIComponent(motion.id);
        renderCase(container, await getJson(`/motions/${id}/case?side=${side}`));
      } catch (error) {
        clear(container);
        append(container, el("p", { class: "error" }, `The case could not be built: ${error.message}`));
        loaded.delete(motion.id);
      }
    }),
  );
  loaded.set(motion.id, work);
  return work;
}
