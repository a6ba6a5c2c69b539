"""The Module 4.3 observer checklist: its definition, the submission rules and the trainer's
aggregate across observers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hotdash_roleplay.checklist import (
    Checklist,
    ChecklistAnswers,
    Mark,
    aggregate,
    load_checklist,
    submission_problems,
)
from hotdash_roleplay.errors import InvalidFile

MET, MISSED, UNSEEN = Mark.MET, Mark.NOT_MET, Mark.NOT_OBSERVED


@pytest.fixture(scope="module")
def checklist() -> Checklist:
    return load_checklist()


def answers(
    checklist: Checklist,
    marks: dict[str, Mark | None] | None = None,
    went_well: list[str] | None = None,
    could_improve: list[str] | None = None,
) -> ChecklistAnswers:
    """A complete submission (everything met), overridden where given."""
    return ChecklistAnswers(
        marks={key: MET for key in checklist.keys} | (marks or {}),
        went_well=["Named the customer", "Checked the order"] if went_well is None else went_well,
        could_improve=["Offer an alternative"] if could_improve is None else could_improve,
    )


def test_bundled_checklist_is_the_programs(checklist: Checklist) -> None:
    assert [(c.name, c.question) for c in checklist.criteria] == [
        ("Accuracy", "Did operator verify all facts?"),
        ("Completeness", "Did operator address all customer concerns?"),
        ("Tone", "Was response empathetic and professional?"),
        ("Clarity", "Would customer understand the decision?"),
        ("Risk Management", "Were appropriate escalations made?"),
        ("Creativity", "Were alternatives explored?"),
        ("Efficiency", "Was time used well?"),
        ("Policy Application", "Were policies applied correctly?"),
    ]
    assert checklist.keys == [
        "accuracy",
        "completeness",
        "tone",
        "clarity",
        "risk_management",
        "creativity",
        "efficiency",
        "policy_application",
    ]
    assert checklist.went_well.label == "What Went Well (2-3 specific examples)"
    assert (checklist.went_well.min_items, checklist.went_well.max_items) == (2, 3)
    assert checklist.could_improve.label == "What Could Improve (1-2 specific suggestions)"
    assert (checklist.could_improve.min_items, checklist.could_improve.max_items) == (1, 2)
    assert checklist.criterion("tone") is not None and checklist.criterion("nope") is None


def test_mark_values_and_labels() -> None:
    assert [(m.value, m.label) for m in Mark] == [
        ("met", "Met"),
        ("not_met", "Not met"),
        ("not_observed", "Not observed"),
    ]


# --- submission rules -------------------------------------------------------------------------


def test_complete_submission_has_no_problems(checklist: Checklist) -> None:
    assert submission_problems(answers(checklist), checklist) == []
    three_and_two = answers(checklist, went_well=["a", "b", "c"], could_improve=["x", "y"])
    assert submission_problems(three_and_two, checklist) == []
    not_observed = answers(checklist, marks={"creativity": UNSEEN})
    assert submission_problems(not_observed, checklist) == []


def test_empty_draft_lists_everything_missing(checklist: Checklist) -> None:
    assert submission_problems(ChecklistAnswers(), checklist) == [
        "8 criteria are not marked yet (met, not met or not observed): Accuracy, Completeness, "
        "Tone, Clarity, Risk Management, Creativity, Efficiency, Policy Application",
        "What went well needs at least 2 specific examples (0 given)",
        "What could improve needs at least 1 specific suggestion (0 given)",
    ]


def test_unmarked_criteria_are_named(checklist: Checklist) -> None:
    draft = answers(checklist, marks={"tone": None})
    assert submission_problems(draft, checklist) == [
        "1 criterion is not marked yet (met, not met or not observed): Tone"
    ]


@pytest.mark.parametrize(
    ("went_well", "could_improve", "expected"),
    [
        (["one"], ["x"], "What went well needs at least 2 specific examples (1 given)"),
        (["a", "b", "c", "d"], ["x"], "What went well allows at most 3 examples (4 given)"),
        (["a", "  ", ""], ["x"], "What went well needs at least 2 specific examples (1 given)"),
        (["a", "b"], [], "What could improve needs at least 1 specific suggestion (0 given)"),
        (["a", "b"], [" \n "], "What could improve needs at least 1 specific suggestion (0 given)"),
        (["a", "b"], ["x", "y", "z"], "What could improve allows at most 2 suggestions (3 given)"),
    ],
)
def test_list_counts(
    checklist: Checklist, went_well: list[str], could_improve: list[str], expected: str
) -> None:
    draft = answers(checklist, went_well=went_well, could_improve=could_improve)
    assert submission_problems(draft, checklist) == [expected]


def test_unknown_criterion_is_reported(checklist: Checklist) -> None:
    draft = answers(checklist, marks={"speed": MET})
    assert submission_problems(draft, checklist) == ["Unknown criteria: speed"]


def test_answers_have_length_limits() -> None:
    ChecklistAnswers(notes={"tone": "x" * 2000}, went_well=["y" * 2000])
    with pytest.raises(ValidationError):
        ChecklistAnswers(notes={"tone": "x" * 2001})
    with pytest.raises(ValidationError):
        ChecklistAnswers(went_well=["y" * 2001])
    with pytest.raises(ValidationError):
        ChecklistAnswers(could_improve=["z"] * 11)
    with pytest.raises(ValidationError):
        ChecklistAnswers.model_validate({"marks": {}, "extra": 1})
    with pytest.raises(ValidationError):
        ChecklistAnswers.model_validate({"marks": {"tone": "great"}})
    draft = ChecklistAnswers()
    with pytest.raises(ValidationError):  # limits hold for edits too
        draft.went_well = ["y" * 2001]


def test_answers_parse_from_json_values() -> None:
    draft = ChecklistAnswers.model_validate(
        {"marks": {"tone": "not_met", "clarity": None}, "notes": {"tone": "curt"}}
    )
    assert draft.marks == {"tone": MISSED, "clarity": None}


# --- aggregation ------------------------------------------------------------------------------


def test_counts_disagreement_and_agenda(checklist: Checklist) -> None:
    submissions = [
        answers(
            checklist,
            marks={"tone": MISSED, "creativity": MISSED, "clarity": MISSED},
            went_well=["Calm voice", "Quick check"],
            could_improve=["Offer options"],
        ),
        answers(
            checklist,
            marks={"tone": MISSED, "creativity": MET, "efficiency": UNSEEN},
            went_well=["Good summary", " ", "Named the policy"],
            could_improve=["Slow down"],
        ),
        answers(
            checklist,
            marks={"tone": MISSED, "creativity": MISSED, "clarity": MET},
            went_well=["Clear", "Kind"],
            could_improve=["Escalate sooner", ""],
        ),
    ]
    result = aggregate(submissions, checklist)
    assert result.submissions == 3
    tone = result.tally("tone")
    assert tone is not None
    assert (tone.met, tone.not_met, tone.not_observed, tone.disagreement) == (0, 3, 0, False)
    creativity = result.tally("creativity")
    assert creativity is not None
    assert (creativity.met, creativity.not_met, creativity.disagreement) == (1, 2, True)
    clarity = result.tally("clarity")
    assert clarity is not None
    assert (clarity.met, clarity.not_met, clarity.disagreement) == (2, 1, True)
    efficiency = result.tally("efficiency")
    assert efficiency is not None
    assert (efficiency.met, efficiency.not_observed, efficiency.disagreement) == (2, 1, False)
    assert [t.key for t in result.agenda] == ["tone", "creativity", "clarity"]
    assert [t.key for t in result.criteria] == checklist.keys
    assert result.went_well == (
        "Calm voice",
        "Quick check",
        "Good summary",
        "Named the policy",
        "Clear",
        "Kind",
    )
    assert result.could_improve == ("Offer options", "Slow down", "Escalate sooner")


def test_agenda_ties_go_to_the_lower_met_ratio_then_checklist_order(checklist: Checklist) -> None:
    submissions = [
        answers(checklist, marks={"accuracy": MISSED, "efficiency": MISSED, "tone": MISSED}),
        answers(checklist, marks={"accuracy": MET, "efficiency": UNSEEN, "tone": MET}),
        answers(checklist, marks={"accuracy": MET, "efficiency": UNSEEN, "tone": UNSEEN}),
    ]
    agenda = aggregate(submissions, checklist).agenda
    # One "not met" each; efficiency 0/1 met, tone 1/2, accuracy 2/3.
    assert [t.key for t in agenda] == ["efficiency", "tone", "accuracy"]
    same = aggregate(submissions[:1], checklist).agenda
    assert [t.key for t in same] == ["accuracy", "tone", "efficiency"]


def test_aggregate_of_nothing(checklist: Checklist) -> None:
    result = aggregate([], checklist)
    assert result.submissions == 0
    assert result.agenda == ()
    assert all(t.met == t.not_met == t.not_observed == 0 for t in result.criteria)


def test_drafts_count_as_unmarked(checklist: Checklist) -> None:
    result = aggregate([ChecklistAnswers(marks={"tone": MISSED})], checklist)
    accuracy = result.tally("accuracy")
    assert accuracy is not None and accuracy.unmarked == 1
    assert [t.key for t in result.agenda] == ["tone"]


_marks = st.sampled_from([MET, MISSED, UNSEEN, None])


@given(
    st.lists(st.dictionaries(st.sampled_from(["accuracy", "tone", "clarity"]), _marks), max_size=12)
)
def test_aggregate_counts_every_submission_once(marks: list[dict[str, Mark | None]]) -> None:
    checklist = load_checklist()
    result = aggregate([ChecklistAnswers(marks=m) for m in marks], checklist)
    for tally in result.criteria:
        assert tally.met + tally.not_met + tally.not_observed + tally.unmarked == len(marks)
        assert tally.disagreement == (tally.met > 0 and tally.not_met > 0)
    not_met = [t.not_met for t in result.agenda]
    assert not_met == sorted(not_met, reverse=True)
    assert {t.key for t in result.agenda} == {t.key for t in result.criteria if t.not_met}


# --- a bad checklist file ---------------------------------------------------------------------


def test_bad_checklist_file_is_refused_with_field_and_line(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "resources" / "checklist.yaml").read_text("utf-8")
    path = tmp_path / "checklist.yaml"
    path.write_text(text.replace("key: tone", "key: accuracy"), encoding="utf-8")
    with pytest.raises(InvalidFile) as exc:
        load_checklist(path)
    [problem] = exc.value.problems
    assert problem.source == str(path)
    assert problem.where.endswith("field criteria")
    assert "accuracy repeated" in problem.message

    path.write_text(text.replace("  max_items: 2", "  max_items: 0"), encoding="utf-8")
    with pytest.raises(InvalidFile) as exc:
        load_checklist(path)
    [problem] = exc.value.problems
    assert problem.where.startswith("line ") and "could_improve.max_items" in problem.where
