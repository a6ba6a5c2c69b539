"""HotDash Role-Play: the Qt-free core (domain, rules, storage, services, exports, CLI)."""

__version__ = "0.1.0"
