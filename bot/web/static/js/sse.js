// Server-Sent Events read from a fetch() body (EventSource cannot POST).

/**
 * Split an SSE text stream into events.
 * Feed chunks with push(); each complete event is passed to onEvent(name, data).
 */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = "";
    this.name = "message";
    this.data = [];
  }

  push(chunk) {
    this.buffer += chunk;
    // A trailing \r may be the first half of \r\n: keep it for the next chunk.
    const held = this.buffer.endsWith("\r") ? "\r" : "";
    const lines = this.buffer.slice(0, this.buffer.length - held.length).split(/\r\n|\r|\n/);
    this.buffer = lines.pop() + held;
    for (const line of lines) this.line(line);
  }

  end() {
    for (const line of this.buffer.split(/\r\n|\r|\n/)) if (line) this.line(line);
    this.buffer = "";
    this.line("");
  }

  line(line) {
    if (line === "") {
      if (this.data.length) this.onEvent(this.name, this.data.join("\n"));
      this.name = "message";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.name = value;
    else if (field === "data") this.data.push(value);
  }
}

/** Read a streaming Response body, calling onEvent(name, parsedJsonOrText) per event. */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser((name, raw) => {
    let data = raw;
    try {
      data = JSON.parse(raw);
    } catch {
      // a plain-text payload stays text
    }
    onEvent(name, data);
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.push(decoder.decode(value, { stream: true }));
  }
  parser.push(decoder.decode());
  parser.end();
}
