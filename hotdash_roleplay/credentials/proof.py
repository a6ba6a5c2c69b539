"""The eddsa-jcs-2022 cryptosuite (W3C vc-di-eddsa, section 3.3): a DataIntegrityProof whose
signature covers SHA-256(JCS(proof options)) followed by SHA-256(JCS(document)), Ed25519,
the signature in base58btc multibase. JCS is RFC 8785 (the `rfc8785` package)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hotdash_roleplay.credentials.multikey import from_multibase, multibase
from hotdash_roleplay.errors import UserError

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-jcs-2022"
PURPOSE = "assertionMethod"
SIGNATURE_BYTES = 64

Json = dict[str, Any]


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON."""
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError as exc:
        raise UserError(f"The document cannot be canonicalised: {exc}.") from None


def hash_data(document: Mapping[str, Any], options: Mapping[str, Any]) -> bytes:
    """The bytes signed: hash of the canonical proof options, then of the document."""
    return (
        hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(document)).digest()
    )


def proof_options(verification_method: str, created: str, context: object = None) -> Json:
    options: Json = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": PURPOSE,
    }
    if context is not None:
        options["@context"] = context  # the spec copies the document's context into the proof
    return options


def sign(document: Mapping[str, Any], key: Ed25519PrivateKey, options: Mapping[str, Any]) -> Json:
    """The document with its proof added (the unsecured document stays as it was)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    signature = key.sign(hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": multibase(signature)}}


def the_proof(secured: Mapping[str, Any]) -> dict[str, Any] | None:
    """The document's one proof: an object, or a set of one (Open Badges 3.0 writes a set)."""
    proof = secured.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    return proof if isinstance(proof, dict) else None


def check(secured: Mapping[str, Any], key: Ed25519PublicKey) -> str | None:
    """None when the proof verifies with `key`; otherwise why not, in one sentence."""
    proof = the_proof(secured)
    if proof is None:
        return "The credential has no proof, or more than one."
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return f"The proof is not a {PROOF_TYPE} with the {CRYPTOSUITE} cryptosuite."
    if proof.get("proofPurpose") != PURPOSE:
        return f"The proof's purpose is not {PURPOSE}."
    value = proof.get("proofValue")
    if not isinstance(value, str):
        return "The proof has no proofValue."
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    unsecured = {k: v for k, v in secured.items() if k != "proof"}
    if "@context" in options:
        context = options["@context"]
        given = unsecured.get("@context")
        if not (
            isinstance(context, list)
            and isinstance(given, list)
            and given[: len(context)] == context
        ):
            return "The proof's @context is not the start of the credential's @context."
        unsecured["@context"] = context
    try:
        signature = from_multibase(value, "The proofValue")
    except UserError as exc:
        return str(exc)
    if len(signature) != SIGNATURE_BYTES:
        return "The proofValue is not an Ed25519 signature (64 bytes)."
    try:
        key.verify(signature, hash_data(unsecured, options))
    except (InvalidSignature, UserError):
        return (
            "The signature does not match the credential: it was altered or signed by another key."
        )
    return None
