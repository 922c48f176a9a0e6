// Entry point: tabs, motion choice, and wiring of every view.
import { getJson } from "./api.js";
import { append, clear, el, setStatus } from "./dom.js";
import { initAsk } from "./ask.js";
import { loadCase } from "./case.js";
import { initSources, loadDocuments } from "./sources.js";
import { initSpar, setMotion } from "./spar.js";

const TABS = ["spar", "case", "ask", "sources"];
let motion = null;

function currentMotionId() {
  return motion ? motion.id : document.getElementById("motion").value || null;
}

function onTabShown(name) {
  if (!motion) return;
  if (name === "case") loadCase(motion);
  if (name === "sources") loadDocuments(motion.id);
}

function selectTab(name, focus = false) {
  setStatus("");
  for (const tab of TABS) {
    const button = document.getElementById(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    document.getElementById(`panel-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
  onTabShown(name);
}

function currentTab() {
  return TABS.find((t) => document.getElementById(`tab-${t}`).getAttribute("aria-selected") === "true");
}

function initTabs() {
  TABS.forEach((name, index) => {
    const button = document.getElementById(`tab-${name}`);
    button.addEventListener("click", () => selectTab(name));
    button.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: 1, ArrowLeft: -1 };
      if (event.key in moves) {
        event.preventDefault();
        selectTab(TABS[(index + moves[event.key] + TABS.length) % TABS.length], true);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        selectTab(event.key === "Home" ? TABS[0] : TABS[TABS.length - 1], true);
      }
    });
  });
}

async function chooseMotion(id) {
  try {
    motion = await getJson(`/motions/${encodeURIComponent(id)}`);
  } catch (error) {
    setStatus(`Could not load the motion: ${error.message}`, "error");
    return;
  }
  document.getElementById("motion-question").textContent = motion.question;
  setMotion(motion);
  onTabShown(currentTab());
}

async function loadMotions() {
  const select = clear(document.getElementById("motion"));
  let motions = [];
  try {
    ({ motions } = await getJson("/motions"));
  } catch (error) {
    setStatus(`Could not list the motions: ${error.message}`, "error");
    return;
  }
  for (const m of motions) append(select, el("option", { value: m.id }, m.title));
  if (!motions.length) {
    setStatus("No motions are loaded on this server.", "error");
    return;
  }
  await chooseMotion(motions[0].id);
}

document.addEventListener("DOMContentLoaded", () => {
  initTabs();
  initSpar();
  initAsk(currentMotionId);
  initSources(currentMotionId);
  document.getElementById("motion").addEventListener("change", (event) => chooseMotion(event.target.value));
  loadMotions();
});
