"""The use cases: the only door from the UI and the command line to storage.

`Services` and `open_services` (registry.py) load on first use, so that a light part such as
the first glance at the store (glance.py) can be imported without SQLAlchemy and the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hotdash_roleplay.services.registry import Services, open_services

__all__ = ["Services", "open_services"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from hotdash_roleplay.services import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
