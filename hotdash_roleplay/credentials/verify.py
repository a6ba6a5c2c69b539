"""Checking a credential offline: the eddsa-jcs-2022 signature with the key the issuer's
did:key names, the altered fields (named against the issued copy when this store has it), the
dates, revocation, and whether the issuer is one this store trusts."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.credentials.badge import recipient_name
from hotdash_roleplay.credentials.diff import changed_fields
from hotdash_roleplay.credentials.multikey import DID_KEY, public_from_did, verification_method
from hotdash_roleplay.credentials.proof import check, the_proof
from hotdash_roleplay.errors import UserError

Json = dict[str, Any]


class Check(StrEnum):
    """What a finding is about (the `check` of `verify --json`)."""

    FORMAT = "format"
    SIGNATURE = "signature"
    ALTERED = "altered"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    UNKNOWN_ISSUER = "unknown_issuer"


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)
    check: Check
    message: str
    fields: tuple[str, ...] = ()


class Revocation(BaseModel):
    model_config = ConfigDict(frozen=True)
    credential_id: str
    revoked_at: datetime
    reason: str


class Verdict(BaseModel):
    """The answer: valid only when nothing was found."""

    model_config = ConfigDict(frozen=True)
    credential_id: str
    issuer: str
    issuer_name: str
    recipient: str
    valid_from: str
    valid_until: str
    findings: tuple[Finding, ...]

    @property
    def valid(self) -> bool:
        return not self.findings

    def as_json(self) -> Json:
        return {
            "valid": self.valid,
            "credential_id": self.credential_id,
            "issuer": self.issuer,
            "issuer_name": self.issuer_name,
            "recipient": self.recipient,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
            "problems": [
                {"check": f.check.value, "message": f.message, "fields": list(f.fields)}
                for f in self.findings
            ],
        }

    def lines(self) -> list[str]:
        head = "valid" if self.valid else "invalid"
        out = [
            f"{head}: {self.credential_id or '(no id)'}",
            f"  recipient: {self.recipient or '(none)'}",
            f"  issuer: {self.issuer_name or '(no name)'} ({self.issuer or 'no id'})",
            f"  valid from {self.valid_from or '?'} until {self.valid_until or '?'}",
        ]
        out += [f"  {f.check.value}: {f.message}" for f in self.findings]
        return out


def parse_time(value: object) -> datetime | None:
    """An XML Schema dateTime with its time zone (as VCs write them), or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _issuer(doc: Json) -> tuple[str, str]:
    issuer = doc.get("issuer")
    if isinstance(issuer, str):
        return issuer, ""
    if isinstance(issuer, dict):
        return str(issuer.get("id", "")), str(issuer.get("name", ""))
    return "", ""


def _signature_problem(doc: Json, issuer_id: str) -> str | None:
    if not issuer_id.startswith(DID_KEY):
        return f"The issuer {issuer_id or '(none)'} is not a did:key: its key cannot be found."
    try:
        key = public_from_did(issuer_id)
    except UserError as exc:
        return f"The issuer's did:key is unusable: {exc}"
    proof = the_proof(doc)
    method = proof.get("verificationMethod") if proof is not None else None
    if proof is not None and method != verification_method(issuer_id):
        return f"The proof was made with a key that is not the issuer's ({method or 'none'})."
    return check(doc, key)


def _signature(doc: Json, issuer_id: str, issued_copy: Json | None) -> list[Finding]:
    problem = _signature_problem(doc, issuer_id)
    if problem is None:
        return []
    if issued_copy is None:
        note = " (This store has no issued copy to name the changed field.)"
        return [Finding(check=Check.SIGNATURE, message=problem + note)]
    found = [Finding(check=Check.SIGNATURE, message=problem)]
    fields = changed_fields(issued_copy, doc)
    if fields:
        found.append(
            Finding(
                check=Check.ALTERED,
                message=f"Changed since it was issued: {', '.join(fields)}.",
                fields=tuple(fields),
            )
        )
    return found


def _dates(doc: Json, now: datetime) -> list[Finding]:
    found: list[Finding] = []
    start = parse_time(doc.get("validFrom"))
    if start is None:
        found.append(Finding(check=Check.FORMAT, message="validFrom is missing or not a date."))
    elif now < start:
        found.append(
            Finding(check=Check.NOT_YET_VALID, message=f"Not valid before {doc['validFrom']}.")
        )
    if "validUntil" in doc:
        end = parse_time(doc.get("validUntil"))
        if end is None:
            found.append(Finding(check=Check.FORMAT, message="validUntil is not a date."))
        elif now > end:
            found.append(
                Finding(
                    check=Check.EXPIRED,
                    message=f"Expired on {doc['validUntil']} (the annual recertification date).",
                )
            )
    return found


def verify_credential(
    doc: object,
    now: datetime,
    *,
    trusted_issuers: Collection[str],
    revocations: Mapping[str, Revocation],
    issued_copy: Json | None = None,
) -> Verdict:
    """Every check, every finding: a credential is valid only with none."""
    if not isinstance(doc, dict):
        return Verdict(
            credential_id="",
            issuer="",
            issuer_name="",
            recipient="",
            valid_from="",
            valid_until="",
            findings=(Finding(check=Check.FORMAT, message="Not a credential (a JSON object)."),),
        )
    issuer_id, issuer_name = _issuer(doc)
    credential_id = str(doc.get("id", ""))
    findings: list[Finding] = []
    types = doc.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        findings.append(Finding(check=Check.FORMAT, message="Not a Verifiable Credential."))
    findings += _signature(doc, issuer_id, issued_copy)
    findings += _dates(doc, now.astimezone(UTC))
    revoked = revocations.get(credential_id)
    if revoked is not None:
        findings.append(
            Finding(
                check=Check.REVOKED,
                message=f"Revoked on {revoked.revoked_at.astimezone(UTC):%Y-%m-%d}: "
                f"{revoked.reason}",
            )
        )
    if issuer_id.startswith(DID_KEY) and issuer_id not in trusted_issuers:
        findings.append(
            Finding(
                check=Check.UNKNOWN_ISSUER,
                message=f"The issuer {issuer_id} is not one this store knows (it did not issue "
                "with this key; trust it with --issuer if you know it).",
            )
        )
    return Verdict(
        credential_id=credential_id,
        issuer=issuer_id,
        issuer_name=issuer_name,
        recipient=recipient_name(doc),
        valid_from=str(doc.get("validFrom", "")),
        valid_until=str(doc.get("validUntil", "")),
        findings=tuple(findings),
    )
