"""Shortened IP addresses in every log line: IPv4 to /24, IPv6 to /48.

Installed as a log-record factory, so it covers our loggers, werkzeug's and gunicorn's access
log and third-party libraries alike. Rate limiting still keys on the full address in memory.
Loopback addresses (127.0.0.0/8, ::1) are kept whole: they name this machine, never a person,
and the server's own start-up banner ("Running on http://127.0.0.1:5000") must stay usable.
"""

import ipaddress
import logging
import re

_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:.])"
)
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.])")
_MARK = "_kopa_ip_masking"


def _ipv6(match: re.Match) -> str:
    text = match.group(0)
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return text  # a time such as 18:10:53, not an address
    if address.is_loopback:
        return text
    if address.ipv4_mapped is not None:
        return "::ffff:" + _ipv4_text(str(address.ipv4_mapped))
    network = ipaddress.IPv6Network(f"{address}/48", strict=False)
    return f"{network.network_address}/48"


def _ipv4_text(text: str) -> str:
    parts = text.split(".")
    if any(int(part) > 255 for part in parts):
        return text  # a version number, not an address
    if parts[0] == "127":
        return text  # loopback: this machine, not a visitor
    return ".".join([*parts[:3], "0"])


def _ipv4(match: re.Match) -> str:
    return _ipv4_text(match.group(0))


def mask_ip_addresses(text: str) -> str:
    """The text with every IPv4 address cut to its /24 and every IPv6 address to its /48;
    loopback addresses are left whole."""
    if "." not in text and ":" not in text:
        return text
    return _IPV4.sub(_ipv4, _IPV6.sub(_ipv6, text))


def _mask(value):
    if isinstance(value, str):
        return mask_ip_addresses(value)
    return value


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    if isinstance(record.msg, str):
        record.msg = mask_ip_addresses(record.msg)
    if isinstance(record.args, dict):
        # gunicorn's access log passes its atoms as a dict subclass: change it in place.
        for key, value in list(record.args.items()):
            if isinstance(value, str):
                record.args[key] = mask_ip_addresses(value)
    elif isinstance(record.args, tuple):
        record.args = tuple(_mask(value) for value in record.args)
    return record


class IPMaskingFilter(logging.Filter):
    """The same masking as a filter, for handlers configured outside the app (gunicorn)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_ip_masking() -> None:
    """Mask every log record created in this process from now on (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, _MARK, False):
        return

    def masking_factory(*args, **kwargs):
        return mask_record(factory(*args, **kwargs))

    setattr(masking_factory, _MARK, True)
    logging.setLogRecordFactory(masking_factory)
