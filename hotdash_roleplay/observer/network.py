"""Where observers can reach the app: candidate IPv4 addresses of this machine, a sensible
default, the join URL and its QR code. Stdlib only (plus segno for the QR)."""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
# Private targets for the UDP "connect" trick: connecting a UDP socket sends nothing, it only
# asks the routing table which local address would be used. No internet is needed.
_PROBES = ("10.255.255.255", "192.168.255.255", "172.31.255.255", "8.8.8.8")


@dataclass(frozen=True)
class Interface:
    address: str
    label: str  # "eth0 — 192.168.1.20", shown in the settings

    @property
    def is_loopback(self) -> bool:
        return ipaddress.IPv4Address(self.address).is_loopback


def routed_address() -> str | None:
    """The local address the default route (or any private route) would use; None if none."""
    for target in _PROBES:
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((target, 9))
            address = str(s.getsockname()[0])
            if address and not address.startswith(("0.", "127.")):
                return address
    return None


def _linux_interfaces() -> list[tuple[str, str]]:
    """(name, IPv4) of each up interface through SIOCGIFADDR; empty where unsupported."""
    if not sys.platform.startswith("linux"):
        return []
    try:
        import fcntl
    except ImportError:
        return []
    found: list[tuple[str, str]] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            with contextlib.suppress(OSError):
                request = struct.pack("256s", name.encode()[:15])
                reply = fcntl.ioctl(s.fileno(), 0x8915, request)  # SIOCGIFADDR
                found.append((name, socket.inet_ntoa(reply[20:24])))
    return found


def _hostname_addresses() -> list[str]:
    with contextlib.suppress(OSError, UnicodeError):
        return list(socket.gethostbyname_ex(socket.gethostname())[2])
    return []


def candidate_interfaces() -> list[Interface]:
    """Every usable IPv4 address, LAN ones first, loopback ("this computer only") last."""
    named = _linux_interfaces()
    names = {addr: name for name, addr in named}
    addresses: list[str] = []
    for addr in [routed_address() or "", *(a for _, a in named), *_hostname_addresses()]:
        if _usable(addr) and addr not in addresses:
            addresses.append(addr)
    result = [
        Interface(addr, f"{names[addr]} — {addr}" if addr in names else addr)
        for addr in addresses
        if not ipaddress.IPv4Address(addr).is_loopback
    ]
    result.append(Interface(LOOPBACK, f"This computer only — {LOOPBACK}"))
    return result


def default_interface(candidates: list[Interface] | None = None) -> Interface:
    """The routed LAN address if there is one, else a private address, else loopback."""
    candidates = candidates if candidates is not None else candidate_interfaces()
    routed = routed_address()
    for iface in candidates:
        if iface.address == routed:
            return iface
    lan = [i for i in candidates if not i.is_loopback]
    private = [i for i in lan if ipaddress.IPv4Address(i.address).is_private]
    return (private or lan or [Interface(LOOPBACK, f"This computer only — {LOOPBACK}")])[0]


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_unspecified or ip.is_multicast)


def join_url(host: str, port: int) -> str:
    return f"http://{host}:{port}/"


def qr_png(url: str, scale: int = 10) -> bytes:
    """The join URL as a QR code (PNG, black on white with the quiet zone phones need)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
