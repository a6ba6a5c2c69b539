"""`hotdash-roleplay verify` and the certificate commands as a user runs them: exit 0 only
when valid, the reasons printed, `--json` as documented, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from hotdash_roleplay.cli import main
from hotdash_roleplay.services import open_services
from tests.certification_data import qualify


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """Ann awarded five days ago (by the real calendar: the command reads the real clock)."""
    folder = tmp_path / "data"
    svc = open_services(data_dir=folder)
    try:
        qualify(svc, "Ann", today=date.today(), award=True, email="ann@example.com")
    finally:
        svc.close()
    return folder


def _credential(capsys: pytest.CaptureFixture[str], data_dir: Path, target: Path) -> Path:
    code, out, err = run(
        capsys, "export", "credential", "Ann", "-o", str(target), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    assert "Wrote certificate urn:uuid:" in out
    return target


def test_verify_a_valid_credential_text_and_json(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    cred = _credential(capsys, data_dir, tmp_path / "ann.json")
    code, out, _ = run(capsys, "verify", str(cred), "--data-dir", str(data_dir))
    assert code == 0
    assert out.startswith("valid: urn:uuid:") and "recipient: Ann" in out
    code, out, _ = run(capsys, "verify", str(cred), "--json", "--data-dir", str(data_dir))
    report = json.loads(out)
    assert code == 0 and report["valid"] is True and report["problems"] == []
    assert set(report) == {
        "valid", "credential_id", "issuer", "issuer_name", "recipient", "valid_from",
        "valid_until", "problems",
    }  # fmt: skip
    assert report["issuer"].startswith("did:key:z6Mk")


def test_verify_an_altered_credential_exits_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    cred = _credential(capsys, data_dir, tmp_path / "ann.json")
    doc = json.loads(cred.read_text())
    doc["validUntil"] = "2099-01-01T00:00:00Z"
    cred.write_text(json.dumps(doc))
    code, out, _ = run(capsys, "verify", str(cred), "--data-dir", str(data_dir))
    assert code == 1
    assert out.startswith("invalid: ")
    assert "altered: Changed since it was issued: validUntil." in out
    code, out, _ = run(capsys, "verify", str(cred), "--json", "--data-dir", str(data_dir))
    problems = json.loads(out)["problems"]
    assert {"check": "altered", "fields": ["validUntil"]}.items() <= problems[1].items()
    assert problems[0]["check"] == "signature"


def test_revoke_then_verify_here_and_elsewhere_with_the_list(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    cred = _credential(capsys, data_dir, tmp_path / "ann.json")
    cid = json.loads(cred.read_text())["id"]
    store = ("--data-dir", str(data_dir))
    code, out, err = run(capsys, "certification", "revoke", cid, "--reason", "Misreported", *store)
    assert code == 0 and f"Revoked {cid} (Ann): Misreported" in out, err
    code, out, _ = run(capsys, "verify", str(cred), *store)
    assert code == 1 and "revoked: Revoked on" in out and "Misreported" in out
    listing = tmp_path / "revoked.json"
    assert run(capsys, "export", "revocations", "-o", str(listing), *store)[0] == 0
    issuer = json.loads(cred.read_text())["issuer"]["id"]
    elsewhere = ("--data-dir", str(tmp_path / "elsewhere"))
    code, out, _ = run(capsys, "verify", str(cred), *elsewhere)
    assert code == 1 and "unknown_issuer" in out  # another store does not know the issuer
    code, out, _ = run(capsys, "verify", str(cred), "--issuer", issuer, *elsewhere)
    assert code == 0
    code, out, _ = run(
        capsys, "verify", str(cred), "--issuer", issuer, "--revocation-list", str(listing),
        *elsewhere,
    )  # fmt: skip
    assert code == 1 and "Misreported" in out


def test_verify_a_record_pdf_in_a_real_process(data_dir: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "record.pdf"
    cli = [sys.executable, "-m", "hotdash_roleplay.cli"]
    store = ["--data-dir", str(data_dir)]
    done = subprocess.run(
        [*cli, "export", "certification", "Ann", "-o", str(pdf), *store],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [*cli, "verify", str(pdf), *store], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("valid: urn:uuid:")
    missing = subprocess.run(
        [*cli, "verify", str(tmp_path / "nope.pdf"), *store],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 1 and "no such file" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_certificate_commands_refuse_plainly(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    store = ("--data-dir", str(data_dir))
    svc = open_services(data_dir=data_dir)
    try:
        svc.people.add_person("Ben")
    finally:
        svc.close()
    code, _, err = run(
        capsys, "export", "credential", "Ben", "-o", str(tmp_path / "b.json"), *store
    )
    assert code == 1 and "Ben has no certificate: it is issued with the award." in err
    code, _, err = run(capsys, "certification", "revoke", "urn:uuid:nope", "--reason", "x", *store)
    assert code == 1 and "No certificate 'urn:uuid:nope' was issued in this store." in err
    code, _, err = run(capsys, "export", "revocations", "-o", str(tmp_path / "r.txt"), *store)
    assert code == 1 and "should end in .json" in err
    assert "Traceback" not in err


def test_export_the_record_with_the_certificate_json_beside_it(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    store = ("--data-dir", str(data_dir))
    pdf = tmp_path / "ann.pdf"
    code, out, err = run(
        capsys, "export", "certification", "Ann", "-o", str(pdf), "--credential-json", *store
    )
    assert code == 0, err
    beside = tmp_path / "ann.json"
    assert f"Wrote its signed certificate to {beside}" in out
    assert run(capsys, "verify", str(beside), *store)[0] == 0
    assert run(capsys, "verify", str(pdf), *store)[0] == 0
    code, _, err = run(
        capsys, "export", "certification", "Ann", "-o", str(tmp_path / "a.json"),
        "--credential-json", *store,
    )  # fmt: skip
    assert code == 1 and "give it a .pdf name" in err
    svc = open_services(data_dir=data_dir)
    try:
        svc.people.add_person("Ben")
    finally:
        svc.close()
    ben = tmp_path / "ben.pdf"
    code, _, err = run(
        capsys, "export", "certification", "Ben", "-o", str(ben), "--credential-json", *store
    )
    assert code == 1 and "Ben has no certificate to save beside the record" in err
    assert not ben.exists()  # refused before anything was written
