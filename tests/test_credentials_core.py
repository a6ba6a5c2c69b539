"""The eddsa-jcs-2022 cryptosuite against the W3C test vector, and an issued credential against
the published Open Badges 3.0 JSON Schema and the terms its two contexts define."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator

from hotdash_roleplay.credentials.badge import OB_CONTEXT, VC_CONTEXT, hashed_email
from hotdash_roleplay.credentials.multikey import (
    did_key,
    public_from_did,
    public_multibase,
    secret_from_multibase,
)
from hotdash_roleplay.credentials.proof import canonical, check, hash_data, sign

VECTORS = Path(__file__).parent / "vectors" / "eddsa-jcs-2022"
CREDENTIALS = Path(__file__).parents[1] / "resources" / "credentials"  # this checkout


def _text(name: str) -> str:
    return (VECTORS / name).read_text(encoding="utf-8").strip()


def _json(name: str) -> Any:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def test_the_w3c_eddsa_jcs_2022_vector_is_reproduced_exactly() -> None:
    pair = _json("keyPair.json")
    secret = secret_from_multibase(pair["privateKeyMultibase"])
    assert public_multibase(secret.public_key()) == pair["publicKeyMultibase"]
    unsigned = _json("unsigned.json")
    options = _json("proofConfigJCS.json")
    assert canonical(unsigned).decode() == _text("canonDocJCS.txt")
    assert canonical(options).decode() == _text("proofCanonJCS.txt")
    assert hashlib.sha256(canonical(unsigned)).hexdigest() == _text("docHashJCS.txt")
    assert hashlib.sha256(canonical(options)).hexdigest() == _text("proofHashJCS.txt")
    assert hash_data(unsigned, options).hex() == _text("combinedHashJCS.txt")
    signed = sign(unsigned, secret, options)
    assert signed["proof"]["proofValue"] == _text("sigBTC58JCS.txt")
    assert signed == _json("signedJCS.json")


def test_the_w3c_signed_credential_verifies_and_an_altered_one_does_not() -> None:
    signed = _json("signedJCS.json")
    key = public_from_did(signed["proof"]["verificationMethod"])
    assert did_key(key) == signed["proof"]["verificationMethod"].split("#")[0]
    assert check(signed, key) is None
    signed["credentialSubject"]["alumniOf"] = "Another School"
    assert "does not match" in str(check(signed, key))


def test_an_email_is_hashed_as_open_badges_says_sha256_of_address_and_salt() -> None:
    expected = hashlib.sha256(b"ann@example.com" + b"NaCl").hexdigest()
    assert hashed_email(" Ann@Example.com ", "NaCl") == f"sha256${expected}"


# -- the shipped Open Badges 3.0 files ------------------------------------------------------


def _schema_validator() -> Draft201909Validator:
    schema = json.loads((CREDENTIALS / "ob_v3p0_achievementcredential_schema.json").read_text())
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def test_an_issued_credential_validates_against_the_open_badges_schema(
    issued_credential: dict[str, Any],
) -> None:
    errors = [e.message for e in _schema_validator().iter_errors(issued_credential)]
    assert errors == []
    assert issued_credential["@context"] == [VC_CONTEXT, OB_CONTEXT]


def test_the_schema_check_does_refuse_a_credential_missing_what_it_requires(
    issued_credential: dict[str, Any],
) -> None:
    broken = {k: v for k, v in issued_credential.items() if k != "validFrom"}
    broken["credentialSubject"] = {"type": ["AchievementSubject"]}  # no achievement
    messages = " ".join(e.message for e in _schema_validator().iter_errors(broken))
    assert "'validFrom' is a required property" in messages
    assert "'achievement' is a required property" in messages


def _defined_terms(context: Any) -> Iterator[str]:
    """Every term a JSON-LD context defines, scoped contexts included."""
    if isinstance(context, dict):
        for term, definition in context.items():
            if not term.startswith("@"):
                yield term
            if isinstance(definition, dict) and "@context" in definition:
                yield from _defined_terms(definition["@context"])
        if "@context" in context:
            yield from _defined_terms(context["@context"])


def _used_terms(value: Any) -> Iterator[str]:
    """Every property name and every type a credential uses."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.startswith("@"):
                yield key
            if key == "type":
                yield from [item] if isinstance(item, str) else item
            else:
                yield from _used_terms(item)
    elif isinstance(value, list):
        for item in value:
            yield from _used_terms(item)


def _context_terms() -> set[str]:
    terms: set[str] = set()
    for name in ("credentials-v2-context.json", "ob-v3p0-context-3.0.3.json"):
        terms |= set(_defined_terms(json.loads((CREDENTIALS / name).read_text())))
    return terms


def test_an_issued_credential_uses_only_terms_its_contexts_define(
    issued_credential: dict[str, Any],
) -> None:
    defined = _context_terms()
    used = set(_used_terms(issued_credential))
    assert {"OpenBadgeCredential", "AchievementSubject", "IdentityObject", "salt"} <= used
    assert used - defined == set()
    # the check itself notices a term no context defines
    assert set(_used_terms({**issued_credential, "badgeColour": "red"})) - defined == {
        "badgeColour"
    }


def test_the_shipped_files_name_their_source_and_licence() -> None:
    sources = (CREDENTIALS / "SOURCES.md").read_text()
    for name in (
        "ob-v3p0-context-3.0.3.json",
        "ob_v3p0_achievementcredential_schema.json",
        "credentials-v2-context.json",
    ):
        assert name in sources and (CREDENTIALS / name).is_file()
    assert "Licence" in (VECTORS / "SOURCE.md").read_text()
