"""The store's issuer key: one Ed25519 key pair in the data folder (never in the database),
made on the first award, readable by the owner only (0600). Export and import copy the same
file for a backup or for a second signing machine."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hotdash_roleplay.credentials.multikey import (
    did_key,
    public_multibase,
    secret_from_multibase,
    secret_multibase,
    verification_method,
)
from hotdash_roleplay.errors import UserError

KEY_FILE_NAME = "issuer-key.json"
OWNER_ONLY = 0o600
MAX_KEY_FILE = 10_000
EXPORT_WARNING = (
    "Anyone who has this file can sign certificates in your organisation's name. Keep it "
    "where only you can read it (an encrypted drive or a password manager), never mail it."
)


@dataclass(frozen=True)
class IssuerKey:
    secret: Ed25519PrivateKey

    @property
    def did(self) -> str:
        return did_key(self.secret.public_key())

    @property
    def verification_method(self) -> str:
        return verification_method(self.did)

    def to_json(self) -> str:
        """The key file: a Multikey with its secret (the vc-di-eddsa test vectors' form)."""
        return json.dumps(
            {
                "type": "Multikey",
                "controller": self.did,
                "publicKeyMultibase": public_multibase(self.secret.public_key()),
                "secretKeyMultibase": secret_multibase(self.secret),
            },
            indent=2,
        )


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE_NAME


def parse_key(text: str, source: str) -> IssuerKey:
    """A key file's content, checked: the secret key and the public key it names must agree."""
    try:
        data = json.loads(text)
    except ValueError:
        raise UserError(f"{source} is not a key file (not JSON).") from None
    if not isinstance(data, dict) or not isinstance(data.get("secretKeyMultibase"), str):
        raise UserError(f"{source} is not an issuer key file (no secretKeyMultibase).")
    try:
        key = IssuerKey(secret_from_multibase(data["secretKeyMultibase"]))
    except UserError as exc:
        raise UserError(f"{source}: {exc}") from None
    public = data.get("publicKeyMultibase")
    if public is not None and public != public_multibase(key.secret.public_key()):
        raise UserError(f"{source}: the public key does not belong to the secret key.")
    return key


def read_key_file(path: Path) -> IssuerKey:
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise UserError(f"{path} is too large to be a key file.")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            f"{path} cannot be read ({getattr(exc, 'strerror', None) or exc})."
        ) from None
    return parse_key(text, str(path))


def write_private(path: Path, text: str) -> None:
    """Write `text` readable by the owner only, atomically: never a half-written key."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp made it 0600 already
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, OWNER_ONLY)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)


class KeyStore:
    """The issuer key of one data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = key_path(data_dir)

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> IssuerKey | None:
        return read_key_file(self.path) if self.path.exists() else None

    def load_or_create(self) -> IssuerKey:
        """The key, made on first use."""
        key = self.load()
        if key is None:
            key = IssuerKey(Ed25519PrivateKey.generate())
            write_private(self.path, key.to_json())
        return key

    def export_to(self, target: Path) -> Path:
        key = self.load()
        if key is None:
            raise UserError(
                "There is no issuer key yet: it is made with the first certificate awarded."
            )
        if target.resolve() == self.path.resolve():
            raise UserError("Choose another file: that is the key itself.")
        write_private(target, key.to_json())
        return target

    def import_from(self, source: Path) -> IssuerKey:
        """Take a key file as this folder's key; a different key already here is never
        overwritten (certificates signed with it would lose their signer)."""
        key = read_key_file(source)
        current = self.load()
        if current is not None and current.did != key.did:
            raise UserError(
                f"This data folder already has an issuer key ({current.did}). Importing "
                f"would replace it; move {self.path} away first if that is what you want."
            )
        write_private(self.path, key.to_json())
        return key
