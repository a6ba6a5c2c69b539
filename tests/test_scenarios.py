"""Scenario files: the bundled library (facts as the program states them) and refusals of bad
files (one clear message naming the file and the line or field, nothing loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotdash_roleplay import yamlfile
from hotdash_roleplay.decisions import Decision
from hotdash_roleplay.errors import InvalidFile, Problem
from hotdash_roleplay.paths import SCENARIOS_DIR
from hotdash_roleplay.scenarios import (
    ExpertDecision,
    Scenario,
    ScenarioLibrary,
    expert_of,
    load_library,
    load_scenario_file,
    load_scenarios,
    scenario_from_yaml,
    scenario_to_yaml,
)
from hotdash_roleplay.yamlfile import MAX_FILE_BYTES

EXPECTED_IDS = {
    "warranty-loophole",
    "suspected-fraud",
    "unreasonable-request",
    "multi-problem-customer",
    "conflicting-request",
    "interpretation-question",
    "borderline-abusive-customer",
    "impossible-deadline",
    "stuck-approve-execute",
    "tshirt-bulk-order-escalation",
    "gray-area-refund",
    "high-stakes-complaint",
}

VALID = """\
# a trainer's own scenario
id: my-scenario
title: My Scenario
module: 4
difficulty: advanced
setup:
  - "Customer: bought a kettle"
customer_message: It leaks.
ai_draft:
  text: Please return it.
  confidence: 80
operator_challenges:
  - Decide
debrief_questions:
  - Why?
expert:
  decisions: [approve]
  rationale: Fine as it is.
  approach: Approve it.
"""


@pytest.fixture(scope="module")
def library() -> ScenarioLibrary:
    return load_library()


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def only_problem(exc: pytest.ExceptionInfo[InvalidFile]) -> Problem:
    problems = exc.value.problems
    assert len(problems) == 1, problems
    return problems[0]


# --- the bundled library --------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SCENARIOS_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_bundled_file_loads_and_is_named_after_its_id(path: Path) -> None:
    scenario = load_scenario_file(path)
    assert path.stem == scenario.id
    assert path.read_text(encoding="utf-8").startswith("# Source: Advanced Operator Training")


def test_library_has_every_playable_scenario_in_module_then_title_order(
    library: ScenarioLibrary,
) -> None:
    assert len(library) >= 10
    assert set(library.ids) == EXPECTED_IDS
    keys = [(s.module, s.title.casefold()) for s in library]
    assert keys == sorted(keys)
    assert [s.id for s in library.by_module(4)] == [
        "suspected-fraud",
        "unreasonable-request",
        "warranty-loophole",
    ]
    assert library.source_of("warranty-loophole") == str(SCENARIOS_DIR / "warranty-loophole.yaml")
    assert library.get("nope") is None and "nope" not in library
    with pytest.raises(KeyError):
        library["nope"]


def test_warranty_loophole_facts(library: ScenarioLibrary) -> None:
    s = library["warranty-loophole"]
    assert s.module == 4 and s.title == "The Warranty Loophole"
    assert "Customer: Bought expensive headphones 13 months ago" in s.setup
    assert "Warranty: 12 months manufacturer warranty" in s.setup
    assert s.customer_message == (
        "I know it's past warranty but this is clearly defective manufacturing"
    )
    assert s.ai_draft.text == "Warranty expired. Contact manufacturer directly."
    assert s.ai_draft.confidence is None
    assert s.operator_challenges == [
        "Policy says no",
        "Customer has valid point",
        "What's the right thing to do?",
    ]
    assert s.debrief_questions[0] == "How did you balance policy vs. customer need?"


def test_module4_roleplays_have_no_invented_expert_decision(library: ScenarioLibrary) -> None:
    for scenario in library.by_module(4):
        assert scenario.expert is None, scenario.id
        assert scenario.ai_draft.confidence is None, scenario.id


def test_suspected_fraud_facts(library: ScenarioLibrary) -> None:
    s = library["suspected-fraud"]
    assert "Order: $800 worth of electronics" in s.setup
    assert "Red flag: Shipping address ≠ billing address" in s.setup
    assert "Red flag: Multiple payment methods attempted" in s.setup
    assert s.debrief_questions == [
        "What red flags did you notice?",
        "How did you approach the conversation?",
        "What's the escalation path for fraud?",
    ]


def test_unreasonable_request_facts(library: ScenarioLibrary) -> None:
    s = library["unreasonable-request"]
    assert "Customer: Ordered item 6 months ago" in s.setup
    assert s.ai_draft.text == "We can offer a discount on a new purchase"
    assert "quality isn't as good as I expected" in s.customer_message


def test_multi_problem_customer_facts(library: ScenarioLibrary) -> None:
    s = library["multi-problem-customer"]
    assert s.module == 1
    assert s.ai_draft.confidence == 68
    assert s.customer_message.startswith("I'm writing because I have several major issues: 1)")
    assert "#555" in s.customer_message and "#666" in s.customer_message
    assert "20% coupon" in s.customer_message
    assert s.ai_draft.text.startswith("Hi! I can help you with these issues.")
    assert s.debrief_questions[0] == "How many distinct issues are there?"
    assert s.expert is not None
    assert s.expert.decisions == [Decision.EDIT_APPROVE]
    assert "complex multi-issue requiring senior-level handling" in s.expert.rationale


def test_conflicting_request_facts(library: ScenarioLibrary) -> None:
    s = library["conflicting-request"]
    assert s.ai_draft.confidence == 72
    assert s.ai_draft.text == (
        "Our policy is one return or exchange per order. You can return the item for a refund "
        "or exchange for a different color."
    )
    assert "The graduation is in 3 days" in s.customer_message
    assert s.expert is not None
    assert s.expert.decisions == [Decision.REJECT, Decision.ESCALATE]
    assert "7-day return window" in s.expert.approach


def test_other_module1_expert_decisions(library: ScenarioLibrary) -> None:
    interpretation = library["interpretation-question"]
    assert any("item physically returned on day 32" in fact for fact in interpretation.setup)
    assert interpretation.expert is not None
    assert interpretation.expert.decisions == [Decision.EDIT_APPROVE]
    assert "Approved with note documenting reasoning" in interpretation.expert.rationale

    abusive = library["borderline-abusive-customer"]
    assert "INCOMPETENT" in abusive.customer_message and "BBB and FTC" in abusive.customer_message
    assert abusive.expert is not None
    assert abusive.expert.decisions == [Decision.EDIT_APPROVE]
    assert "This is a hurt customer, not an abusive one." in abusive.expert.rationale

    deadline = library["impossible-deadline"]
    assert deadline.difficulty == "practice"
    assert "Customer needs item delivered tomorrow for a proposal" in deadline.setup
    assert deadline.expert is not None
    assert "Store pickup 30 miles from you - available in 4 hours" in deadline.expert.approach


def test_module2_and_module3_scenarios(library: ScenarioLibrary) -> None:
    stuck = library["stuck-approve-execute"]
    assert stuck.module == 2
    assert "Button stays in loading state for 30+ seconds." in stuck.setup
    assert stuck.expert is not None and stuck.expert.decisions == [Decision.ESCALATE]

    shirts = library["tshirt-bulk-order-escalation"]
    assert shirts.module == 3
    assert any("25 identical t-shirts" in fact for fact in shirts.setup)
    assert "Total value: ~$250 order." in shirts.setup
    assert shirts.expert is not None and shirts.expert.decisions == [Decision.ESCALATE]
    assert "High (2 hours)" in shirts.expert.rationale

    refund = library["gray-area-refund"]
    assert refund.expert is not None and "$3,200" in refund.expert.rationale
    complaint = library["high-stakes-complaint"]
    assert complaint.expert is not None and "URGENT (15 min)" in complaint.expert.rationale


def test_only_two_scenarios_state_a_confidence(library: ScenarioLibrary) -> None:
    stated = {s.id: s.ai_draft.confidence for s in library if s.ai_draft.confidence is not None}
    assert stated == {"multi-problem-customer": 68, "conflicting-request": 72}


def test_decision_labels() -> None:
    assert [d.value for d in Decision] == ["approve", "edit_approve", "reject", "escalate"]
    assert [d.label for d in Decision] == ["Approve", "Edit & approve", "Reject", "Escalate"]


# --- writing back -----------------------------------------------------------------------------


def test_every_bundled_scenario_round_trips_through_yaml(library: ScenarioLibrary) -> None:
    for scenario in library:
        text = scenario_to_yaml(scenario, header="edited in the app")
        assert text.startswith("# edited in the app\n")
        assert scenario_from_yaml(text) == scenario


def test_to_yaml_keeps_null_confidence_and_omits_missing_expert(library: ScenarioLibrary) -> None:
    text = scenario_to_yaml(library["warranty-loophole"])
    assert "confidence: null" in text
    assert "expert" not in text


_text = st.text(min_size=1, max_size=200).map(str.strip).filter(bool)


@settings(max_examples=200, deadline=None)
@given(message=_text, fact=_text)
def test_any_text_round_trips(message: str, fact: str) -> None:
    base = scenario_from_yaml(VALID)
    scenario = Scenario.model_validate(
        base.model_dump() | {"customer_message": message, "setup": [fact]}
    )
    assert scenario_from_yaml(scenario_to_yaml(scenario)) == scenario


# --- refusing bad files -----------------------------------------------------------------------


def test_valid_trainer_file_loads(tmp_path: Path) -> None:
    scenario = load_scenario_file(write(tmp_path, "mine.yaml", VALID))
    assert scenario.expert is not None and scenario.expert.decisions == [Decision.APPROVE]


BAD_CASES: list[tuple[str, str | bytes, str, str]] = [
    # (case, file content, expected in Problem.where, expected in Problem.message)
    ("yaml syntax", "id: a\ntitle: [unclosed\n", "line 3, column 1", "YAML syntax error"),
    (
        "bad indentation",
        VALID.replace("  text: Please", " text: Please"),
        "line 11, column 13",
        "YAML syntax error",
    ),
    ("empty", "", "", "file is empty"),
    ("only comments", "# nothing here\n\n", "", "file is empty"),
    ("top-level list", "- id: a\n- id: b\n", "line 1", "top level must be a mapping"),
    ("top-level text", "just words\n", "line 1", "top level must be a mapping"),
    (
        "missing field",
        VALID.replace("title: My Scenario\n", ""),
        "field title",
        "missing required field 'title'",
    ),
    (
        "missing nested field",
        VALID.replace("  rationale: Fine as it is.\n", ""),
        "line 17, field expert.rationale",
        "missing required field 'rationale'",
    ),
    ("unknown field", VALID + "colour: blue\n", "line 20, field colour", "unknown field 'colour'"),
    (
        "wrong type",
        VALID.replace("module: 4", "module: four"),
        "line 4, field module",
        "should be a whole number",
    ),
    (
        "list given as text",
        VALID.replace("  - Why?", "  Why?")
        .replace("debrief_questions:\n", "debrief_questions: x\n", 1)
        .replace("  Why?\n", ""),
        "line 14, field debrief_questions",
        "should be a list",
    ),
    (
        "module out of range",
        VALID.replace("module: 4", "module: 7"),
        "field module",
        "too large (must be at most 6)",
    ),
    (
        "unknown decision",
        VALID.replace("[approve]", "[approve, aprove]"),
        "line 17, field expert.decisions.1",
        "unknown decision 'aprove' (allowed: approve, edit_approve, reject, escalate)",
    ),
    (
        "empty decisions",
        VALID.replace("[approve]", "[]"),
        "field expert.decisions",
        "needs at least 1 item",
    ),
    (
        "confidence too high",
        VALID.replace("confidence: 80", "confidence: 101"),
        "line 11, field ai_draft.confidence",
        "confidence out of range: 101",
    ),
    (
        "confidence negative",
        VALID.replace("confidence: 80", "confidence: -5"),
        "field ai_draft.confidence",
        "confidence out of range: -5",
    ),
    (
        "confidence with %",
        VALID.replace("confidence: 80", "confidence: 80%"),
        "field ai_draft.confidence",
        "without a % sign",
    ),
    (
        "text given as yes",
        VALID.replace("  - Decide", "  - yes"),
        "line 13, field operator_challenges.0",
        "put it in quotes",
    ),
    (
        "bad id",
        VALID.replace("id: my-scenario", "id: My Scenario"),
        "line 2, field id",
        "not a valid id",
    ),
    (
        "blank text",
        VALID.replace("customer_message: It leaks.", "customer_message: '  '"),
        "field customer_message",
        "must not be empty",
    ),
    ("duplicate key", VALID + "title: Again\n", "line 20", "duplicate key 'title'"),
    ("alias", VALID + "x: &a [1]\ny: *a\n", "line 21", "aliases"),
    (
        "python tag",
        VALID + "x: !!python/object/apply:os.system ['true']\n",
        "line 20",
        "unsupported YAML value",
    ),
    (
        "not utf-8",
        VALID.replace("It leaks.", "It leaks, café.").encode("latin-1"),
        "line 8",
        "not UTF-8",
    ),
    ("control character", VALID.replace("It leaks.", "It \x07leaks."), "line 8", "not allowed"),
]


@pytest.fixture(params=["libyaml", "pure-python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Small files go through libyaml when available; both parsers must report alike."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlfile, "_FastLoader", None)
    elif yamlfile._FastLoader is None:
        pytest.skip("PyYAML built without libyaml")
    return str(request.param)


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [case[1:] for case in BAD_CASES],
    ids=[case[0] for case in BAD_CASES],
)
def test_bad_file_gives_one_clear_problem(
    tmp_path: Path, parser: str, content: str | bytes, where: str, message: str
) -> None:
    path = write(tmp_path, "bad.yaml", content)
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(path)
    problem = only_problem(exc)
    assert problem.source == str(path)
    assert where in problem.where
    if not where:
        assert problem.where == ""
    assert message in problem.message
    assert str(path) in str(exc.value)
    assert "Traceback" not in str(exc.value)


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(tmp_path / "missing.yaml")
    assert only_problem(exc).message == "file not found"


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(tmp_path)
    assert "folder" in only_problem(exc).message


def test_file_over_1_mb_is_refused_before_parsing(tmp_path: Path) -> None:
    # Broken YAML: had it been parsed, the message would be a syntax error.
    path = write(tmp_path, "huge.yaml", "[" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(path)
    problem = only_problem(exc)
    assert "larger than 1 MB" in problem.message
    assert "syntax" not in problem.message


@pytest.mark.parametrize(
    "text",
    ["[" * 200_000 + "]" * 200_000, "- " * 200_000 + "x\n", "a:\n" + "- [\n" * 5000],
    ids=["flow", "compact-block", "mixed"],
)
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str) -> None:
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(write(tmp_path, "deep.yaml", text))
    only_problem(exc)


def test_file_of_exactly_1_mb_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "padded.yaml", VALID + "#" * (MAX_FILE_BYTES - len(VALID)))
    assert load_scenario_file(path).id == "my-scenario"


def test_clock_like_text_stays_text(tmp_path: Path) -> None:
    # YAML 1.1 would read 1:30 as the number 90.
    scenario = load_scenario_file(write(tmp_path, "c.yaml", VALID.replace("- Why?", "- 1:30")))
    assert scenario.debrief_questions == ["1:30"]


def test_several_problems_in_one_file_each_reported(tmp_path: Path) -> None:
    text = VALID.replace("module: 4", "module: 9").replace("confidence: 80", "confidence: 200")
    with pytest.raises(InvalidFile) as exc:
        load_scenario_file(write(tmp_path, "two.yaml", text))
    assert [p.where for p in exc.value.problems] == [
        "line 4, field module",
        "line 11, field ai_draft.confidence",
    ]


def test_load_scenarios_is_all_or_nothing(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", VALID)
    bad1 = write(
        tmp_path,
        "bad1.yaml",
        VALID.replace("my-scenario", "other").replace("module: 4", "module: 0"),
    )
    bad2 = write(tmp_path, "bad2.yaml", "- not a mapping\n")
    with pytest.raises(InvalidFile) as exc:
        load_scenarios([good, bad1, bad2])
    assert [p.source for p in exc.value.problems] == [str(bad1), str(bad2)]
    assert load_scenarios([good])[0].id == "my-scenario"


def test_duplicate_ids_across_files_name_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", VALID)
    second = write(tmp_path, "b.yaml", VALID.replace("My Scenario", "Copy"))
    with pytest.raises(InvalidFile) as exc:
        load_scenarios([first, second])
    problem = only_problem(exc)
    assert problem.source == str(second)
    assert problem.where == "line 2, field id"
    assert "duplicate scenario id 'my-scenario'" in problem.message
    assert str(first) in problem.message


def test_library_with_extra_folder(tmp_path: Path) -> None:
    write(tmp_path, "mine.yaml", VALID)
    library = load_library([tmp_path])
    assert "my-scenario" in library
    assert len(library) == len(EXPECTED_IDS) + 1
    assert library.source_of("my-scenario") == str(tmp_path / "mine.yaml")


def test_library_refuses_an_extra_file_reusing_a_bundled_id(tmp_path: Path) -> None:
    write(tmp_path, "copy.yaml", VALID.replace("my-scenario", "warranty-loophole"))
    with pytest.raises(InvalidFile) as exc:
        load_library([tmp_path])
    problem = only_problem(exc)
    assert problem.source == str(tmp_path / "copy.yaml")
    assert "warranty-loophole.yaml" in problem.message


def test_library_refuses_a_missing_folder_and_a_bad_file_together(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "")
    with pytest.raises(InvalidFile) as exc:
        load_library([tmp_path, tmp_path / "nowhere"])
    assert {p.message for p in exc.value.problems} == {"folder not found", "file is empty"}


def test_scenario_from_yaml_names_the_given_source() -> None:
    with pytest.raises(InvalidFile) as exc:
        scenario_from_yaml(VALID.replace("module: 4", "module: x"), source="editor")
    assert str(exc.value).startswith("editor: line 4, field module:")


def test_expert_sequence_or_alternatives_decides_wording_and_match(
    library: ScenarioLibrary,
) -> None:
    """The program's text decides: the Conflicting Request's expert takes two steps, one after
    the other; a trainer's file can name alternatives instead."""
    steps = library["conflicting-request"].expert
    assert steps is not None and steps.sequence
    assert steps.wording == "Reject, then Escalate"
    assert steps.matches(Decision.ESCALATE) and not steps.matches(Decision.REJECT)
    for scenario in library:  # every other bundled expert names a single decision
        if scenario.expert and scenario.id != "conflicting-request":
            assert len(scenario.expert.decisions) == 1, scenario.id

    either = ExpertDecision(
        decisions=[Decision.REJECT, Decision.ESCALATE], rationale="r", approach="a"
    )
    assert either.wording == "Reject or Escalate"
    assert either.matches(Decision.REJECT) and either.matches(Decision.ESCALATE)
    assert not either.matches(Decision.APPROVE)
    # A stored snapshot without the field reads as before: alternatives.
    assert expert_of({"expert": {"decisions": ["reject"], "rationale": "r", "approach": "a"}})
    assert expert_of({}) is None
