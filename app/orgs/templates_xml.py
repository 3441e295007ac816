"""Classic email templates (`email/<folder>/<Dev>.email` + `<Dev>.email-meta.xml`) into TemplateDefs.

The -meta.xml holds the Metadata API v66 EmailTemplate type; the .email file holds the body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sfmock.orgs.bundle import OrgDefinitionError, TemplateDef
from sfmock.orgs.metadata_xml import MetadataFile

_TEMPLATE = frozenset({
    "fullName", "module", "content", "apiVersion", "attachedDocuments", "attachments", "available",
    "description", "encodingKey", "letterhead", "name", "packageVersions", "pageDevName", "relatedEntityType",
    "style", "subject", "textOnly", "type", "uiType",
})  # fmt: skip
# Declared in the WSDL with minOccurs=1.
_REQUIRED = ("available", "encodingKey", "name", "style", "type")
_REPEATABLE = frozenset({"attachedDocuments", "attachments", "packageVersions"})
TYPES = ("text", "html", "custom", "visualforce")
STYLES = ("none", "freeForm", "formalLetter", "promotionRight", "promotionLeft", "newsletter", "products")
UI_TYPES = ("Aloha", "SFX", "SFX_Sample")
# The WSDL's Encoding enumeration, with the Python codec for each.
ENCODINGS = {
    "UTF-8": "utf-8", "ISO-8859-1": "latin-1", "Shift_JIS": "shift_jis", "ISO-2022-JP": "iso2022_jp",
    "EUC-JP": "euc_jp", "ks_c_5601-1987": "cp949", "Big5": "big5", "GB2312": "gb2312",
    "Big5-HKSCS": "big5hkscs", "x-SJIS_0213": "shift_jis_2004",
}  # fmt: skip
META_SUFFIX = ".email-meta.xml"
BODY_SUFFIX = ".email"


def read_template(meta: Path, meta_rel: str, body: Path, body_rel: str) -> TemplateDef:
    folder = meta.parent.name
    developer_name = meta.name[: -len(META_SUFFIX)]
    doc = MetadataFile(meta, meta_rel, "EmailTemplate")
    seen: dict = {}
    values: dict[str, Any] = {}
    for name, el in doc.children(doc.root, _TEMPLATE, "<EmailTemplate>"):
        if name in _REPEATABLE:
            continue  # attachments and managed-package versions play no part in a notification
        doc.once(seen, name, el)
        if name == "available":
            values[name] = doc.boolean(el)
        elif name == "type":
            values[name] = doc.enum(el, TYPES)
        elif name == "style":
            values[name] = doc.enum(el, STYLES)
        elif name == "uiType":
            values[name] = doc.enum(el, UI_TYPES)
        elif name == "encodingKey":
            values[name] = doc.enum(el, tuple(ENCODINGS))
        elif name != "content":
            values[name] = doc.text(el) or None
    for required in _REQUIRED:
        if values.get(required) is None:
            raise doc.error(doc.root, f"<EmailTemplate> has no <{required}>")
    return TemplateDef(
        folder=folder,
        developer_name=developer_name,
        name=str(values["name"]),
        type=str(values["type"]),
        body=_body(body, body_rel, str(values["encodingKey"])),
        subject=values.get("subject"),
        available=bool(values["available"]),
        encoding_key=str(values["encodingKey"]),
        style=str(values["style"]),
        description=values.get("description"),
        text_only=values.get("textOnly"),
        source=doc.at(doc.root),
    )


def _body(path: Path, rel: str, encoding_key: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise OrgDefinitionError(f"cannot read template body: {exc.strerror}", rel) from exc
    # Retrieved bodies are nearly always UTF-8 (or plain ASCII, valid in every listed encoding); otherwise the
    # template's own encodingKey says how to read them.
    for codec in ("utf-8", ENCODINGS[encoding_key]):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return text.removeprefix("\ufeff").replace("\r\n", "\n")
    raise OrgDefinitionError(f"template body is neither UTF-8 nor {encoding_key}", rel)
