"""Every setting the app keeps, read and written here with its type.

One store: an INI file in the user's settings folder (explicit IniFormat, so tests redirect it
with QSettings.setPath). QSettings gives an untyped value back as a string, and "false" is truthy:
each getter names its type. The last session was kept in the platform's native store (the
registry on Windows) before; it is still read from there until it is next written."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ui.theme import APPLICATION, ORGANIZATION

DARK = "appearance/dark"
EXPORT_FOLDER = "exports/last_dir"
CERTIFICATION_NAME = "certification/last_name"
OBSERVER_INTERFACE = "observer/interface"
ISSUER_NAME = "certificates/organisation_name"
ISSUER_URL = "certificates/organisation_url"
LAST_SESSION = "lastSession/"  # + a digest of the store's address


def _store() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _native() -> QSettings:
    """Where earlier versions kept the last session."""
    return QSettings(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def _text(key: str) -> str:
    return str(_store().value(key, "", type=str))


def _write(key: str, value: str | int | bool) -> None:
    store = _store()
    store.setValue(key, value)
    store.sync()  # a crash right after must not lose it


def dark() -> bool:
    return bool(_store().value(DARK, False, type=bool))


def set_dark(value: bool) -> None:
    _write(DARK, value)


def export_folder() -> str:
    """The folder of the last export or import, "" before the first."""
    return _text(EXPORT_FOLDER)


def set_export_folder(folder: str) -> None:
    _write(EXPORT_FOLDER, folder)


def certification_name() -> str:
    """Who typed the last certification record here."""
    return _text(CERTIFICATION_NAME)


def set_certification_name(name: str) -> None:
    _write(CERTIFICATION_NAME, name)


def issuer_name() -> str:
    """The organisation that awards certificates, "" until it is set."""
    return _text(ISSUER_NAME)


def issuer_url() -> str:
    return _text(ISSUER_URL)


def set_issuer(name: str, url: str) -> None:
    _write(ISSUER_NAME, name)
    _write(ISSUER_URL, url)


def observer_interface() -> str:
    """The network address the trainer last chose for the observer page, "" if none."""
    return _text(OBSERVER_INTERFACE)


def set_observer_interface(address: str) -> None:
    _write(OBSERVER_INTERFACE, address)


def _session_key(store_url: str) -> str:
    # Per store: a session number means nothing in another store.
    import hashlib  # here: it loads OpenSSL, which start-up need not wait for

    return LAST_SESSION + hashlib.sha1(store_url.encode()).hexdigest()[:16]


def last_session(store_url: str) -> int | None:
    """The session the console last showed for this store, if it was not left."""
    key = _session_key(store_url)
    for store in (_store(), _native()):
        if store.contains(key):
            value = store.value(key, 0, type=int)
            return value if isinstance(value, int) and value > 0 else None
    return None


def set_last_session(store_url: str, session_id: int) -> None:
    _write(_session_key(store_url), session_id)
    _native().remove(_session_key(store_url))


def forget_last_session(store_url: str) -> None:
    key = _session_key(store_url)
    for store in (_store(), _native()):
        store.remove(key)
        store.sync()
