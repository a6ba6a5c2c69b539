// What every part of the page shares: element helpers, the one way to talk to the host, the
// connection banner and the screen-reader announcement. Text only ever goes in through
// textContent: names, notes and scenario text are never parsed as HTML.

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

const STEPS = ["step-loading", "step-code", "step-name", "step-room", "step-checklist", "step-closed"];
let current = "step-loading";

export function show(step) {
  current = step;
  for (const id of STEPS) $(id).hidden = id !== step;
}

export const shownStep = () => current;

// Said once by screen readers (an aria-live region), never only drawn.
export function announce(text) {
  const box = $("announce");
  box.textContent = "";
  // A fresh text node after a tick, so the same sentence twice is read twice.
  setTimeout(() => {
    box.textContent = text;
  }, 50);
}

// "02:13" from seconds; hours only when there are some.
export function clockText(seconds) {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

const online = { value: true, unsaved: () => false };

export function whenOffline(unsaved) {
  online.unsaved = unsaved;
}

function setOnline(value) {
  if (online.value === value) return;
  online.value = value;
  const banner = $("connection");
  banner.hidden = value;
  banner.textContent = value
    ? ""
    : online.unsaved()
      ? "Connection lost. Your latest changes are not saved yet; retrying…"
      : "Connection lost. Everything shown as saved is kept; retrying…";
}

export async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: {}, cache: "no-store" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    setOnline(false);
    return { status: 0, data: { error: "Cannot reach the trainer's app." } };
  }
  setOnline(true);
  let data = {};
  try {
    data = await response.json();
  } catch (err) {
    data = { error: "Unexpected answer from the trainer's app." };
  }
  return { status: response.status, data };
}

// A labelled block of read-only text (a message, a draft): heading, then the text as written.
export function textBlock(title, text, className) {
  const box = el("section", `block ${className || ""}`.trim());
  box.append(el("h3", "block-title", title), el("p", "block-text", text));
  return box;
}

export function factList(items, ordered) {
  const list = el(ordered ? "ol" : "ul", "facts");
  for (const item of items) list.append(el("li", "", item));
  return list;
}

// The AI's confidence as words and a bar; "not given" where the program gives none.
export function confidenceBadge(confidence) {
  const box = el("p", "confidence");
  if (confidence === null || confidence === undefined) {
    box.textContent = "AI confidence: not given";
    return box;
  }
  box.append(el("span", "confidence-label", `AI confidence: ${confidence}%`));
  const meter = el("meter", "confidence-meter");
  meter.min = 0;
  meter.max = 100;
  meter.value = confidence;
  meter.setAttribute("aria-hidden", "true"); // the words above say it
  box.append(meter);
  return box;
}
