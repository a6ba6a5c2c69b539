// The operator's card: the ticket as the approval queue shows it (customer message, the AI
// draft and its confidence), the four decisions with the program's templates as the host
// describes them (the same fields, limits and rules as the trainer's console), and, once
// recorded, the decision with the operator's own time to decide and any trainer correction.
// What is typed survives a re-render and a reload (this tab's sessionStorage) until recorded.

import { api, confidenceBadge, el, factList, textBlock } from "./common.js";

const DRAFT_KEY = "hd-decision-draft";

function loadDraft(round) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    if (saved && saved.round === round) return saved;
  } catch (err) {
    // a damaged draft is dropped
  }
  return { round, decision: null, fields: {} };
}

function keepDraft(draft) {
  try {
    sessionStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
  } catch (err) {
    // storage full or off: the draft stays in this page only
  }
}

function dropDraft() {
  try {
    sessionStorage.removeItem(DRAFT_KEY);
  } catch (err) {
    // nothing kept
  }
}

export function ticket(card) {
  const box = el("section", "card ticket");
  box.setAttribute("aria-label", "The ticket");
  if (card.setup_facts && card.setup_facts.length) {
    const facts = el("section", "block");
    facts.append(el("h3", "block-title", "What you know"), factList(card.setup_facts, false));
    box.append(facts);
  }
  box.append(textBlock("Customer message", card.customer_message, "customer"));
  const waiting = card.can_decide && !card.decision;
  const draft = textBlock(waiting ? "AI draft · awaiting your decision" : "AI draft", card.ai_draft, "ai-draft");
  draft.append(confidenceBadge(card.confidence));
  box.append(draft);
  return box;
}

// Where the console's form starts from what the room saw (ui/console/decision_panel.py): the
// edited reply from the AI draft, the rejection note from the customer's words and the draft.
function startingValues(card) {
  return {
    edit_approve: { final_reply: card.ai_draft },
    reject: { customer_question: card.customer_message, ai_response: card.ai_draft },
    escalate: {},
  };
}

// One template field: a line, a text box or a choice, labelled, with its limit.
function field(group, spec, value, onInput) {
  const wrap = el("div", "field");
  const id = `f-${group}-${spec.key}`;
  const label = el("label", "", spec.required ? `${spec.label} (required)` : spec.label);
  label.htmlFor = id;
  let input;
  if (spec.kind === "choice") {
    input = el("select");
    for (const option of spec.options) {
      const node = el("option", "", option.label);
      node.value = option.value;
      input.append(node);
    }
    input.value = value ?? spec.default ?? spec.options[0].value;
  } else {
    if (spec.kind === "text") {
      input = el("textarea");
      input.rows = spec.key === "final_reply" ? 6 : 3;
    } else {
      input = el("input");
      input.type = "text";
    }
    if (spec.max_length) input.maxLength = spec.max_length;
    input.value = value ?? spec.default ?? "";
  }
  input.id = id;
  input.dataset.key = spec.key;
  input.dataset.group = group;
  if (spec.required) input.setAttribute("aria-required", "true");
  input.addEventListener("input", onInput);
  input.addEventListener("change", onInput);
  wrap.append(label, input);
  return wrap;
}

// The recorded decision's fields, each by its template label, as the console lists them.
function summaryLines(card, decision) {
  const template = card.templates[decision.decision];
  if (!template) return [];
  const values =
    decision.decision === "edit_approve"
      ? { final_reply: decision.final_reply }
      : decision.decision === "reject"
        ? decision.rejection || {}
        : decision.escalation || {};
  const lines = [];
  for (const spec of template.fields) {
    let value = values[spec.key];
    if (value === undefined || value === null || !String(value).trim()) continue;
    if (spec.kind === "choice") {
      const option = spec.options.find((o) => o.value === value);
      if (option) value = option.label;
    }
    lines.push([spec.label, String(value)]);
  }
  return lines;
}

function recorded(card) {
  const decision = card.decision;
  const box = el("section", "card recorded");
  box.setAttribute("aria-labelledby", "recorded-title");
  const title = el(
    "h3",
    "",
    decision.correction
      ? `Decision: ${decision.label} (corrected by the trainer)`
      : `Your decision: ${decision.label}`,
  );
  title.id = "recorded-title";
  box.append(title, el("p", "recorded-at", `Recorded at ${decision.time_text}`));
  box.append(
    el(
      "p",
      "hint",
      decision.source === "console"
        ? "The trainer recorded it in the app. The time is the role-play clock when it was recorded."
        : "The time is the role-play clock when your decision reached the trainer's app.",
    ),
  );
  const lines = summaryLines(card, decision);
  if (lines.length) {
    const list = el("dl", "summary");
    for (const [label, value] of lines) list.append(el("dt", "", label), el("dd", "", value));
    box.append(list);
  }
  if (decision.correction) {
    const fix = el("div", "correction");
    const { correction } = decision;
    const by = correction.corrected_by ? ` (${correction.corrected_by})` : "";
    fix.append(
      el(
        "p",
        "correction-title",
        `Corrected by the trainer${by}: ${correction.previous.label} → ${decision.label}`,
      ),
      el("p", "", `Reason: ${correction.reason}`),
    );
    box.append(fix);
  }
  return box;
}

export function operatorCard(view, hooks) {
  const { card } = view;
  const root = el("div", "operator");
  root.append(ticket(card));
  if (card.decision) {
    dropDraft();
    root.append(recorded(card));
    return { root };
  }
  if (!card.can_decide) {
    const wait = el("section", "card");
    wait.append(
      el("h3", "", "Your decision"),
      el(
        "p",
        "",
        view.phase === "brief"
          ? "You decide during the role-play and the decision phase. Read the ticket now."
          : "Deciding is closed for this round.",
      ),
    );
    root.append(wait);
    return { root };
  }

  const draft = loadDraft(view.round);
  const starting = startingValues(card);
  const form = el("form", "card decide");
  form.noValidate = true;
  form.setAttribute("aria-labelledby", "decide-title");
  const title = el("h3", "", "Your decision");
  title.id = "decide-title";
  form.append(title);

  const choices = el("fieldset", "decisions");
  choices.append(el("legend", "", "What do you do with the AI draft?"));
  const grid = el("div", "decision-options");
  for (const option of card.decisions) {
    const id = `decision-${option.value}`;
    const input = el("input");
    input.type = "radio";
    input.name = "decision";
    input.id = id;
    input.value = option.value;
    input.checked = draft.decision === option.value;
    const label = el("label", "decision-option", option.label);
    label.htmlFor = id;
    grid.append(input, label);
  }
  choices.append(grid);
  form.append(choices);

  const templates = el("div", "templates");
  form.append(templates);

  function changed(event) {
    const { key, group } = event.target.dataset;
    if (!key) return;
    draft.fields[group] = draft.fields[group] || {};
    draft.fields[group][key] = event.target.value;
    keepDraft(draft);
  }

  function showTemplate() {
    templates.replaceChildren();
    const template = draft.decision ? card.templates[draft.decision] : null;
    if (!template) return;
    const set = el("fieldset", "template");
    set.append(el("legend", "", template.title));
    const values = { ...starting[draft.decision], ...(draft.fields[draft.decision] || {}) };
    for (const spec of template.fields) {
      set.append(field(draft.decision, spec, values[spec.key], changed));
    }
    templates.append(set);
  }

  grid.addEventListener("change", (event) => {
    draft.decision = event.target.value;
    keepDraft(draft);
    showTemplate();
    error.textContent = "";
  });
  showTemplate();

  const row = el("div", "row");
  const submit = el("button", "primary", "Record my decision");
  submit.type = "submit";
  row.append(submit);
  const error = el("div", "error");
  error.setAttribute("role", "alert");
  error.id = "decide-error";
  form.append(row, error);

  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    if (!draft.decision) {
      error.textContent = "Choose one of the four decisions first.";
      grid.querySelector("input").focus();
      return;
    }
    sending = true;
    submit.disabled = true;
    const { status, data } = await api("POST", "/api/decision", collect());
    sending = false;
    submit.disabled = false;
    if (status === 200) {
      dropDraft();
      hooks.refresh();
      return;
    }
    if (status === 401) return hooks.signedOut();
    if (status === 409 || status === 403) {
      error.textContent = data.error;
      hooks.refresh();
      return;
    }
    error.textContent =
      status === 0 ? "Not recorded: the trainer's app cannot be reached. Try again." : data.error;
  });

  // The request as the console's form sends it: the chosen decision's fields, nothing else.
  function collect() {
    const values = {};
    for (const input of templates.querySelectorAll("[data-key]")) values[input.dataset.key] = input.value;
    const body = { decision: draft.decision };
    if (draft.decision === "edit_approve") body.final_reply = values.final_reply || "";
    if (draft.decision === "reject") body.rejection = values;
    if (draft.decision === "escalate") body.escalation = values;
    return body;
  }

  root.append(form);
  return { root };
}
