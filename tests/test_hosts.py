"""The Host names the preview answers to, for the addresses a test cannot bind to."""

from __future__ import annotations

import pytest

from paperdigest.hosts import allowed_hosts, host_is_allowed


def test_a_name_given_with_host_is_allowed_beside_its_address_and_localhost() -> None:
    allowed = allowed_hosts("Digest.LAN", "192.168.1.5")
    assert allowed == {"digest.lan", "192.168.1.5", "localhost"}
    for header in ("digest.lan", "DIGEST.lan:8000", "192.168.1.5:8000", "localhost"):
        assert host_is_allowed(header, allowed, any_address=False), header
    for header in ("127.0.0.1", "evil.example", "digest.lan.evil.example", "10.0.0.7"):
        assert not host_is_allowed(header, allowed, any_address=False), header


def test_loopback_is_reachable_by_both_loopback_addresses() -> None:
    assert allowed_hosts("::1", "::1") == {"[::1]", "localhost", "127.0.0.1"}


@pytest.mark.parametrize(
    ("header", "allowed"),
    [
        ("192.168.1.5:8000", True),
        ("10.0.0.7", True),
        ("[fe80::1]:8000", True),
        ("localhost:8000", True),
        ("evil.example", False),
        ("192.168.1.5.nip.io", False),  # a name that resolves to an address is still a name
        ("[evil.example]", False),
    ],
)
def test_bound_to_every_address_any_ip_address_is_allowed_but_no_other_name(
    header: str, allowed: bool
) -> None:
    hosts = allowed_hosts("0.0.0.0", "0.0.0.0")
    assert host_is_allowed(header, hosts, any_address=True) is allowed
