// The observer's note pad during the role-play and the decision: one tap on what the note is
// about (a criterion, or General), type, add. The host stamps each note with the role-play
// clock; the list shows them as "02:13 · Tone: interrupted the customer". What is being typed
// survives a re-render and a reload (kept in this tab's sessionStorage until it is added).

import { api, el } from "./common.js";

export const GENERAL = "general";
const DRAFT_KEY = "hd-note-draft";
const MAX_CHARS = 500; // the host's limit for one note (docs/room-api.md)

export function noteLine(note) {
  return `${note.stamp} · ${note.criterion_name}: ${note.text}`;
}

function loadDraft(round) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    if (saved && saved.round === round) return saved;
  } catch (err) {
    // a damaged draft is dropped, never shown half
  }
  return { round, criterion: null, text: "" };
}

function keepDraft(draft) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch (err) {
    // storage full or off: the draft stays in this page only
  }
}

// The list of this round's notes, newest last (a timeline), updated in place.
function fillList(list, notes) {
  list.replaceChildren(...notes.map((note) => el("li", "", noteLine(note))));
}

function padHint(view) {
  if (view.card.can_note) {
    return "Each note is stamped with the role-play clock, so your feedback can say when it happened.";
  }
  if (view.phase === "brief" || view.status === "ready") {
    return "Notes open when the role-play starts. Each note is stamped with the role-play clock.";
  }
  if (view.phase === "feedback" || view.phase === "debrief") {
    return "Feedback for this round is closed. Thank you: your notes and checklist are kept.";
  }
  return "Notes are closed for this round.";
}

export function notepad(view, hooks) {
  const { card } = view;
  const root = el("div", "notepad");
  const draft = loadDraft(view.round);

  const pad = el("section", "card");
  pad.setAttribute("aria-labelledby", "pad-title");
  const padTitle = el("h3", "", card.operator ? `Take notes on ${card.operator} (Operator)` : "Take notes");
  padTitle.id = "pad-title";
  pad.append(padTitle);
  pad.append(el("p", "hint", padHint(view)));

  const form = el("form", "pad-form");
  form.noValidate = true;
  form.hidden = !card.can_note;
  const group = el("fieldset", "about");
  group.append(el("legend", "", "1. What is it about?"));
  const options = el("div", "about-options");
  const choices = [...card.criteria.map((c) => ({ key: c.key, name: c.name })), { key: GENERAL, name: "General" }];
  for (const choice of choices) {
    const button = el("button", "about-option", choice.name);
    button.type = "button";
    button.dataset.key = choice.key;
    button.setAttribute("aria-pressed", String(draft.criterion === choice.key));
    button.addEventListener("click", () => pick(choice.key));
    options.append(button);
  }
  group.append(options);

  const label = el("label", "", "2. Your note");
  label.htmlFor = "pad-text";
  const text = el("textarea", "pad-text");
  text.id = "pad-text";
  text.rows = 2;
  text.maxLength = MAX_CHARS;
  text.value = draft.text;
  text.setAttribute("aria-describedby", "pad-hint");
  const hint = el("p", "hint", "Enter adds the note; Shift+Enter starts a new line.");
  hint.id = "pad-hint";
  const row = el("div", "row");
  const add = el("button", "primary", "Add note");
  add.type = "submit";
  row.append(add);
  const status = el("p", "pad-status");
  status.setAttribute("role", "status");
  status.id = "pad-status";
  form.append(group, label, text, hint, row, status);
  pad.append(form);

  const listBox = el("section", "card");
  listBox.setAttribute("aria-labelledby", "notes-title");
  const listTitle = el("h3", "", "Your notes this round");
  listTitle.id = "notes-title";
  const empty = el("p", "hint", "No notes yet.");
  const list = el("ol", "notes-list");
  list.id = "notes-list";
  listBox.append(listTitle, empty, list);
  root.append(pad, listBox);

  function showNotes(notes) {
    fillList(list, notes);
    empty.hidden = notes.length > 0;
  }
  showNotes(card.notes);

  function pick(key) {
    draft.criterion = key;
    keepDraft(draft);
    for (const button of options.children) {
      button.setAttribute("aria-pressed", String(button.dataset.key === key));
    }
    const chosen = choices.find((c) => c.key === key);
    label.textContent = `2. Your note on ${chosen ? chosen.name : key}`;
    status.textContent = "";
    text.focus();
  }
  if (draft.criterion) {
    const chosen = choices.find((c) => c.key === draft.criterion);
    if (chosen) label.textContent = `2. Your note on ${chosen.name}`;
  }

  text.addEventListener("input", () => {
    draft.text = text.value;
    keepDraft(draft);
  });
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    if (!draft.criterion) {
      status.textContent = "First tap what the note is about (a criterion, or General).";
      options.querySelector("button").focus();
      return;
    }
    if (!text.value.trim()) {
      status.textContent = "Type the note first.";
      text.focus();
      return;
    }
    sending = true;
    add.disabled = true;
    const { status: code, data } = await api("POST", "/api/notes", {
      criterion: draft.criterion,
      text: text.value,
    });
    sending = false;
    add.disabled = false;
    if (code === 201 || code === 200) {
      hooks.added(data);
      draft.text = "";
      keepDraft(draft);
      text.value = "";
      status.textContent = `Added: ${noteLine(data)}`;
      text.focus();
      return;
    }
    if (code === 401) return hooks.signedOut();
    status.textContent =
      code === 0 ? "Not added: the trainer's app cannot be reached. Try again." : `Not added: ${data.error}`;
    if (code === 403 || code === 409) hooks.refresh();
  });

  return { root, showNotes };
}
