// The cards that only show what the host sent: the AI System's, the Facilitator's, the card of
// someone sitting the round out, and the expert approach once the trainer has revealed it.
// Each role sees only what its card carries; the host decides what that is.

import { confidenceBadge, el, factList, textBlock } from "./common.js";

function section(titleText, ...children) {
  const box = el("section", "card");
  box.append(el("h3", "", titleText), ...children);
  return box;
}

export function aiSystemCard(view) {
  const { card } = view;
  const root = el("div", "ai-system");
  const draft = el("section", "card voice");
  draft.append(el("h3", "", "The draft you voice"), el("blockquote", "voice-text", card.ai_draft));
  draft.append(confidenceBadge(card.confidence));
  root.append(draft);
  if (card.guidance) root.append(section("How to play the AI", el("p", "guidance", card.guidance)));
  root.append(section("What the AI knows", factList(card.setup_facts, false)));
  return { root };
}

export function facilitatorCard(view) {
  const { card } = view;
  const root = el("div", "facilitator");
  if (card.debrief) {
    const { debrief } = card;
    const now = el("section", "card question");
    now.setAttribute("aria-labelledby", "question-title");
    const title = el("h3", "", `Debrief question ${debrief.index + 1} of ${debrief.count}`);
    title.id = "question-title";
    now.append(title, el("p", "question-text", debrief.question));
    const questions = el("ol", "questions");
    debrief.questions.forEach((item, index) => {
      const li = el("li", index === debrief.index ? "current" : "", item);
      if (index === debrief.index) {
        li.setAttribute("aria-current", "step");
        li.prepend(el("span", "now-mark", "Now: "));
      }
      questions.append(li);
    });
    now.append(el("h4", "", "All questions"), questions);
    root.append(now);
    root.append(agendaCard(debrief.agenda));
  }
  root.append(
    section(
      "Introduce the scenario",
      el("p", "hint", "Read these out, in this order:"),
      factList(card.introduction, true),
    ),
  );
  return { root };
}

// The criteria to discuss, most-missed first, from the submitted checklists (counts only).
function agendaCard(agenda) {
  const box = section("The agenda: criteria to discuss");
  if (!agenda.length) {
    box.append(el("p", "hint", "No checklist is submitted yet, so there is no agenda."));
    return box;
  }
  const list = el("ol", "agenda");
  for (const item of agenda) {
    const li = el("li");
    li.append(el("span", "agenda-name", item.name), ` — met ${item.met}, not met ${item.not_met}`);
    if (item.disagreement) li.append(el("span", "flag", "observers disagree"));
    list.append(li);
  }
  box.append(list);
  return box;
}

// Not playing this round: the same as the projector shows, nothing more.
export function sittingOutCard(view) {
  const room = view.card.room || {};
  const root = el("div", "sitting-out");
  const box = el("section", "card");
  box.append(el("h3", "", "What the room sees"));
  if (room.title) box.append(el("p", "room-title", room.title));
  for (const line of room.lines || []) box.append(el("p", "room-line", line));
  root.append(box);
  return { root };
}

export function expertCard(expert) {
  const box = el("section", "card expert");
  box.setAttribute("aria-labelledby", "expert-title");
  const title = el("h3", "", "The expert approach");
  title.id = "expert-title";
  box.append(title);
  if (!expert.wording && !expert.rationale && !expert.approach) {
    box.append(el("p", "", "The program gives no expert decision for this scenario."));
    return box;
  }
  if (expert.wording) box.append(el("p", "expert-decision", `Expert decision: ${expert.wording}`));
  if (expert.rationale) box.append(textBlock("Why", expert.rationale));
  if (expert.approach) box.append(textBlock("Approach", expert.approach));
  return box;
}
