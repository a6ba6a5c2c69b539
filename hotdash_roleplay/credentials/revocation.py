"""The exported revocation list: a small JSON document signed with the issuer's key (the same
eddsa-jcs-2022 proof as the credentials), listing each revoked credential's id, when and why.
A verifier given the file trusts only the entries its issuer signed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from hotdash_roleplay.credentials.badge import now_stamp
from hotdash_roleplay.credentials.keyfile import IssuerKey
from hotdash_roleplay.credentials.multikey import public_from_did, verification_method
from hotdash_roleplay.credentials.proof import check, proof_options, sign
from hotdash_roleplay.credentials.verify import Revocation, parse_time
from hotdash_roleplay.errors import UserError

LIST_TYPE = "HotDashRevocationList"
MAX_LIST_BYTES = 20_000_000

Json = dict[str, Any]


def build_list(key: IssuerKey, revoked: Iterable[Revocation], now: datetime) -> Json:
    document: Json = {
        "type": LIST_TYPE,
        "issuer": key.did,
        "updated": now_stamp(now),
        "revoked": [
            {"id": r.credential_id, "revokedAt": now_stamp(r.revoked_at), "reason": r.reason}
            for r in sorted(revoked, key=lambda r: (r.revoked_at, r.credential_id))
        ],
    }
    return sign(document, key.secret, proof_options(key.verification_method, now_stamp(now)))


def read_list(text: str, source: str) -> tuple[str, dict[str, Revocation]]:
    """The list's issuer and its entries, after checking its signature."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise UserError(f"{source} is not a revocation list (not JSON).") from None
    if not isinstance(doc, dict) or doc.get("type") != LIST_TYPE:
        raise UserError(f"{source} is not a revocation list (type {LIST_TYPE}).")
    issuer = doc.get("issuer")
    proof = doc.get("proof")
    if not isinstance(issuer, str) or not isinstance(proof, dict):
        raise UserError(f"{source}: the revocation list names no issuer or has no proof.")
    try:
        key = public_from_did(issuer)
    except UserError as exc:
        raise UserError(f"{source}: {exc}") from None
    problem = (
        "the proof was not made with the issuer's key"
        if proof.get("verificationMethod") != verification_method(issuer)
        else check(doc, key)
    )
    if problem:
        raise UserError(f"{source}: the revocation list's signature is not valid: {problem}")
    entries: dict[str, Revocation] = {}
    for item in doc.get("revoked", []):
        when = parse_time(item.get("revokedAt")) if isinstance(item, dict) else None
        if when is None or not isinstance(item.get("id"), str):
            raise UserError(f"{source}: an entry of the revocation list is malformed.")
        entries[item["id"]] = Revocation(
            credential_id=item["id"], revoked_at=when, reason=str(item.get("reason", ""))
        )
    return issuer, entries
