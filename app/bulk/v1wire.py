"""Bulk API 1.0 wire shapes: jobInfo / batchInfo / results / errors in XML (namespace
http://www.force.com/2009/06/asyncapi/dataload) or JSON, and batches read from CSV, XML or JSON
(Bulk API Developer Guide, "JobInfo", "BatchInfo", "Data Files", "Errors")."""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from lxml import etree

from sfmock.bulk import csvdata
from sfmock.core.errors import CallError

NS = "http://www.force.com/2009/06/asyncapi/dataload"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_TYPE = "application/xml"
JSON_TYPE = "application/json"
# salesforce-bulk dispatches on the exact Content-Type "text/csv" (no charset), jsforce on ^text/csv.
CSV_TYPE = "text/csv"
CONTENT_TYPES = {"CSV": CSV_TYPE, "XML": XML_TYPE, "JSON": JSON_TYPE}


class BulkError(Exception):
    """A Bulk 1.0 failure: an exceptionCode (WSC's AsyncExceptionCode) and its message, with its HTTP
    status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_blank_text=True)


def parse_xml(body: bytes) -> etree._Element:
    try:
        return etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        raise BulkError("InvalidXML", f"Unable to parse XML: {error}") from None


def _local(element: Any) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def read_job(body: bytes, is_json: bool) -> dict[str, Any]:
    """jobInfo's fields by name, in any element order (jsforce and WSC order them differently)."""
    if is_json:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise BulkError("InvalidJob", f"Unable to parse JSON: {error}") from None
        if not isinstance(data, dict):
            raise BulkError("InvalidJob", "The request body must be a jobInfo object")
        return {k: ("" if v is None else str(v)) for k, v in data.items()}
    root = parse_xml(body)
    if _local(root) != "jobInfo":
        raise BulkError("InvalidXML", f"Unexpected root element: {_local(root)}")
    return {_local(child): (child.text or "").strip() for child in root if _local(child)}


# --- serializers -----------------------------------------------------------------------------------------
def document(root: str, fields: Sequence[tuple[str, Any]], is_json: bool) -> tuple[bytes, str]:
    if is_json:
        return json.dumps({k: v for k, v in fields}).encode(), JSON_TYPE
    element = etree.Element(f"{{{NS}}}{root}", nsmap={None: NS})
    for name, value in fields:
        child = etree.SubElement(element, f"{{{NS}}}{name}")
        child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8"), XML_TYPE


def error_document(code: str, message: str, is_json: bool) -> tuple[bytes, str]:
    return document("error", [("exceptionCode", code), ("exceptionMessage", message)], is_json)


def result_list(result_ids: Sequence[str], is_json: bool) -> tuple[bytes, str]:
    if is_json:
        return json.dumps(list(result_ids)).encode(), JSON_TYPE
    root = etree.Element(f"{{{NS}}}result-list", nsmap={None: NS})
    for rid in result_ids:
        etree.SubElement(root, f"{{{NS}}}result").text = rid
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), XML_TYPE


def batch_list(infos: Sequence[Sequence[tuple[str, Any]]], is_json: bool) -> tuple[bytes, str]:
    if is_json:
        return json.dumps({"batchInfo": [dict(fields) for fields in infos]}).encode(), JSON_TYPE
    root = etree.Element(f"{{{NS}}}batchInfoList", nsmap={None: NS})
    for fields in infos:
        element = etree.SubElement(root, f"{{{NS}}}batchInfo")
        for name, value in fields:
            etree.SubElement(element, f"{{{NS}}}{name}").text = str(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), XML_TYPE


def save_results(rows: Sequence[dict[str, Any]], content_type: str) -> tuple[bytes, str]:
    """One result per input row, in input order: CSV "Id","Success","Created","Error"; XML <results>; JSON."""
    if content_type == "CSV":
        out = [["Id", "Success", "Created", "Error"]]
        out += [[r["record_id"] or "", r["success"], r["created"], csvdata.error_text(r["data"] or [])]
                for r in rows]
        return csvdata.write(out).encode(), CSV_TYPE
    if content_type == "JSON":
        return json.dumps([{"success": r["success"], "created": r["created"], "id": r["record_id"],
                            "errors": [_json_error(e) for e in r["data"]
                                       or []]} for r in rows]).encode(), JSON_TYPE
    root = etree.Element(f"{{{NS}}}results", nsmap={None: NS, "xsi": XSI})
    for r in rows:
        result = etree.SubElement(root, f"{{{NS}}}result")
        for code, message, fields in r["data"] or []:
            errors = etree.SubElement(result, f"{{{NS}}}errors")
            for name in fields:
                etree.SubElement(errors, f"{{{NS}}}fields").text = name
            etree.SubElement(errors, f"{{{NS}}}message").text = message
            etree.SubElement(errors, f"{{{NS}}}statusCode").text = code
        rid = etree.SubElement(result, f"{{{NS}}}id")
        if r["record_id"]:
            rid.text = r["record_id"]
        else:
            rid.set(f"{{{XSI}}}nil", "true")
        etree.SubElement(result, f"{{{NS}}}success").text = "true" if r["success"] else "false"
        etree.SubElement(result, f"{{{NS}}}created").text = "true" if r["created"] else "false"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), XML_TYPE


def _json_error(error: Sequence[Any]) -> dict[str, Any]:
    code, message, fields = error
    return {"fields": list(fields), "message": message, "statusCode": code}


def query_results(header: list[str], rows: list[list[Any]], sobject: str, data_path: str,
                  content_type: str) -> tuple[bytes, str]:
    if content_type == "CSV":
        return csvdata.write([header, *rows]).encode(), CSV_TYPE
    records = [_nested(sobject, header, row, data_path) for row in rows]
    if content_type == "JSON":
        return json.dumps(records).encode(), JSON_TYPE
    root = etree.Element(f"{{{NS}}}queryResult", nsmap={None: NS, "xsi": XSI})
    for record in records:
        _xml_record(etree.SubElement(root, f"{{{NS}}}records", {f"{{{XSI}}}type": "sObject"}), record)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), XML_TYPE


def _nested(sobject: str, header: list[str], row: list[Any], data_path: str) -> dict[str, Any]:
    record: dict[str, Any] = {"attributes": {"type": sobject}}
    for name, value in zip(header, row, strict=True):
        if name == "Id" and value:
            record["attributes"]["url"] = f"{data_path}/sobjects/{sobject}/{value}"
        parts = name.split(".")
        target = record
        for part in parts[:-1]:
            target = target.setdefault(part, {"attributes": {"type": part}})
        target[parts[-1]] = value
    return record


def _xml_record(parent: Any, record: dict[str, Any]) -> None:
    etree.SubElement(parent, f"{{{NS}}}type").text = record["attributes"]["type"]
    for name, value in record.items():
        if name == "attributes":
            continue
        child = etree.SubElement(parent, f"{{{NS}}}{name}")
        if isinstance(value, dict):
            _xml_record(child, value)
        elif value is None:
            child.set(f"{{{XSI}}}nil", "true")
        else:
            child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)


# --- batches ---------------------------------------------------------------------------------------------
def read_rows(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """The rows of an ingest batch; bad data raises CallError with Bulk's exception code."""
    if content_type == "CSV":
        return csvdata.read(body).rows
    if content_type == "JSON":
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise CallError("InvalidBatch", f"Unable to parse JSON: {error}") from None
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise CallError("InvalidBatch", "The batch must be a JSON array of records")
        return [{k: v for k, v in r.items() if k != "attributes"} for r in data]
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        raise CallError("InvalidBatch", f"Unable to parse XML: {error}") from None
    rows = []
    for record in root:
        row: dict[str, Any] = {}
        for field in record:
            if _local(field):
                nil = field.get(f"{{{XSI}}}nil") == "true"
                row[_local(field)] = None if nil else (field.text or "")
        rows.append(row)
    return rows
