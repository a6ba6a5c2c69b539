"""Verifiable certificates: issue one with each award (in the award's transaction), list them,
revoke one with a reason, export the signed revocation list, and verify a credential or a
record PDF against this store. The issuer key is a file in the data folder (keyfile.py), never
a row: with a shared PostgreSQL store each signing machine holds an imported copy of it."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotdash_roleplay.certification.views import PersonCertification
from hotdash_roleplay.credentials.badge import IssuerDetails, build_credential, new_salt
from hotdash_roleplay.credentials.files import read_credential
from hotdash_roleplay.credentials.issued import digest, qr_text, sign_credential
from hotdash_roleplay.credentials.keyfile import KeyStore
from hotdash_roleplay.credentials.proof import the_proof
from hotdash_roleplay.credentials.revocation import build_list, read_list
from hotdash_roleplay.credentials.verify import Revocation, Verdict, verify_credential
from hotdash_roleplay.credentials.views import IssuedCredential
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.exports.files import check_target, write_atomically
from hotdash_roleplay.names import clean_name
from hotdash_roleplay.services.people import find_person
from hotdash_roleplay.store.engine import Store
from hotdash_roleplay.store.models import IssuedCredentialRow, Person, RevocationRow

MAX_REASON = 2_000
MAX_EMAIL = 254


def check_email(email: str) -> str:
    email = email.strip()
    if email and ("@" not in email or len(email) > MAX_EMAIL or any(c.isspace() for c in email)):
        raise UserError(f"{email!r} is not an email address.")
    return email


class CredentialService:
    def __init__(self, store: Store, key_dir: Path, wall: Callable[[], float] = time.time) -> None:
        self._store = store
        self.keys = KeyStore(key_dir)
        self._wall = wall

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._wall(), UTC)

    # -- issuing (called by the award, inside its transaction) ------------------------------

    def issue_in(
        self,
        db: Session,
        person: Person,
        record: PersonCertification,
        awarded_on: date,
        issuer: IssuerDetails,
        email: str = "",
    ) -> IssuedCredentialRow:
        """Sign the award's credential and add it to `db` (the caller commits)."""
        email = check_email(email)
        key = self.keys.load_or_create()
        unsigned = build_credential(
            record,
            awarded_on,
            issuer,
            key.did,
            credential_id=f"urn:uuid:{uuid.uuid4()}",
            email=email,
            salt=new_salt() if email else "",
        )
        signed = sign_credential(unsigned, key, self._now())
        row = IssuedCredentialRow(
            person_id=person.id,
            credential_id=signed["id"],
            issuer_did=key.did,
            awarded_on=awarded_on,
            valid_until=datetime.fromisoformat(signed["validUntil"]).date(),
            document=json.dumps(signed, ensure_ascii=False, indent=2),
            digest=digest(signed),
            proof_value=signed["proof"][0]["proofValue"],
        )
        db.add(row)
        return row

    # -- reading ----------------------------------------------------------------------------

    def issuer_did(self) -> str | None:
        """This machine's issuer did, None before the first award."""
        key = self.keys.load()
        return key.did if key else None

    def issued(self, ref: str | None = None) -> list[IssuedCredential]:
        """Every credential issued (or one person's), oldest first."""
        with self._store.session() as db:
            query = select(IssuedCredentialRow).order_by(
                IssuedCredentialRow.issued_at, IssuedCredentialRow.id
            )
            if ref is not None:
                query = query.where(IssuedCredentialRow.person_id == find_person(db, ref).id)
            return [self._view(db, row) for row in db.scalars(query)]

    def latest(self, ref: str) -> IssuedCredential | None:
        """The person's newest credential, revoked or not."""
        found = self.issued(ref)
        return found[-1] if found else None

    def get(self, credential_id: str) -> IssuedCredential:
        with self._store.session() as db:
            return self._view(db, self._row(db, credential_id))

    # -- revoking ---------------------------------------------------------------------------

    def revoke(self, credential_id: str, reason: str, by: str) -> IssuedCredential:
        reason = reason.strip()
        if not reason:
            raise UserError("Revoking a certificate needs a reason.")
        if len(reason) > MAX_REASON:
            raise UserError(f"The reason can be at most {MAX_REASON} characters long.")
        try:
            by = clean_name(by)
        except UserError as exc:
            raise UserError(f"Who revokes it: {exc}") from None
        with self._store.session() as db:
            row = self._row(db, credential_id)
            if self._revocation(db, row) is not None:
                raise UserError(f"{credential_id} is already revoked.")
            db.add(
                RevocationRow(
                    credential_row_id=row.id, reason=reason, revoked_by=by, revoked_at=self._now()
                )
            )
            db.commit()
            return self._view(db, row)

    def revocations(self) -> dict[str, Revocation]:
        with self._store.session() as db:
            return {
                cid: Revocation(credential_id=cid, revoked_at=at, reason=reason)
                for cid, at, reason in db.execute(
                    select(
                        IssuedCredentialRow.credential_id,
                        RevocationRow.revoked_at,
                        RevocationRow.reason,
                    ).join(RevocationRow, RevocationRow.credential_row_id == IssuedCredentialRow.id)
                )
            }

    def export_revocations(self, path: Path | str) -> Path:
        """The signed revocation list of this machine's issuer key."""
        target = check_target(path, (".json",))
        key = self.keys.load()
        if key is None:
            raise UserError("There is no issuer key here: no certificate was awarded with it.")
        with self._store.session() as db:
            mine = {
                cid
                for (cid,) in db.execute(
                    select(IssuedCredentialRow.credential_id).where(
                        IssuedCredentialRow.issuer_did == key.did
                    )
                )
            }
        revoked = [r for cid, r in self.revocations().items() if cid in mine]
        text = json.dumps(build_list(key, revoked, self._now()), ensure_ascii=False, indent=2)
        return write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    # -- files ------------------------------------------------------------------------------

    def save_json(self, credential_id: str, path: Path | str) -> Path:
        """The credential as issued, as a JSON file."""
        target = check_target(path, (".json",))
        text = self.get(credential_id).document
        return write_atomically(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def export_key(self, path: Path | str) -> Path:
        return self.keys.export_to(check_target(path, (".json",)))

    def import_key(self, path: Path | str) -> str:
        """Take a key file as this machine's issuer key; its did."""
        return self.keys.import_from(Path(path).expanduser()).did

    # -- verifying --------------------------------------------------------------------------

    def verify(
        self,
        path: Path | str,
        *,
        revocation_list: Path | str | None = None,
        trust: Sequence[str] = (),
    ) -> Verdict:
        """Check a credential JSON or a record PDF against this store: its issued copy (to
        name altered fields), its revocations, the issuers it knows; plus an exported
        revocation list and issuers trusted by hand."""
        doc = read_credential(Path(path).expanduser())
        revoked = self.revocations()
        trusted = set(trust)
        if revocation_list is not None:
            source = Path(revocation_list).expanduser()
            try:
                text = source.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UserError(f"{source} cannot be read ({exc}).") from None
            list_issuer, entries = read_list(text, str(source))
            issuer = doc.get("issuer")
            doc_issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
            if list_issuer == doc_issuer:
                revoked.update(entries)
        with self._store.session() as db:
            trusted |= set(db.scalars(select(IssuedCredentialRow.issuer_did).distinct()))
            copy = self._issued_copy(db, doc)
        key = self.keys.load()
        if key is not None:
            trusted.add(key.did)
        return verify_credential(
            doc, self._now(), trusted_issuers=trusted, revocations=revoked, issued_copy=copy
        )

    # -- helpers ----------------------------------------------------------------------------

    def _issued_copy(self, db: Session, doc: dict[str, object]) -> dict[str, object] | None:
        """The stored copy of the presented credential: by its signature first (so an altered
        id still finds it), then by its id."""
        proof = the_proof(doc)
        value = proof.get("proofValue") if proof is not None else None
        row = None
        if isinstance(value, str):
            row = db.scalar(
                select(IssuedCredentialRow).where(IssuedCredentialRow.proof_value == value)
            )
        if row is None and isinstance(doc.get("id"), str):
            row = db.scalar(
                select(IssuedCredentialRow).where(IssuedCredentialRow.credential_id == doc["id"])
            )
        if row is None:
            return None
        copy: dict[str, object] = json.loads(row.document)
        return copy

    def _row(self, db: Session, credential_id: str) -> IssuedCredentialRow:
        row = db.scalar(
            select(IssuedCredentialRow).where(
                IssuedCredentialRow.credential_id == credential_id.strip()
            )
        )
        if row is None:
            raise UserError(f"No certificate {credential_id!r} was issued in this store.")
        return row

    def _revocation(self, db: Session, row: IssuedCredentialRow) -> RevocationRow | None:
        return db.scalar(select(RevocationRow).where(RevocationRow.credential_row_id == row.id))

    def _view(self, db: Session, row: IssuedCredentialRow) -> IssuedCredential:
        revocation = self._revocation(db, row)
        signed = json.loads(row.document)
        person = db.get(Person, row.person_id)
        return IssuedCredential(
            credential_id=row.credential_id,
            person=person.name if person else "",
            issuer_did=row.issuer_did,
            issuer_name=str(signed.get("issuer", {}).get("name", "")),
            awarded_on=row.awarded_on,
            valid_until=row.valid_until,
            digest=row.digest,
            qr_text=qr_text(signed),
            document=row.document,
            revoked_at=revocation.revoked_at if revocation else None,
            revoked_by=revocation.revoked_by if revocation else "",
            revocation_reason=revocation.reason if revocation else "",
        )
