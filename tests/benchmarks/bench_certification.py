"""The certification team overview: 200 people with a year of weekly metrics each (bar:
<= 300 ms, docs/architecture.md "Quality bars").

The store is filled with bulk inserts: 200 people, 52 weeks of figures each (about one week in
eight below a threshold, the odd week missing), module completions, reports, mentorships,
contributions and process steps for some. Then the overview is read through the service, as the
team screen does."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from hotdash_roleplay.certification.program import MODULES, Step
from hotdash_roleplay.services import open_services
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import (
    CertificationStepRow,
    ContributionRow,
    MentorshipRow,
    ModuleCompletionRow,
    Person,
    WeeklyMetricRow,
)

PEOPLE = 200
WEEKS = 52
BAR_MS = 300
TODAY = date(2026, 11, 30)


def fill(store: Store, rng: random.Random) -> None:
    now = datetime.now(UTC)
    first = TODAY - timedelta(weeks=WEEKS)
    people, weeks, modules, mentors, contributions, steps = [], [], [], [], [], []
    for pid in range(1, PEOPLE + 1):
        people.append(
            {"id": pid, "name": f"Operator {pid}", "name_key": f"operator {pid}", "created_at": now}
        )
        for w in range(WEEKS):
            if rng.random() < 0.03:
                continue  # a week with no figures
            weeks.append(
                {
                    "person_id": pid,
                    "week_start": first + timedelta(weeks=w),
                    "approval_rate": rng.uniform(84, 92),
                    "avg_review_seconds": rng.uniform(60, 92),
                    "csat": rng.uniform(4.75, 5.0),
                    "first_contact_resolution": rng.uniform(89, 97),
                    "decision_accuracy": rng.uniform(98.8, 100),
                    "escalation_rate": rng.uniform(9, 16),
                    "source": "bench.csv",
                    "updated_at": now,
                }
            )
        done = rng.randint(0, 6)
        modules += [
            {"person_id": pid, "module": m, "completed_on": first, "confirmed_by": "Manager"}
            for m in list(MODULES)[:done]
        ]
        if rng.random() < 0.5:
            mentors.append(
                {
                    "person_id": pid,
                    "mentee": f"Mentee {pid}",
                    "mentee_key": f"mentee {pid}",
                    "started_on": first,
                    "graduated_on": first + timedelta(days=60) if rng.random() < 0.5 else None,
                }
            )
            contributions.append(
                {
                    "person_id": pid,
                    "kind": "faq_addition",
                    "title": "FAQ",
                    "contributed_on": first,
                    "text": "Q and A",
                    "file_name": "",
                }
            )
        if done == 6:
            steps.append(
                {
                    "person_id": pid,
                    "step": Step.SELF_ASSESSMENT.value,
                    "dated": first,
                    "by_name": f"Operator {pid}",
                    "note": "",
                    "recorded_at": now,
                }
            )
    with store.session() as db:
        for table, rows in (
            (Person, people),
            (WeeklyMetricRow, weeks),
            (ModuleCompletionRow, modules),
            (MentorshipRow, mentors),
            (ContributionRow, contributions),
            (CertificationStepRow, steps),
        ):
            if rows:
                db.execute(insert(table), rows)
        db.commit()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        services = open_services(data_dir=Path(tmp), today=lambda: TODAY)
        try:
            fill(services.store, random.Random(7))
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                overview = services.certification.overview()
                times.append(time.perf_counter() - t0)
            assert len(overview.rows) == PEOPLE
        finally:
            services.close()
    worst = max(times) * 1000
    median = statistics.median(times) * 1000
    verdict = "PASS" if worst <= BAR_MS else "FAIL"
    print(
        f"certification overview, {PEOPLE} people x {WEEKS} weeks: median {median:.0f} ms, "
        f"worst {worst:.0f} ms (bar {BAR_MS} ms) {verdict}"
    )


if __name__ == "__main__":
    main()
