// Calls to the chat API on the page's own origin.
import { readEvents } from "./sse.js";

/** An HTTP error with the server's readable detail. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function errorFrom(response) {
  let detail = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    const raw = body.detail ?? body.error?.message ?? body;
    if (typeof raw === "string") detail = raw;
    else if (Array.isArray(raw)) detail = raw.map((e) => e.msg || JSON.stringify(e)).join("; ");
    else detail = JSON.stringify(raw);
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, detail);
}

/** GET a JSON resource. */
export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** POST JSON, get JSON. */
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** POST a multipart form, optionally with a bearer key. */
export async function postForm(path, form, apiKey) {
  const headers = { Accept: "application/json" };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  const response = await fetch(path, { method: "POST", headers, body: form });
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/**
 * POST JSON asking for Server-Sent Events. Calls onSentence(payload) per `sentence` event and
 * resolves with the `done` reply. A server that answers plain JSON gives the reply whole.
 */
export async function postStreaming(path, body, onSentence) {
  const url = path + (path.includes("?") ? "&" : "?") + "stream=true";
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream, application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorFrom(response);
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("text/event-stream")) return { reply: await response.json(), streamed: false };
  let reply = null;
  let failure = null;
  await readEvents(response, (name, data) => {
    if (name === "sentence") onSentence(data);
    else if (name === "done") reply = data;
    else if (name === "error") failure = typeof data === "string" ? data : data.detail || data.message || JSON.stringify(data);
  });
  if (failure) throw new ApiError(500, failure);
  if (!reply) throw new ApiError(500, "the stream ended before the reply was complete");
  return { reply, streamed: true };
}
