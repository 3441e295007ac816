"""The Metadata API's types as spyne models, in its namespace http://soap.sforce.com/2006/04/metadata.

Element names, order, minOccurs and nillable follow Salesforce's Metadata WSDL v66
(../shared/reference/metadata-66.wsdl): AsyncResult, DeployResult, DeployDetails, DeployMessage,
RetrieveResult, FileProperties, DescribeMetadataResult, ReadResult, SaveResult, UpsertResult,
DeleteResult. app/metadata/wire.py walks them to write responses in that order. The types have their own
registry: the Partner API's (app/soap/partner_types.py) uses the same names in another namespace.
"""
from __future__ import annotations

from typing import Any

from spyne.model import AnyXml
from spyne.model.complex import ComplexModel
from spyne.model.primitive import Boolean, DateTime, Double, Int, Long, Unicode

MNS = "http://soap.sforce.com/2006/04/metadata"


def _simple(name: str) -> type[Unicode]:
    return type(name, (Unicode,), {"__namespace__": MNS, "__type_name__": name})


_TYPES: dict[str, type[Any]] = {
    "string": Unicode, "boolean": Boolean, "int": Int, "long": Long, "double": Double, "dateTime": DateTime,
    "base64Binary": Unicode, "anyType": AnyXml,
}
for _name in ("ID", "StatusCode", "AsyncRequestState", "DeployStatus", "DeployProblemType", "RetrieveStatus",
              "TestLevel", "ManageableState"):
    _TYPES[_name] = _simple(_name)


def element(spec: str) -> tuple[str, type[Any]]:
    """`name:Type` plus flags: `?` minOccurs=0, `*` minOccurs=0 maxOccurs=unbounded, as in the WSDL."""
    name, _, rest = spec.partition(":")
    type_name = rest.rstrip("?*")
    flags = rest[len(type_name):]
    custom: dict[str, Any] = {"min_occurs": 0 if flags else 1, "nillable": False}
    if "*" in flags:
        custom["max_occurs"] = "unbounded"
    return name, _TYPES[type_name].customize(**custom)


def complex_type(name: str, *specs: str) -> type:
    cls = type(name, (ComplexModel,), {"__namespace__": MNS, "__type_name__": name,
                                       "_type_info": [element(s) for s in specs]})
    _TYPES[name] = cls
    return cls


# --- headers -----------------------------------------------------------------------------------------------
SessionHeader = complex_type("SessionHeader", "sessionId:string")
CallOptions = complex_type("CallOptions", "client:string?")
AllOrNoneHeader = complex_type("AllOrNoneHeader", "allOrNone:boolean")

# --- requests ----------------------------------------------------------------------------------------------
DeployOptions = complex_type(
    "DeployOptions", "allowMissingFiles:boolean?", "autoUpdatePackage:boolean?", "checkOnly:boolean?",
    "ignoreWarnings:boolean?", "performRetrieve:boolean?", "purgeOnDelete:boolean?",
    "rollbackOnError:boolean?",
    "runTests:string*", "singlePackage:boolean?", "testLevel:TestLevel?")
PackageTypeMembers = complex_type("PackageTypeMembers", "members:string*", "name:string")
Package = complex_type("Package", "fullName:string?", "types:PackageTypeMembers*", "version:string?")
RetrieveRequest = complex_type(
    "RetrieveRequest", "apiVersion:double?", "packageNames:string*", "rootTypesWithDependencies:string*",
    "singlePackage:boolean?", "specificFiles:string*", "unpackaged:Package?")
ListMetadataQuery = complex_type("ListMetadataQuery", "folder:string?", "type:string")

# --- results -----------------------------------------------------------------------------------------------
AsyncResult = complex_type("AsyncResult", "done:boolean", "id:ID", "message:string?",
                           "state:AsyncRequestState",
                           "statusCode:StatusCode?")
CancelDeployResult = complex_type("CancelDeployResult", "done:boolean", "id:ID")
DeployMessage = complex_type(
    "DeployMessage", "changed:boolean", "columnNumber:int?", "componentType:string?", "created:boolean",
    "createdDate:dateTime", "deleted:boolean", "fileName:string", "fullName:string", "id:string?",
    "lineNumber:int?", "problem:string?", "problemType:DeployProblemType?", "success:boolean")
RetrieveMessage = complex_type("RetrieveMessage", "fileName:string", "problem:string")
FileProperties = complex_type(
    "FileProperties", "createdById:string", "createdByName:string", "createdDate:dateTime", "fileName:string",
    "fullName:string", "id:string", "lastModifiedById:string", "lastModifiedByName:string",
    "lastModifiedDate:dateTime", "manageableState:ManageableState?", "namespacePrefix:string?", "type:string")
RetrieveResult = complex_type(
    "RetrieveResult", "done:boolean", "errorMessage:string?", "errorStatusCode:StatusCode?",
    "fileProperties:FileProperties*", "id:string", "messages:RetrieveMessage*", "status:RetrieveStatus",
    "success:boolean", "zipFile:base64Binary")
DeployDetails = complex_type("DeployDetails", "componentFailures:DeployMessage*",
                             "componentSuccesses:DeployMessage*", "retrieveResult:RetrieveResult?")
DeployResult = complex_type(
    "DeployResult", "canceledBy:string?", "canceledByName:string?", "checkOnly:boolean",
    "completedDate:dateTime?",
    "createdBy:string", "createdByName:string", "createdDate:dateTime", "details:DeployDetails",
    "done:boolean",
    "errorMessage:string?", "errorStatusCode:StatusCode?", "id:ID", "ignoreWarnings:boolean",
    "lastModifiedDate:dateTime?", "numberComponentErrors:int", "numberComponentsDeployed:int",
    "numberComponentsTotal:int", "numberFiles:int?", "numberTestErrors:int", "numberTestsCompleted:int",
    "numberTestsTotal:int", "rollbackOnError:boolean", "runTestsEnabled:boolean", "startDate:dateTime?",
    "stateDetail:string?", "status:DeployStatus", "success:boolean", "zipSize:long?")
DescribeMetadataObject = complex_type(
    "DescribeMetadataObject", "childXmlNames:string*", "directoryName:string", "inFolder:boolean",
    "metaFile:boolean", "suffix:string?", "xmlName:string")
DescribeMetadataResult = complex_type(
    "DescribeMetadataResult", "metadataObjects:DescribeMetadataObject*", "organizationNamespace:string",
    "partialSaveAllowed:boolean", "testRequired:boolean")
# records: Metadata subtypes, written as the component's own XML with xsi:type (app/metadata/wire.py).
ReadResult = complex_type("ReadResult", "records:anyType*")
Error = complex_type("Error", "fields:string*", "message:string", "statusCode:StatusCode")
SaveResult = complex_type("SaveResult", "errors:Error*", "fullName:string", "success:boolean")
UpsertResult = complex_type("UpsertResult", "created:boolean", "errors:Error*", "fullName:string",
                            "success:boolean")
DeleteResult = complex_type("DeleteResult", "errors:Error*", "fullName:string", "success:boolean")


def many(cls: type[Any]) -> type[Any]:
    return cls.customize(min_occurs=0, max_occurs="unbounded", nillable=False)


def one(cls: type[Any]) -> type[Any]:
    return cls.customize(min_occurs=1, max_occurs=1, nillable=False)


def arg(spec: str) -> type:
    return element(spec)[1]
