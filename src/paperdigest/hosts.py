"""Which Host headers the preview answers: its own names, never a stranger's domain.

A page on any site can point a domain name of its own at 127.0.0.1 (DNS rebinding) and
then read the preview as if it were that site; its requests carry its domain in Host.
"""

from __future__ import annotations

import ipaddress
import re

ANY_ADDRESS = ("0.0.0.0", "::")
"""Bound to these, the server is reachable at every address of the machine."""
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[^\[\]:@/\s]+)(?::[0-9]{1,5})?")
"""A Host header: a name or IP address (IPv6 in brackets), then maybe a port."""


def allowed_hosts(host: str, bound: str) -> frozenset[str]:
    """The names a browser may reach the preview by: `--host`, the bound address, localhost."""
    names = {"localhost", host_for_url(host.lower()), host_for_url(bound.lower())}
    if _is_ip(bound) and ipaddress.ip_address(bound).is_loopback:
        names |= {"127.0.0.1", "[::1]"}
    return frozenset(names)


def host_is_allowed(header: str, allowed: frozenset[str], any_address: bool) -> bool:
    """Whether a Host header names the preview, with or without a port."""
    match = _HOST.fullmatch(header.strip().lower())
    if match is None:
        return False
    name = match.group(1)
    # Bound to every address, the server is reachable at each of the machine's addresses;
    # an IP address cannot be pointed at another site the way a domain name can.
    return name in allowed or (any_address and _is_ip(name.strip("[]")))


def host_for_url(host: str) -> str:
    """A host as it is written in a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
