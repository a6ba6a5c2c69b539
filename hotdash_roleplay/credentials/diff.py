"""Which fields of a JSON document differ from another: dotted paths, list items by index
("credentialSubject.identifier[0].identityHash"), so a verifier can name what was altered."""

from __future__ import annotations

from typing import Any


def changed_fields(original: Any, given: Any, path: str = "") -> list[str]:
    if isinstance(original, dict) and isinstance(given, dict):
        out: list[str] = []
        for key in sorted(set(original) | set(given), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in original or key not in given:
                out.append(where)
            else:
                out.extend(changed_fields(original[key], given[key], where))
        return out
    if isinstance(original, list) and isinstance(given, list):
        if len(original) != len(given):
            return [path]
        out = []
        for i, (a, b) in enumerate(zip(original, given, strict=True)):
            out.extend(changed_fields(a, b, f"{path}[{i}]"))
        return out
    # bool is an int in Python: True == 1 must still count as a change of type
    same = type(original) is type(given) and original == given
    return [] if same else [path]
