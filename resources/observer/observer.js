// The session's page on every participant's device: join once with the code and your name,
// then follow the session (events from the host) and see your role's card for the round and
// phase being played. A reload or a dropped connection resumes: the token is a cookie, and the
// card, notes and checklist draft come from the host again.

import { aiSystemCard, expertCard, facilitatorCard, sittingOutCard } from "./cards.js";
import {
  checklistRound,
  checklistUnsaved,
  onChecklistEnd,
  retryUnsaved,
  showChecklist,
} from "./checklist.js";
import { $, announce, api, el, show, shownStep, whenOffline } from "./common.js";
import { operatorCard } from "./decision.js";
import { follow } from "./follow.js";
import { notepad } from "./notes.js";

const RETRY_MS = 2000;
const FINISHED = "The session is finished. Thank you for taking part: everything you saved is kept.";

// What each role does, in the program's words (Module 4.1).
const ROLE_TASKS = {
  operator: "You handle the approval decision. Think aloud as you decide.",
  ai_system: "You provide the draft response, and answer as the AI would.",
  observer: "You take notes and provide feedback.",
  facilitator: "You introduce the scenario and guide the debrief.",
  sitting_out: "You are not playing this round: you watch with the room.",
};
// The round's clock in words, beside the phase (never colour alone).
const CLOCK_WORDS = { ready: "not started yet", paused: "paused", finished: "round over" };

const room = {
  code: "",
  following: false,
  loading: false,
  again: false,
  seq: null,
  said: "", // the round and phase last announced
  shownKey: "", // what the card on screen was built from
  card: null, // the card on screen: { root, showNotes? }
};

whenOffline(checklistUnsaved);

// -- join -----------------------------------------------------------------------------------

function showCode(message) {
  $("context").textContent = "";
  $("code-error").textContent = message || "";
  show("step-code");
  $("code").focus();
}

function showClosed(text) {
  const said = text || "The trainer's app is not serving this session right now. What you saved is kept.";
  if (shownStep() === "step-closed" && $("closed-text").textContent === said) return;
  $("closed-title").textContent = said === FINISHED ? "The session is finished" : "The session is not open";
  $("closed-text").textContent = said;
  show("step-closed");
  $("closed-title").focus();
}

$("code-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = $("code").value.replace(/\s+/g, "");
  if (!code) {
    $("code-error").textContent = "Type the code shown on the projector.";
    return;
  }
  const { status, data } = await api("POST", "/api/join", { code });
  if (status === 200) {
    room.code = code;
    return showNames(data);
  }
  if (status === 409) return showClosed(FINISHED);
  $("code-error").textContent =
    status === 429 ? `${data.error} (about ${data.retry_after} s)` : data.error;
  $("code").select();
});

function showNames(data) {
  showRefusal(null);
  const box = $("names");
  box.replaceChildren();
  $("names-legend").textContent = "Pick your name";
  (data.people || []).forEach((name, index) => {
    const id = `name-${index}`;
    const wrap = el("div", "choice");
    const input = el("input");
    input.type = "radio";
    input.name = "person";
    input.id = id;
    input.value = name;
    const label = el("label", "", name);
    label.htmlFor = id;
    wrap.append(input, label);
    box.append(wrap);
  });
  $("name-error").textContent = "";
  show("step-name");
  box.querySelector("input")?.focus();
}

$("name-back").addEventListener("click", () => showCode());

$("name-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const picked = document.querySelector('input[name="person"]:checked');
  if (!picked) {
    $("name-error").textContent = "Pick your name first.";
    return;
  }
  const { status, data } = await api("POST", "/api/claim", { code: room.code, name: picked.value });
  if (status === 200) return loadCard();
  if (status === 409 && data.reason === "taken") {
    return showRefusal("This name is already in use", data.error);
  }
  if (status === 409 && data.reason === "in_app") {
    return showRefusal("The trainer is filling in this checklist", data.error);
  }
  if (status === 409) return showClosed(FINISHED);
  if (status === 403 && data.error.startsWith("That code")) return showCode(data.error);
  $("name-error").textContent = data.error;
});

// A claim the host refused for this name: said in a box, the name list kept for another try.
function showRefusal(title, text) {
  $("name-error").textContent = "";
  $("name-refusal").hidden = !title;
  $("name-refusal-title").textContent = title || "";
  $("name-refusal-text").textContent = text || "";
  if (title) $("name-refusal").scrollIntoView({ block: "nearest" });
}

// -- the card -------------------------------------------------------------------------------

async function loadCard() {
  if (room.loading) {
    room.again = true; // one request at a time; the latest change is fetched after it
    return;
  }
  room.loading = true;
  const { status, data } = await api("GET", "/api/card");
  room.loading = false;
  if (room.again) {
    room.again = false;
    return loadCard();
  }
  if (status === 200) return showView(data);
  if (status === 401) return showCode(room.following ? "Join again to keep going: the host no longer knows this browser." : "");
  if (status === 409) return showClosed(FINISHED);
  if (status === 0) {
    setTimeout(loadCard, RETRY_MS); // host unreachable: keep trying
    return;
  }
  showCode(data.error);
}

async function showView(view) {
  if (!room.following) {
    room.following = true;
    follow(onState);
  }
  room.seq = view.seq; // the card is current until the next change
  sayPhase(view);
  const role = view.role;
  if (role === "observer" && view.card.feedback_open) {
    // Feedback may stay open into the debrief: the phase and the revealed expert show here too.
    $("checklist-phase").textContent = view.phase_title;
    $("checklist-expert").replaceChildren(...(view.expert ? [expertCard(view.expert)] : []));
    return openChecklist(view);
  }
  $("context").textContent =
    `Round ${view.round} of ${view.round_count} · ${view.scenario_title} · You are ${view.name}`;
  const clock = CLOCK_WORDS[view.status];
  $("phase-badge").textContent = view.phase_title || "Not started";
  $("phase-round").textContent = `Round ${view.round} of ${view.round_count}${clock ? ` · ${clock}` : ""}`;
  $("room-title").textContent =
    role === "sitting_out" ? "You sit this round out" : `You are the ${view.role_label}`;
  $("role-summary").textContent = ROLE_TASKS[role] || "";
  showRoles(view);
  renderCard(view);
  show("step-room");
}

// Who plays what this round, as the projector shows it; this person's own role in bold.
function showRoles(view) {
  const list = $("roles");
  list.replaceChildren();
  for (const entry of view.roles || []) {
    const names = entry.names.length ? entry.names.join(", ") : "the trainer";
    const item = el("li", entry.role === view.role ? "me" : "", `${entry.label}: ${names}`);
    list.append(item);
  }
}

function sayPhase(view) {
  const said = `${view.round}/${view.phase}/${view.role}/${view.status}`;
  if (said === room.said) return;
  const first = room.said === "";
  room.said = said;
  const clock = CLOCK_WORDS[view.status];
  const role = view.role === "sitting_out" ? "you sit this round out" : `you are the ${view.role_label}`;
  const text = `Round ${view.round}: ${view.phase_title || "not started"}${clock ? `, ${clock}` : ""}; ${role}.`;
  if (!first) announce(text);
}

// Rebuilt only when what it shows changed, so a pause or a phase change never takes away
// what someone is typing; the observer's note list is refreshed in place.
function renderCard(view) {
  const { notes, ...rest } = view.card;
  const key = JSON.stringify([view.round, view.role, rest, view.expert]);
  if (key === room.shownKey && room.card) {
    if (room.card.showNotes && notes) room.card.showNotes(notes);
    return;
  }
  room.shownKey = key;
  const hooks = {
    refresh: loadCard,
    signedOut: () => showCode("Join again to keep going: the host no longer knows this browser."),
    added: loadCard,
  };
  const build = {
    operator: operatorCard,
    ai_system: aiSystemCard,
    observer: notepad,
    facilitator: facilitatorCard,
    sitting_out: sittingOutCard,
  }[view.role];
  room.card = build ? build(view, hooks) : { root: el("p", "card", "Your role has no card.") };
  const box = $("card");
  box.replaceChildren(room.card.root);
  if (view.expert) box.append(expertCard(view.expert));
}

async function openChecklist(view) {
  if (shownStep() === "step-checklist" && checklistRound() === view.round) return;
  const { status, data } = await api("GET", "/api/me");
  if (status === 200) {
    room.shownKey = ""; // the note pad is rebuilt when feedback closes
    return showChecklist(data, data.notes);
  }
  if (status === 401) return showCode("Join again to keep going.");
  if (status === 0) return setTimeout(loadCard, RETRY_MS);
  if (status === 409) return; // closed meanwhile: the next event brings the card
  $("context").textContent = data.error;
}

onChecklistEnd(loadCard, () => showCode("Join again to keep going: the host no longer knows this browser."));

// -- following the session ------------------------------------------------------------------

function onState(state) {
  if (state.finished) {
    room.seq = state.seq;
    return showClosed(FINISHED);
  }
  if (!state.joined) {
    if (shownStep() === "step-room" || shownStep() === "step-checklist") {
      showCode("Join again to keep going: the host no longer knows this browser.");
    }
    return;
  }
  retryUnsaved();
  if (state.seq === room.seq && shownStep() !== "step-closed") return;
  room.seq = state.seq;
  loadCard();
}

loadCard();
