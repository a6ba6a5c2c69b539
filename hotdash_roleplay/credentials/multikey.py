"""Ed25519 keys as text: multibase base58btc ('z') over a multicodec prefix, and the issuer's
`did:key` (W3C did:key and Multikey, as the vc-di-eddsa specification uses them)."""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from hotdash_roleplay.errors import UserError

BASE58BTC = "z"  # the multibase prefix
ED25519_PUB = b"\xed\x01"  # multicodec 0xed, as an unsigned varint
ED25519_PRIV = b"\x80\x26"  # multicodec 0x1300, as an unsigned varint
KEY_BYTES = 32
DID_KEY = "did:key:"


def multibase(data: bytes) -> str:
    return BASE58BTC + base58.b58encode(data).decode("ascii")


def from_multibase(text: str, what: str) -> bytes:
    if not text.startswith(BASE58BTC):
        raise UserError(f"{what} is not base58btc multibase (it should start with 'z').")
    try:
        return base58.b58decode(text[1:])
    except ValueError:
        raise UserError(f"{what} is not valid base58.") from None


def public_multibase(key: Ed25519PublicKey) -> str:
    return multibase(ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def secret_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return multibase(ED25519_PRIV + raw)


def public_from_multibase(text: str) -> Ed25519PublicKey:
    data = from_multibase(text, "The public key")
    if not data.startswith(ED25519_PUB) or len(data) != len(ED25519_PUB) + KEY_BYTES:
        raise UserError("The public key is not an Ed25519 key (multicodec 0xed01).")
    return Ed25519PublicKey.from_public_bytes(data[len(ED25519_PUB) :])


def secret_from_multibase(text: str) -> Ed25519PrivateKey:
    data = from_multibase(text, "The secret key")
    if not data.startswith(ED25519_PRIV) or len(data) != len(ED25519_PRIV) + KEY_BYTES:
        raise UserError("The secret key is not an Ed25519 key (multicodec 0x1300).")
    return Ed25519PrivateKey.from_private_bytes(data[len(ED25519_PRIV) :])


def did_key(key: Ed25519PublicKey) -> str:
    return DID_KEY + public_multibase(key)


def verification_method(did: str) -> str:
    """did:key's one verification method: the did, '#', the key's multibase."""
    return f"{did}#{did.removeprefix(DID_KEY)}"


def public_from_did(did: str) -> Ed25519PublicKey:
    """The public key a did:key (or its verification method) names."""
    if not did.startswith(DID_KEY):
        raise UserError(f"{did!r} is not a did:key.")
    body = did.removeprefix(DID_KEY)
    base, _, fragment = body.partition("#")
    if fragment and fragment != base:
        raise UserError(f"{did!r}: the fragment does not name the did's own key.")
    return public_from_multibase(base)
