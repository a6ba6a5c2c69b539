// The observer's checklist (Module 4.3) while feedback is open: every change is saved on the
// trainer's computer (debounced, one request at a time, each naming the version it started
// from); a reload asks the host for the saved draft. The notes stamped during the role-play are
// listed above it (the host has already put the per-criterion ones into the criteria's notes).

import { $, api, el, show, shownStep } from "./common.js";
import { noteLine } from "./notes.js";

const SAVE_DELAY_MS = 400;
const RETRY_MS = 2000;

const state = {
  me: null, // the /api/me answer
  dirty: false, // changes not yet saved on the host
  saving: false,
  version: 0, // of the saved checklist this page shows; sent with every save
  conflict: null, // the saved submission another device wrote, while the observer decides
  notes: [], // this observer's stamped notes of the round
  saveTimer: 0,
  retryTimer: 0,
};

// What the rest of the page does when the host says feedback closed or forgets this device.
const hooks = { closed: () => {}, signedOut: () => {} };

export function onChecklistEnd(closed, signedOut) {
  hooks.closed = closed;
  hooks.signedOut = signedOut;
}

export const checklistUnsaved = () => state.dirty || state.saving;
export const checklistRound = () => (state.me ? state.me.round : null);

// Back online with changes the host has not got yet: send them.
export function retryUnsaved() {
  if (state.me && state.dirty && !state.saving && !state.conflict) save();
}

function leave() {
  clearTimeout(state.saveTimer);
  clearTimeout(state.retryTimer);
  state.dirty = false;
  state.me = null;
}

function closed() {
  leave();
  hooks.closed();
}

function signedOut() {
  leave();
  hooks.signedOut();
}

function showTimeline(notes) {
  $("timeline").hidden = !notes.length;
  const list = $("timeline-list");
  list.replaceChildren(...notes.map((note) => el("li", "", noteLine(note))));
}

export function showChecklist(me, notes) {
  state.me = me;
  if (notes) state.notes = notes;
  showTimeline(state.notes);
  const { checklist, submission } = me;
  $("context").textContent = `Round ${me.round} · ${me.scenario_title} · You are ${me.name}`;
  $("checklist-title").textContent = me.operator
    ? `Your checklist for ${me.operator} (Operator)`
    : "Your checklist for the operator";
  $("rule-went-well").textContent = ruleText(checklist.went_well);
  $("rule-could-improve").textContent = ruleText(checklist.could_improve);
  buildCriteria(checklist, submission.answers);
  buildList("went-well", checklist.went_well, submission.answers.went_well, checklist.max_chars);
  buildList(
    "could-improve",
    checklist.could_improve,
    submission.answers.could_improve,
    checklist.max_chars,
  );
  state.dirty = false;
  state.version = submission.version;
  showConflict(null);
  renderSubmission(submission);
  $("save-status").textContent = submission.updated_at ? "All changes saved." : "";
  $("submit-status").textContent = "";
  show("step-checklist");
}

function ruleText(rule) {
  const range =
    rule.min_items === rule.max_items
      ? `${rule.min_items}`
      : `${rule.min_items} to ${rule.max_items}`;
  return `${rule.name}: ${range} specific ${rule.item_noun}s, one per box.`;
}

function buildCriteria(checklist, answers) {
  const box = $("criteria");
  box.replaceChildren();
  checklist.criteria.forEach((criterion, index) => {
    const set = el("fieldset", "card criterion");
    set.dataset.key = criterion.key;
    const legend = el("legend");
    legend.append(
      el("span", "num", `${index + 1}.`),
      " ",
      el("span", "name", criterion.name),
      el("span", "question", criterion.question),
    );
    set.append(legend);
    const marks = el("div", "marks");
    for (const mark of checklist.marks) {
      const id = `mark-${criterion.key}-${mark.value}`;
      const input = document.createElement("input");
      input.type = "radio";
      input.name = `mark-${criterion.key}`;
      input.id = id;
      input.value = mark.value;
      input.checked = answers.marks[criterion.key] === mark.value;
      const label = el("label", `mark mark-${mark.value}`, mark.label);
      label.htmlFor = id;
      marks.append(input, label);
    }
    set.append(marks);
    const noteId = `note-${criterion.key}`;
    const noteLabel = el("label", "note-label", `Note on ${criterion.name} (optional)`);
    noteLabel.htmlFor = noteId;
    const note = el("textarea", "note");
    note.id = noteId;
    note.rows = 2;
    note.maxLength = checklist.max_chars;
    note.value = answers.notes[criterion.key] || "";
    set.append(noteLabel, note);
    box.append(set);
  });
}

function buildList(id, rule, items, maxChars) {
  const set = $(id);
  $(`${id}-legend`).textContent = rule.label;
  $(`${id}-hint`).textContent =
    `Give at least ${rule.min_items} and at most ${rule.max_items}. Blank boxes do not count.`;
  const box = set.querySelector(".items");
  box.replaceChildren();
  const rows = Math.max(rule.max_items, items.length);
  for (let i = 0; i < rows; i += 1) {
    const inputId = `${id}-${i}`;
    const noun = rule.item_noun.charAt(0).toUpperCase() + rule.item_noun.slice(1);
    const label = el(
      "label",
      "item-label",
      i < rule.min_items ? `${noun} ${i + 1}` : `${noun} ${i + 1} (optional)`,
    );
    label.htmlFor = inputId;
    const area = el("textarea", "item");
    area.id = inputId;
    area.rows = 2;
    area.maxLength = maxChars;
    area.value = items[i] || "";
    box.append(label, area);
  }
}

function collect() {
  const answers = { marks: {}, notes: {}, went_well: [], could_improve: [] };
  for (const set of document.querySelectorAll("#criteria .criterion")) {
    const key = set.dataset.key;
    const picked = set.querySelector("input[type=radio]:checked");
    if (picked) answers.marks[key] = picked.value;
    const note = set.querySelector("textarea").value;
    if (note.trim()) answers.notes[key] = note;
  }
  for (const [id, field] of [["went-well", "went_well"], ["could-improve", "could_improve"]]) {
    const values = [...document.querySelectorAll(`#${id} textarea`)].map((a) => a.value);
    while (values.length && !values[values.length - 1].trim()) values.pop();
    answers[field] = values;
  }
  return answers;
}

function renderSubmission(submission) {
  const badge = $("status-badge");
  const text = $("status-text");
  if (submission.status === "submitted") {
    badge.textContent = "Submitted";
    badge.className = "badge submitted";
    text.textContent = "You can still revise it until the trainer closes feedback.";
  } else {
    badge.textContent = "Draft";
    badge.className = "badge draft";
    text.textContent = "Not submitted yet.";
  }
  renderProblems(submission.problems, "To submit, still needed:");
}

function renderProblems(problems, title) {
  const box = $("problems");
  box.replaceChildren();
  if (!problems || !problems.length) return;
  box.append(el("p", "problems-title", title));
  const list = el("ul");
  for (const problem of problems) list.append(el("li", "", problem));
  box.append(list);
}

// -- autosave ---------------------------------------------------------------------------

function changed() {
  if (shownStep() !== "step-checklist") return;
  state.dirty = true;
  if (state.conflict) return; // kept here until the observer picks a version
  $("save-status").textContent = "Saving…";
  clearTimeout(state.saveTimer);
  state.saveTimer = setTimeout(save, SAVE_DELAY_MS);
}

async function save() {
  clearTimeout(state.saveTimer);
  if (state.saving) {
    state.saveTimer = setTimeout(save, SAVE_DELAY_MS); // one request at a time, in order
    return;
  }
  if (!state.dirty || state.conflict) return true;
  state.saving = true;
  state.dirty = false;
  const wasSubmitted = $("status-badge").textContent === "Submitted";
  const { status, data } = await api("PUT", "/api/draft", {
    answers: collect(),
    version: state.version,
  });
  state.saving = false;
  if (status === 200) {
    state.version = data.version;
    if (!state.dirty) $("save-status").textContent = `Saved ${clock()}`;
    renderSubmission(data);
    if (wasSubmitted && data.status !== "submitted") {
      $("submit-status").textContent =
        "Your changes no longer meet the rules, so the checklist is back to draft. Submit again when it is complete.";
    }
    return true;
  }
  state.dirty = true;
  if (status === 409 && data.reason === "changed") return showConflict(data);
  if (status === 409) return closed();
  if (status === 401) return signedOut();
  if (status === 0) {
    $("save-status").textContent = "Not saved yet: retrying…";
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(save, RETRY_MS);
    return false;
  }
  $("save-status").textContent = `Not saved: ${data.error}`;
  return false;
}

function clock() {
  return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

// Someone else saved this checklist (the trainer, in the app) since this page loaded it:
// nothing is overwritten until the observer picks theirs or the saved one.
function showConflict(refusal) {
  state.conflict = refusal ? refusal.submission : null;
  $("conflict").hidden = !refusal;
  $("conflict-text").textContent = refusal ? refusal.error : "";
  if (refusal) {
    $("save-status").textContent = "Not saved: changed on another device.";
    $("submit-status").textContent = "";
    $("conflict").scrollIntoView({ block: "nearest" });
    $("conflict-reload").focus();
  }
}

$("conflict-reload").addEventListener("click", () => {
  const saved = state.conflict;
  if (!saved || !state.me) return;
  showChecklist({ ...state.me, submission: saved });
  $("save-status").textContent = "Showing the saved version.";
});

$("conflict-keep").addEventListener("click", () => {
  const saved = state.conflict;
  if (!saved) return;
  state.version = saved.version; // save over the version just shown, knowingly
  showConflict(null);
  state.dirty = true;
  save();
});

$("checklist-form").addEventListener("input", changed);
$("checklist-form").addEventListener("change", changed);

$("checklist-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearTimeout(state.saveTimer);
  while (state.saving) await new Promise((r) => setTimeout(r, 50));
  if (state.conflict) return $("conflict").scrollIntoView({ block: "nearest" });
  state.dirty = false;
  $("submit-status").textContent = "Submitting…";
  const { status, data } = await api("POST", "/api/submit", {
    answers: collect(),
    version: state.version,
  });
  if (status === 200) {
    state.version = data.version;
    renderSubmission(data);
    $("save-status").textContent = `Saved ${clock()}`;
    $("submit-status").textContent =
      "Submitted. Thank you! You can still revise it until feedback closes.";
    return;
  }
  if (status === 409 && data.reason === "changed") {
    state.dirty = true;
    return showConflict(data);
  }
  if (status === 409) return closed();
  if (status === 401) return signedOut();
  if (status === 422) {
    if (data.submission) state.version = data.submission.version; // kept as a draft
    $("submit-status").textContent = "Not submitted yet: see what is still needed above.";
    renderProblems(data.missing, "Not submitted yet. Still needed:");
    $("save-status").textContent = `Saved ${clock()}`;
    $("problems").scrollIntoView({ block: "nearest" });
    return;
  }
  state.dirty = true;
  $("submit-status").textContent =
    status === 0 ? "Not submitted: the trainer's app cannot be reached. Try again." : data.error;
});

window.addEventListener("beforeunload", (event) => {
  if (state.dirty || state.saving) event.preventDefault();
});

