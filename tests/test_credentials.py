"""Verifiable certificates through the services, as the app and the command line use them:
issue on award, verify (valid, altered with the field named, expired, not yet valid, revoked,
wrong key, unknown issuer), the revocation list, the issuer key file, and the record PDF that
carries the credential."""

from __future__ import annotations

import copy
import json
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from pypdf import PdfReader

from hotdash_roleplay.credentials.issued import ATTACHMENT_NAME, digest, sign_credential
from hotdash_roleplay.credentials.keyfile import KEY_FILE_NAME, IssuerKey
from hotdash_roleplay.credentials.verify import Check, Verdict
from hotdash_roleplay.errors import UserError
from hotdash_roleplay.services import Services, open_services
from tests.certification_data import ISSUER, TODAY, qualify

NAME = "Zoë Ødegård"
# 2 days after the award (TODAY - 5 days), in UTC
WITHIN = datetime(2026, 11, 27, 12, tzinfo=UTC).timestamp()

# Every field of an issued credential (with an email): each altered alone must be named.
FIELDS = [
    "@context[0]", "@context[1]", "id", "type[0]", "type[1]", "name",
    "issuer.id", "issuer.type[0]", "issuer.name", "issuer.url", "validFrom", "validUntil",
    "credentialSubject.type[0]",
    "credentialSubject.identifier[0].type", "credentialSubject.identifier[0].identityType",
    "credentialSubject.identifier[0].hashed", "credentialSubject.identifier[0].identityHash",
    "credentialSubject.identifier[1].type", "credentialSubject.identifier[1].identityType",
    "credentialSubject.identifier[1].hashed", "credentialSubject.identifier[1].identityHash",
    "credentialSubject.identifier[1].salt",
    "credentialSubject.achievement.id", "credentialSubject.achievement.type[0]",
    "credentialSubject.achievement.achievementType", "credentialSubject.achievement.name",
    "credentialSubject.achievement.description",
    "credentialSubject.achievement.criteria.narrative",
    *(f"evidence[{i}].{f}" for i in range(4) for f in ("type[0]", "name", "description",
                                                        "narrative")),
    "evidence[4].type[0]", "evidence[4].name", "evidence[4].description",
    "proof[0].type", "proof[0].cryptosuite", "proof[0].created", "proof[0].verificationMethod",
    "proof[0].proofPurpose", "proof[0].@context[0]", "proof[0].@context[1]",
    "proof[0].proofValue",
]  # fmt: skip


@pytest.fixture
def svc(tmp_path: Path) -> Iterator[Services]:
    services = open_services(data_dir=tmp_path / "data", today=lambda: TODAY)
    services.wall = lambda: WITHIN
    yield services
    services.close()


@pytest.fixture
def awarded(svc: Services, tmp_path: Path) -> Path:
    """The candidate awarded; their credential saved as JSON, as the app saves it."""
    qualify(svc, NAME, award=True, email="zoe@example.com")
    issued = svc.credentials.latest(NAME)
    assert issued is not None
    return svc.credentials.save_json(issued.credential_id, tmp_path / "zoe.json")


def _leaves(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}[{i}]")
    else:
        yield path


def _set(doc: dict[str, Any], path: str, alter: Any) -> None:
    """Replace the value at a dotted/indexed path with alter(old)."""
    parts = path.replace("]", "").replace("[", ".").split(".")
    *parents, last = parts
    node: Any = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    key: Any = int(last) if isinstance(node, list) else last
    node[key] = alter(node[key])


def _altered(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, str) and value[:4].isdigit() and "T" in value:
        return value.replace(value[:4], str(int(value[:4]) + 1), 1)  # a year later
    return f"{value}X"


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _checks(verdict: Verdict) -> set[Check]:
    return {f.check for f in verdict.findings}


def test_an_award_issues_a_credential_that_verifies(svc: Services, awarded: Path) -> None:
    verdict = svc.credentials.verify(awarded)
    assert verdict.valid, verdict.lines()
    assert verdict.recipient == NAME and verdict.issuer_name == ISSUER.name
    assert verdict.valid_from == "2026-11-25T00:00:00Z"
    assert verdict.valid_until == "2027-11-25T00:00:00Z"  # the annual recertification date
    assert verdict.issuer == svc.credentials.issuer_did()
    doc = json.loads(awarded.read_text())
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["proof"][0]["cryptosuite"] == "eddsa-jcs-2022"
    assert "zoe@example.com" not in awarded.read_text()  # hashed, with a salt


def test_every_field_of_an_issued_credential_is_in_the_alteration_list(awarded: Path) -> None:
    assert list(_leaves(json.loads(awarded.read_text()))) == FIELDS


@pytest.mark.parametrize("field", FIELDS)
def test_altering_any_one_field_is_invalid_and_names_that_field(
    svc: Services, awarded: Path, tmp_path: Path, field: str
) -> None:
    doc = json.loads(awarded.read_text())
    _set(doc, field, _altered)
    verdict = svc.credentials.verify(_write(tmp_path / "altered.json", doc))
    assert not verdict.valid
    assert Check.SIGNATURE in _checks(verdict)
    altered = next(f for f in verdict.findings if f.check is Check.ALTERED)
    assert altered.fields == (field,)
    assert field in altered.message


def test_an_altered_credential_another_store_never_issued_still_fails_on_its_signature(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    doc = json.loads(awarded.read_text())
    doc["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    other = open_services(data_dir=tmp_path / "other", today=lambda: TODAY)
    try:
        verdict = other.credentials.verify(_write(tmp_path / "m.json", doc))
    finally:
        other.close()
    assert _checks(verdict) == {Check.SIGNATURE, Check.UNKNOWN_ISSUER}
    assert "no issued copy" in verdict.findings[0].message


def test_a_credential_is_expired_after_the_recertification_date(
    svc: Services, awarded: Path
) -> None:
    svc.wall = lambda: datetime(2027, 11, 25, 0, 0, 1, tzinfo=UTC).timestamp()
    verdict = svc.credentials.verify(awarded)
    assert _checks(verdict) == {Check.EXPIRED}
    assert "2027-11-25T00:00:00Z" in verdict.findings[0].message


def test_a_credential_is_not_yet_valid_before_the_award_day(svc: Services, awarded: Path) -> None:
    svc.wall = lambda: datetime(2026, 11, 24, 23, 59, tzinfo=UTC).timestamp()
    assert _checks(svc.credentials.verify(awarded)) == {Check.NOT_YET_VALID}


def test_a_revoked_credential_is_invalid_with_the_reason(svc: Services, awarded: Path) -> None:
    cid = json.loads(awarded.read_text())["id"]
    with pytest.raises(UserError, match="needs a reason"):
        svc.credentials.revoke(cid, "  ", "Rita Reviewer")
    assert svc.credentials.verify(awarded).valid  # nothing half-saved
    issued = svc.credentials.revoke(cid, "Metrics were misreported", "Rita Reviewer")
    assert issued.revoked and issued.revocation_reason == "Metrics were misreported"
    with pytest.raises(UserError, match="already revoked"):
        svc.credentials.revoke(cid, "again", "Rita Reviewer")
    verdict = svc.credentials.verify(awarded)
    assert _checks(verdict) == {Check.REVOKED}
    assert "Metrics were misreported" in verdict.findings[0].message


def test_the_exported_revocation_list_tells_another_store_and_is_signed(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    cid = json.loads(awarded.read_text())["id"]
    svc.credentials.revoke(cid, "Awarded by mistake", "Rita Reviewer")
    listing = svc.credentials.export_revocations(tmp_path / "revoked.json")
    content = json.loads(listing.read_text())
    assert content["issuer"] == svc.credentials.issuer_did()
    assert [e["id"] for e in content["revoked"]] == [cid]
    assert content["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    other = open_services(data_dir=tmp_path / "other", today=lambda: TODAY)
    other.wall = lambda: WITHIN
    try:
        trust = [content["issuer"]]
        assert other.credentials.verify(awarded, trust=trust).valid  # without the list
        verdict = other.credentials.verify(awarded, revocation_list=listing, trust=trust)
        assert _checks(verdict) == {Check.REVOKED}
        content["revoked"] = []  # a tampered list is refused, not believed
        with pytest.raises(UserError, match="signature is not valid"):
            other.credentials.verify(
                awarded, revocation_list=_write(tmp_path / "t.json", content), trust=trust
            )
    finally:
        other.close()


def test_a_credential_signed_with_another_key_fails_and_a_foreign_issuer_is_unknown(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    doc = json.loads(awarded.read_text())
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    stranger = IssuerKey(Ed25519PrivateKey.generate())
    now = datetime.fromtimestamp(WITHIN, UTC)
    # the same issuer named, another key's signature
    forged = sign_credential(unsigned, stranger, now)
    forged["proof"][0]["verificationMethod"] = doc["proof"][0]["verificationMethod"]
    verdict = svc.credentials.verify(_write(tmp_path / "forged.json", forged))
    assert Check.SIGNATURE in _checks(verdict) and not verdict.valid
    # a self-consistent credential from an issuer this store does not know
    foreign = copy.deepcopy(unsigned)
    foreign["issuer"]["id"] = stranger.did
    foreign["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    signed = sign_credential(foreign, stranger, now)
    verdict = svc.credentials.verify(_write(tmp_path / "foreign.json", signed))
    assert _checks(verdict) == {Check.UNKNOWN_ISSUER}
    assert svc.credentials.verify(tmp_path / "foreign.json", trust=[stranger.did]).valid


def test_the_issuer_key_is_a_private_file_in_the_data_folder_never_in_the_store(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    key_file = tmp_path / "data" / KEY_FILE_NAME
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = json.loads(key_file.read_text())["secretKeyMultibase"]
    store_bytes = b"".join(p.read_bytes() for p in (tmp_path / "data").glob("*.sqlite3*"))
    assert secret.encode() not in store_bytes
    assert json.loads(key_file.read_text())["controller"] == svc.credentials.issuer_did()


def test_the_key_exports_and_imports_and_an_import_never_replaces_another_key(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    backup = svc.credentials.export_key(tmp_path / "backup-key.json")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    second = open_services(data_dir=tmp_path / "second", today=lambda: TODAY)
    try:
        assert second.credentials.issuer_did() is None
        assert second.credentials.import_key(backup) == svc.credentials.issuer_did()
        qualify(second, "Ann", award=True)  # the second machine signs as the same issuer
        issued = second.credentials.latest("Ann")
        assert issued is not None and issued.issuer_did == svc.credentials.issuer_did()
    finally:
        second.close()
    third = open_services(data_dir=tmp_path / "third", today=lambda: TODAY)
    try:
        qualify(third, "Ben", award=True)  # a key of its own
        with pytest.raises(UserError, match="already has an issuer key"):
            third.credentials.import_key(backup)
    finally:
        third.close()
    (tmp_path / "bad.json").write_text('{"secretKeyMultibase": "zzz"}')
    with pytest.raises(UserError, match="not an Ed25519 key"):
        svc.credentials.import_key(tmp_path / "bad.json")


def test_the_record_pdf_carries_the_credential_and_verifies(
    svc: Services, awarded: Path, tmp_path: Path
) -> None:
    pdf = svc.certification.export_record(NAME, tmp_path / "record.pdf")
    reader = PdfReader(pdf)
    attached = reader.attachments[ATTACHMENT_NAME][0]
    assert json.loads(attached) == json.loads(awarded.read_text())
    text = " ".join(page.extract_text() for page in reader.pages)
    doc = json.loads(awarded.read_text())
    assert doc["id"] in text and doc["issuer"]["id"] in text
    assert digest(doc) in text and "25 Nov 2027" in text
    assert svc.credentials.verify(pdf).valid
    # the QR code on the page holds the id and the digest (rendered as segno renders them)
    holds = segno.make(f"{doc['id']}\n{digest(doc)}", error="m", micro=False)
    expected = BytesIO()
    holds.save(expected, kind="png", scale=6, border=4)
    (image,) = reader.pages[0].images
    on_page = image.image.convert("1")
    assert on_page.tobytes() == Image.open(expected).convert("1").tobytes()
    svc.credentials.revoke(doc["id"], "Recertification failed", "Rita Reviewer")
    revoked_pdf = svc.certification.export_record(NAME, tmp_path / "revoked.pdf")
    page_text = " ".join(p.extract_text() for p in PdfReader(revoked_pdf).pages)
    assert "Revoked" in page_text and "Recertification failed" in page_text
    assert _checks(svc.credentials.verify(revoked_pdf)) == {Check.REVOKED}


def test_a_revoked_certificate_ends_the_certification_everywhere_it_is_stated(
    svc: Services, awarded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hotdash_roleplay.certification.program import CertificationState
    from hotdash_roleplay.cli import main

    doc = json.loads(awarded.read_text())
    svc.credentials.revoke(doc["id"], "Metrics were misreported", "Rita Reviewer")
    record = svc.certification.person(NAME)
    assert record.state is CertificationState.REVOKED and not record.certified
    assert record.verdict == "Certification revoked on 27 Nov 2026: Metrics were misreported"
    assert record.awarded_on is not None  # the steps stay as recorded
    assert all(s.done for s in record.steps)
    assert record.recertification_due_on is None and record.recertification_note == ""
    status = record.status_json()
    assert status["status"] == "revoked"
    assert status["revoked"]["reason"] == "Metrics were misreported"
    assert status["revoked"]["by"] == "Rita Reviewer"
    row = next(r for r in svc.certification.overview().rows if r.name == NAME)
    assert row.state is CertificationState.REVOKED and not row.certified
    assert row.status_text == "Revoked 27 Nov 2026"
    assert row.as_json()["status"] == "revoked" and row.recertification_due_on is None
    # The record PDF's headline says it too, not only its certificate block.
    pdf = svc.certification.export_record(NAME, tmp_path / "revoked.pdf")
    first = PdfReader(pdf).pages[0].extract_text()
    assert "Revoked" in first.split("Verdict")[0]  # the Status line
    assert "Certification revoked on 27 Nov 2026: Metrics were misreported" in first
    assert "Certified on" not in first and "Annual recertification" not in first
    assert text_colours(PdfReader(pdf).pages[0])["Revoked"] == BAD_RGB  # in red, as a warning
    # The command line's status and list.
    data = str(svc.data_dir)
    assert main(["--data-dir", data, "certification", "status", NAME]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{NAME}: Revoked")
    assert "\nCertification revoked on 27 Nov 2026: Metrics were misreported\n" in out
    assert main(["--data-dir", data, "certification", "list"]) == 0
    assert "Revoked 27 Nov 2026" in capsys.readouterr().out


BAD_RGB = (0.639, 0.149, 0.106)  # pdf_layout.BAD, #a3261b


def text_colours(page: Any) -> dict[str, tuple[float, ...] | None]:
    """Each piece of text on the page with the fill colour it was drawn in (its first time)."""
    colour: list[tuple[float, ...] | None] = [None]
    found: dict[str, tuple[float, ...] | None] = {}

    def operand(op: bytes, args: list[Any], *_: Any) -> None:
        if op == b"rg":
            colour[0] = tuple(round(float(a), 3) for a in args)

    def text(t: str, *_: Any) -> None:
        if t.strip():
            found.setdefault(t.strip(), colour[0])

    page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return found


def test_a_pdf_without_a_credential_or_a_stray_file_is_refused_plainly(
    svc: Services, tmp_path: Path
) -> None:
    qualify(svc, "Ann")  # not awarded: the record has no credential
    pdf = svc.certification.export_record("Ann", tmp_path / "ann.pdf")
    with pytest.raises(UserError, match="carries no credential"):
        svc.credentials.verify(pdf)
    (tmp_path / "cut.pdf").write_bytes(pdf.read_bytes()[:20_000])
    with pytest.raises(UserError, match="the PDF cannot be read"):
        svc.credentials.verify(tmp_path / "cut.pdf")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(UserError, match="nested too deeply"):
        svc.credentials.verify(tmp_path / "deep.json")
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(UserError, match="neither a credential"):
        svc.credentials.verify(tmp_path / "x.txt")
    with pytest.raises(UserError, match="no such file"):
        svc.credentials.verify(tmp_path / "missing.json")
    assert not os.path.exists(tmp_path / "data" / KEY_FILE_NAME)  # no award, no key


def test_a_digest_of_the_widest_hex_digits_fits_on_one_line_of_the_record() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from hotdash_roleplay.exports import fonts
    from hotdash_roleplay.exports.credential_block import LABEL_WIDTH
    from hotdash_roleplay.exports.pdf_layout import _CELL_FONT_SIZE, CONTENT_W, styles

    styles()  # registers the fonts
    room = CONTENT_W * (1 - LABEL_WIDTH) - 6  # the cell's right padding
    widest = max(
        stringWidth("sha256:" + c * 64, fonts.BODY, _CELL_FONT_SIZE) for c in "0123456789abcdef"
    )
    assert widest <= room
