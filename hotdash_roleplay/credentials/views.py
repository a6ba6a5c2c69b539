"""What the credential service hands out: an issued certificate, plain frozen data."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from hotdash_roleplay.dates import short_date_time


class IssuedCredential(BaseModel):
    model_config = ConfigDict(frozen=True)

    credential_id: str
    person: str
    issuer_did: str
    issuer_name: str
    awarded_on: date
    valid_until: date
    digest: str  # "sha256:<hex>" of the signed credential's canonical JSON
    qr_text: str  # what the record's QR code holds
    document: str  # the signed credential's JSON, as issued
    revoked_at: datetime | None
    revoked_by: str
    revocation_reason: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def revocation_line(self) -> str:
        """ "Revoked 28 Nov 2026, 14:03 by Rita Reviewer: <reason>" ("" while valid); the
        person's certification status says it in its own words (certification.views)."""
        if self.revoked_at is None:
            return ""
        when = short_date_time(self.revoked_at.astimezone())
        return f"Revoked {when} by {self.revoked_by}: {self.revocation_reason}"

    @property
    def credential(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.document)
        return value
