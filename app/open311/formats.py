"""Open311 responses in JSON or XML, and errors in the spec's format."""

import json
from xml.etree.ElementTree import Element, SubElement, tostring

from flask import current_app

MIMETYPES = {"json": "application/json", "xml": "text/xml"}
# The element that wraps each item of a list, by the list's own element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def _fill(parent: Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(SubElement(parent, key), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(parent.tag, "item")
        for child in value:
            _fill(SubElement(parent, item_tag), child)
    elif value is None:
        return
    elif isinstance(value, bool):
        parent.text = "true" if value else "false"
    else:
        parent.text = str(value)


def to_xml(root: str, value) -> bytes:
    element = Element(root)
    _fill(element, value)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(element, encoding="unicode").encode()
    )


def respond(value, fmt: str, root: str, status: int = 200, headers: dict | None = None):
    """`value` as JSON, or as XML under the element `root`."""
    body = to_xml(root, value) if fmt == "xml" else json.dumps(value, ensure_ascii=False).encode()
    response = current_app.response_class(
        body, status=status, content_type=f"{MIMETYPES.get(fmt, MIMETYPES['json'])}; charset=utf-8"
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    for key, header in (headers or {}).items():
        response.headers[key] = header
    return response


def errors(code: int, descriptions: list[str], fmt: str, headers: dict | None = None):
    """[{"code": 400, "description": "…"}] with the same HTTP status."""
    body = [{"code": code, "description": text} for text in descriptions]
    return respond(body, fmt, "errors", status=code, headers=headers)
