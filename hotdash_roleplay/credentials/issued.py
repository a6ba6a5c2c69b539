"""A signed credential and how a printed copy is matched to it: the SHA-256 digest of its
canonical JSON (JCS), which the record PDF prints with the id as a QR code."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from hotdash_roleplay.credentials.badge import now_stamp
from hotdash_roleplay.credentials.keyfile import IssuerKey
from hotdash_roleplay.credentials.proof import canonical, proof_options, sign

ATTACHMENT_NAME = "credential.json"
MEDIA_TYPE = "application/json"

Json = dict[str, Any]


def sign_credential(unsigned: Json, key: IssuerKey, now: datetime) -> Json:
    """Signed, with the proof as a set of one: the Open Badges 3.0 schema wants an array."""
    options = proof_options(key.verification_method, now_stamp(now), unsigned["@context"])
    signed = sign(unsigned, key.secret, options)
    return {**signed, "proof": [signed["proof"]]}


def digest(signed: Json) -> str:
    """ "sha256:<hex>" of the signed credential's canonical form."""
    return "sha256:" + hashlib.sha256(canonical(signed)).hexdigest()


def qr_text(signed: Json) -> str:
    """What the record's QR code holds: the credential's id and its digest."""
    return f"{signed['id']}\n{digest(signed)}"
