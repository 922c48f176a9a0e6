// Safe DOM building: every piece of text goes through textContent and is never parsed as HTML.

/** Create an element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) throw new Error("attach listeners with addEventListener");
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, ...children);
  return node;
}

/** Append strings (as text) and nodes. */
export function append(node, ...children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Remove every child. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Whether a URL may become a link: only absolute http(s) URLs. */
export function isWebUrl(url) {
  return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url.trim());
}

/** A link for http(s) URLs; any other URL (javascript:, data:, ...) stays plain text. */
export function safeLink(url, label) {
  if (!isWebUrl(url)) return el("span", { class: "url-text" }, url || "");
  return el("a", { href: url.trim(), rel: "noopener noreferrer", target: "_blank" }, label || url);
}

/** Count words the way a speaker would: runs of non-space characters. */
export function countWords(text) {
  const words = text.trim().match(/\S+/g);
  return words ? words.length : 0;
}

/** Show a message in the status line (announced by screen readers). */
export function setStatus(message, kind = "info") {
  const status = document.getElementById("status");
  status.textContent = message;
  status.dataset.kind = kind;
}
