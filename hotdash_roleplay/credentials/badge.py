"""The award as an Open Badges 3.0 `OpenBadgeCredential` (1EdTech OB 3.0 on the W3C VC Data
Model 2.0): the issuer's profile, the dates, the achievement with the program's criteria, the
recipient and the evidence. Signing is proof.py's; this module only says what is claimed."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hotdash_roleplay.certification.process import recertification_due
from hotdash_roleplay.certification.program import (
    CERTIFICATION_DESCRIPTION,
    CERTIFICATION_NAME,
    CRITERIA_NARRATIVE,
    MODULES,
    number,
)
from hotdash_roleplay.certification.views import PersonCertification
from hotdash_roleplay.dates import short_date
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.validation import first_problem

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = [VC_CONTEXT, OB_CONTEXT]
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
ACHIEVEMENT_TYPE = "Certification"  # OB 3.0's AchievementType vocabulary
MAX_ORG_NAME = 200
MAX_URL = 500

Json = dict[str, Any]


class IssuerDetails(BaseModel):
    """The organisation that awards, as the app's settings name it."""

    model_config = ConfigDict(frozen=True)
    name: str = Field(min_length=1, max_length=MAX_ORG_NAME)
    url: str = Field(default="", max_length=MAX_URL)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// or http://")
        return value


def issuer_details(name: str, url: str) -> IssuerDetails:
    """The organisation as typed in the settings, or UserError saying what is wrong."""
    try:
        return IssuerDetails(name=name, url=url)
    except ValidationError as exc:
        field = _FIELD.get(str(exc.errors()[0]["loc"][0]), "details")
        raise UserError(f"The organisation's {field}: {first_problem(exc)}") from None


_FIELD = {"name": "name", "url": "web address"}


def timestamp(day: date) -> str:
    """A date as the start of that day in UTC, the form VC dates take."""
    return datetime.combine(day, time(), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hashed_email(email: str, salt: str) -> str:
    """OB 3.0's IdentityHash: sha256 over the identifier followed by the salt."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def new_salt() -> str:
    return secrets.token_hex(16)


def achievement_id(issuer_did: str) -> str:
    """One achievement per issuer, the same in every credential it signs."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, issuer_did + '/expert-operator')}"


def _evidence(record: PersonCertification) -> list[Json]:
    items: list[Json] = []
    passed = [a for a in record.assessments if a.passed]
    if passed:
        a = passed[-1]
        items.append(
            {
                "type": ["Evidence"],
                "name": "Scenario assessment",
                "description": a.verdict,
                "narrative": (
                    f"{a.title}, held {short_date(a.held_on)}, assessed by {a.assessor}: "
                    f"{a.correct} of {max(len(a.rounds), 8)} decisions correct "
                    f"({number(a.percent)} %)."
                ),
            }
        )
    run = record.metrics.qualifying_run
    if run is not None:
        items.append(
            {
                "type": ["Evidence"],
                "name": "Expert-level metrics",
                "description": f"{run.weeks} consecutive weeks at expert level",
                "narrative": (
                    f"Weeks of {short_date(run.first_week)} to {short_date(run.last_week)}: "
                    "every week met the approval rate, review time, CSAT, first contact "
                    "resolution and decision accuracy thresholds."
                ),
            }
        )
    for m in record.mentorships:
        if m.graduated_on is not None:
            items.append(
                {
                    "type": ["Evidence"],
                    "name": "Mentoring",
                    "description": f"Mentored {m.mentee} to independent operation",
                    "narrative": (
                        f"Mentoring from {short_date(m.started_on)}; {m.mentee} graduated to "
                        f"independent operation on {short_date(m.graduated_on)}."
                    ),
                }
            )
    for c in record.contributions:
        items.append(
            {
                "type": ["Evidence"],
                "name": "Contribution to training materials",
                "description": f"{c.kind.label}: {c.title}",
                "narrative": f"{c.kind.label} “{c.title}”, {short_date(c.contributed_on)}.",
            }
        )
    modules = len([m for m in record.modules if m.module in MODULES])
    if modules:
        items.append(
            {
                "type": ["Evidence"],
                "name": "Advanced modules",
                "description": f"{modules} of {len(MODULES)} advanced modules completed",
            }
        )
    return items


def build_credential(
    record: PersonCertification,
    awarded_on: date,
    issuer: IssuerDetails,
    issuer_did: str,
    *,
    credential_id: str,
    email: str = "",
    salt: str = "",
) -> Json:
    """The unsigned credential for `record`'s award on `awarded_on`."""
    profile: Json = {"id": issuer_did, "type": ["Profile"], "name": issuer.name}
    if issuer.url:
        profile["url"] = issuer.url
    identifiers: list[Json] = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": record.name,
        }
    ]
    if email.strip():
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": hashed_email(email, salt),
                "salt": salt,
            }
        )
    return {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": CERTIFICATION_NAME,
        "issuer": profile,
        "validFrom": timestamp(awarded_on),
        "validUntil": timestamp(recertification_due(awarded_on)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": {
                "id": achievement_id(issuer_did),
                "type": ["Achievement"],
                "achievementType": ACHIEVEMENT_TYPE,
                "name": CERTIFICATION_NAME,
                "description": CERTIFICATION_DESCRIPTION,
                "criteria": {"narrative": CRITERIA_NARRATIVE},
            },
        },
        "evidence": _evidence(record),
    }


def recipient_name(credential: Json) -> str:
    """The name the credential gives its recipient, "" if none."""
    subject = credential.get("credentialSubject")
    for item in subject.get("identifier", []) if isinstance(subject, dict) else []:
        if isinstance(item, dict) and item.get("identityType") == "name":
            return str(item.get("identityHash", ""))
    return ""
