// The Ask tab: a question, answered with verified citations.
import { postStreaming } from "./api.js";
import { append, el, setStatus } from "./dom.js";
import { renderReplyBody, streamingBody } from "./reply.js";
import { openSource } from "./sources.js";

/** Wire the Ask form; ``currentMotion()`` gives the motion id to search. */
export function initAsk(currentMotion) {
  const form = document.getElementById("ask-form");
  const input = document.getElementById("ask-input");
  const button = document.getElementById("ask-send");
  const answers = document.getElementById("answer");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) {
      setStatus("Type a question first.", "error");
      input.focus();
      return;
    }
    button.disabled = true;
    const body = el("div", { class: "reply-body" }, el("p", { class: "pending" }, "Searching the sources…"));
    const article = el("article", { class: "answer-item", "aria-busy": "true" }, el("h3", { class: "question" }, question), body);
    answers.prepend(article);
    let stream = null;
    try {
      const result = await postStreaming("/ask", { question, motion_id: currentMotion() }, (payload) => {
        if (!stream) stream = streamingBody(body, openSource);
        stream.add(payload);
      });
      renderReplyBody(body, result.reply, openSource);
      article.setAttribute("aria-busy", "false");
      input.value = "";
    } catch (error) {
      append(body, el("p", { class: "error" }, `No answer: ${error.message}`));
      article.setAttribute("aria-busy", "false");
    } finally {
      button.disabled = false;
    }
  });
}
