"""S3 Control rest-xml replies, driven by botocore's s3control model.

``render_result`` writes an operation's output shape the way S3 Control does:
root element named after the output shape (``GetAccessGrantResult``) in the
``http://awss3control.amazonaws.com/doc/2018-08-20/`` namespace, members in
model order under their wire names, lists wrapped with their member name,
timestamps as ISO 8601 UTC with milliseconds.  ``render_error`` writes the
flat S3 ``<Error>`` document.  ``reply_headers`` gives the headers every reply
carries (``x-amz-request-id``, ``x-amz-id-2``).
"""

from __future__ import annotations

import base64
import functools
import os
import uuid
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree as ET

import botocore.session
from botocore.model import OperationModel, Shape

NAMESPACE = "http://awss3control.amazonaws.com/doc/2018-08-20/"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    return botocore.session.get_session().get_service_model("s3control")


def operation(name: str) -> OperationModel:
    """The botocore operation model of ``name`` (e.g. ``GetDataAccess``)."""
    return _model().operation_model(name)


def success_status(name: str) -> int:
    """The HTTP status the model gives the operation's success (200 unless
    stated, e.g. 204 for TagResource)."""
    return int(operation(name).http.get("responseCode", 200))


def render_result(name: str, result: dict[str, Any]) -> bytes:
    """The XML body of a successful ``name`` reply; empty when the output
    shape has no members."""
    shape = operation(name).output_shape
    if shape is None or not shape.members:
        return b""
    root = ET.Element(shape.name, {"xmlns": NAMESPACE})
    _fill(root, shape, result)
    return XML_DECLARATION + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def render_error(code: str, message: str, request_id: str, host_id: str) -> bytes:
    """The flat S3 error document."""
    root = ET.Element("Error")
    for tag, text in (("Code", code), ("Message", message),
                      ("RequestId", request_id), ("HostId", host_id)):
        ET.SubElement(root, tag).text = text
    return XML_DECLARATION + ET.tostring(root, encoding="utf-8", xml_declaration=False)


def new_request_ids() -> tuple[str, str]:
    """A (request id, host id) pair shaped like S3's."""
    request_id = uuid.uuid4().hex[:16].upper()
    host_id = base64.b64encode(os.urandom(48)).decode()
    return request_id, host_id


def reply_headers(request_id: str, host_id: str, body: bytes) -> dict[str, str]:
    headers = {"x-amz-request-id": request_id, "x-amz-id-2": host_id}
    if body:
        headers["Content-Type"] = "application/xml"
    return headers


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime (moto keeps naive UTC ones)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def iso8601(value: datetime) -> str:
    """``2024-01-02T03:04:05.678Z``."""
    value = as_utc(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _fill(parent: ET.Element, shape: Shape, value: dict[str, Any]) -> None:
    for name, member in shape.members.items():
        if value.get(name) is None or member.serialization.get("location"):
            continue
        _append(parent, member.serialization.get("name", name), member, value[name])


def _append(parent: ET.Element, tag: str, shape: Shape, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    kind = shape.type_name
    if kind == "structure":
        _fill(element, shape, value)
    elif kind == "list":
        member_tag = shape.member.serialization.get("name", "member")
        for item in value:
            _append(element, member_tag, shape.member, item)
    elif kind == "timestamp":
        element.text = iso8601(value)
    elif kind == "boolean":
        element.text = "true" if value else "false"
    else:
        element.text = str(value)
