"""Which peers are trusted reverse proxies (HANDOFF_TRUSTED_PROXIES)."""

import ipaddress


def valid_proxy(value: str) -> str:
    """An IP address, a network (10.0.0.0/8) or `*` (every peer is a trusted proxy)."""
    value = value.strip()
    if value == "*":
        return value
    try:
        if "/" in value:
            ipaddress.ip_network(value, strict=False)
        else:
            ipaddress.ip_address(value)
    except ValueError as error:
        raise ValueError(f"not an IP address or network: {value!r}") from error
    return value
