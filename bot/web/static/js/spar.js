// The Spar tab: set up a debate, send speeches, show replies as they stream, and the clash.
import { postJson, postStreaming } from "./api.js";
import { append, clear, countWords, el, setStatus } from "./dom.js";
import { downloadTranscript } from "./export.js";
import { clashOutcome, renderReplyBody, streamingBody } from "./reply.js";
import { openSource } from "./sources.js";

const KNOWN_FORMATS = ["standard", "short"];

const state = { motion: null, debate: null, turns: [], sending: false };

/** The round of the ``turn``-th reply (0-based), as bot/motions.py computes it. */
export function roundFor(format, turn) {
  if (turn < format.rounds.length) return format.rounds[turn];
  const rebuttals = format.rounds.filter((r) => r.name === "rebuttal");
  return rebuttals.length ? rebuttals[rebuttals.length - 1] : { name: "rebuttal", max_words: 180 };
}

function currentFormat() {
  if (state.debate) return state.debate.format;
  const chosen = document.getElementById("format").value;
  return state.motion && state.motion.format.name === chosen ? state.motion.format : null;
}

function updateWordCount() {
  const counter = document.getElementById("word-count");
  const words = countWords(document.getElementById("speech").value);
  const format = currentFormat();
  if (!format) {
    counter.textContent = `${words} words`;
    return;
  }
  const round = roundFor(format, state.turns.length);
  const over = words > round.max_words;
  counter.textContent = `${words} / ${round.max_words} words · round ${state.turns.length + 1}: ${round.name}`;
  counter.classList.toggle("over", over);
  document.getElementById("speech-label").textContent = `Your ${round.name} speech`;
}

/** Show a new motion's formats and sides; forget any debate on the previous one. */
export function setMotion(motion) {
  state.motion = motion;
  state.debate = null;
  state.turns = [];
  const select = clear(document.getElementById("format"));
  const names = [motion.format.name, ...KNOWN_FORMATS.filter((n) => n !== motion.format.name)];
  for (const name of names) {
    const label = name === motion.format.name ? `${name} (default)` : name;
    append(select, el("option", { value: name }, label));
  }
  const note = document.getElementById("sides-note");
  clear(note);
  append(note, el("strong", {}, "pro: "), motion.sides.pro, el("br"), el("strong", {}, "con: "), motion.sides.con);
  document.getElementById("debate").hidden = true;
  clear(document.getElementById("transcript"));
  renderClash(null);
  const start = document.getElementById("start");
  start.textContent = "Start debate";
  start.disabled = !motion.key_points || motion.key_points.length === 0;
  if (start.disabled) setStatus("This motion has no argument map: use the Ask tab.", "info");
}

function keyPointText(id) {
  const kp = state.motion && state.motion.key_points.find((k) => k.id === id);
  return kp ? kp.text : id;
}

function renderClash(reply) {
  const list = clear(document.getElementById("clash-list"));
  const items = reply ? reply.clash || [] : [];
  if (!reply) return;
  if (!items.length) {
    append(list, el("li", { class: "clash-empty" }, "No move of yours matched the argument map this round."));
    return;
  }
  for (const item of items) {
    const outcome = clashOutcome(item);
    const li = el(
      "li",
      { class: `clash-item ${outcome}`, "data-outcome": outcome },
      el("span", { class: `badge ${outcome}` }, outcome),
      " ",
      el("span", { class: "clash-point" }, item.point),
    );
    if (outcome === "answered") {
      const answers = el("ul", { class: "clash-answers" });
      for (const id of item.answered_by) append(answers, el("li", {}, keyPointText(id)));
      append(li, el("p", { class: "clash-by" }, "Answered with:"), answers);
    }
    append(list, li);
  }
}

function turnItem(index, message) {
  const round = roundFor(state.debate.format, index);
  const body = el("div", { class: "reply-body" }, el("p", { class: "pending" }, "The bot is preparing its reply…"));
  const reply = el(
    "article",
    { class: "bot-reply", "data-testid": "bot-reply", "aria-busy": "true" },
    el("h3", { class: "speaker" }, `Bot (${state.debate.bot_side}) · ${round.name}`),
    body,
  );
  const item = el(
    "li",
    { class: "turn" },
    el(
      "article",
      { class: "user-speech" },
      el("h3", { class: "speaker" }, `You (${state.debate.user_side}) · ${round.name}`),
      el("p", {}, message),
    ),
    reply,
  );
  return { item, reply, body };
}

async function startDebate(event) {
  event.preventDefault();
  if (!state.motion) return;
  const chosen = document.getElementById("format").value;
  const format = chosen === state.motion.format.name ? state.motion.format : chosen;
  try {
    state.debate = await postJson("/debates", {
      motion_id: state.motion.id,
      user_side: document.getElementById("side").value,
      format,
    });
  } catch (error) {
    setStatus(`Could not start the debate: ${error.message}`, "error");
    return;
  }
  state.turns = [];
  clear(document.getElementById("transcript"));
  renderClash(null);
  document.getElementById("debate").hidden = false;
  document.getElementById("start").textContent = "Start a new debate";
  setStatus(`Debate started: you argue ${state.debate.user_side}, the bot argues ${state.debate.bot_side}.`);
  updateWordCount();
  document.getElementById("speech").focus();
}

async function sendSpeech(event) {
  event.preventDefault();
  const speech = document.getElementById("speech");
  const message = speech.value.trim();
  if (!state.debate || state.sending) return;
  if (!message) {
    setStatus("Write your speech first.", "error");
    speech.focus();
    return;
  }
  state.sending = true;
  const send = document.getElementById("send");
  send.disabled = true;
  const { item, reply, body } = turnItem(state.turns.length, message);
  append(document.getElementById("transcript"), item);
  let stream = null;
  try {
    const path = `/debates/${encodeURIComponent(state.debate.debate_id)}/turns`;
    const result = await postStreaming(path, { message }, (payload) => {
      if (!stream) stream = streamingBody(body, openSource);
      stream.add(payload);
    });
    renderReplyBody(body, result.reply, openSource);
    reply.setAttribute("aria-busy", "false");
    state.turns.push({ message, reply: result.reply, round: result.reply.round });
    renderClash(result.reply);
    speech.value = "";
    setStatus(`Reply ${state.turns.length} received${result.streamed ? " (streamed)" : ""}.`);
  } catch (error) {
    item.remove();
    setStatus(`The reply failed: ${error.message}`, "error");
  } finally {
    state.sending = false;
    send.disabled = false;
    updateWordCount();
  }
}

/** Wire the Spar tab. */
export function initSpar() {
  document.getElementById("setup-form").addEventListener("submit", startDebate);
  document.getElementById("speech-form").addEventListener("submit", sendSpeech);
  document.getElementById("speech").addEventListener("input", updateWordCount);
  document.getElementById("format").addEventListener("change", updateWordCount);
  document.getElementById("speech").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) sendSpeech(event);
  });
  document.getElementById("export").addEventListener("click", () => {
    if (!state.debate) return;
    downloadTranscript(state.motion, state.debate, state.turns);
    setStatus("Transcript exported as Markdown.");
  });
}
