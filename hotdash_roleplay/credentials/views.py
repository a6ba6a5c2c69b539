"""What the credential service hands out: an issued certificate, plain frozen data."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


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
    def credential(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.document)
        return value
