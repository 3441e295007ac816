"""The Partner API's types as spyne models: namespaces, simple types, headers, results and faults.

Element names, order, minOccurs and nillable follow Salesforce's Partner WSDL (v66); wsdl/partner.wsdl
declares the same and tests/contract/test_soap_wsdl.py holds the three (this module, our WSDL, Salesforce's)
together. Spyne reads these for the service definition; app/soap/writer.py walks them to write responses in
order.
"""
from __future__ import annotations

from typing import Any

from spyne.model import AnyXml
from spyne.model.binary import ByteArray
from spyne.model.complex import ComplexModel
from spyne.model.fault import Fault
from spyne.model.primitive import Boolean, DateTime, Int, Long, Unicode

TNS = "urn:partner.soap.sforce.com"
ENS = "urn:sobject.partner.soap.sforce.com"
FNS = "urn:fault.partner.soap.sforce.com"


def _simple(name: str, ns: str) -> type[Unicode]:
    # Salesforce restricts these (ID: 18 alphanumerics; codes: long enumerations). They stay plain named
    # strings here and in our WSDL, so that a client built from it accepts any value Salesforce may send.
    return type(name, (Unicode,), {"__namespace__": ns, "__type_name__": name})


ID = _simple("ID", TNS)
QueryLocator = _simple("QueryLocator", TNS)
StatusCode = _simple("StatusCode", TNS)
ExtendedErrorCode = _simple("ExtendedErrorCode", TNS)
PerfOption = _simple("PerfOption", TNS)
QueryOptionsScope = _simple("queryOptionsScope", TNS)
SoapType = _simple("soapType", TNS)
FieldType = _simple("fieldType", TNS)
ExceptionCode = _simple("ExceptionCode", FNS)

_TYPES: dict[str, type[Any]] = {
    "string": Unicode, "boolean": Boolean, "int": Int, "long": Long, "dateTime": DateTime,
    "base64Binary": ByteArray, "anyType": AnyXml,
}
for _t in (ID, QueryLocator, StatusCode, ExtendedErrorCode, PerfOption, QueryOptionsScope, SoapType,
           FieldType, ExceptionCode):
    _TYPES[_t.get_type_name()] = _t


def simple_type(name: str) -> type[Unicode]:
    """A named string type of the Partner WSDL (an enumeration there, a plain restriction here), registered
    for `element()` references."""
    _TYPES[name] = _simple(name, TNS)
    return _TYPES[name]


def element(spec: str) -> tuple[str, type]:
    """`name:Type` plus flags: `?` minOccurs=0, `*` minOccurs=0 maxOccurs=unbounded, `+` minOccurs=1
    maxOccurs=unbounded, `~` nillable. Without flags an element is required (minOccurs=1) and not nillable, as
    in the WSDL."""
    name, _, rest = spec.partition(":")
    type_name = rest.rstrip("?*+~")
    flags = rest[len(type_name):]
    optional = "?" in flags or "*" in flags
    custom: dict[str, Any] = {"min_occurs": 0 if optional else 1, "nillable": "~" in flags}
    if "*" in flags or "+" in flags:
        custom["max_occurs"] = "unbounded"
    return name, _TYPES[type_name].customize(**custom)


def complex_type(name: str, ns: str, *specs: str, base: type[Any] = ComplexModel) -> type[Any]:
    """A spyne ComplexModel with the given elements in order; registered for later `element()` references."""
    cls = type(name, (base,), {"__namespace__": ns, "__type_name__": name,
                               "_type_info": [element(s) for s in specs]})
    _TYPES[name] = cls
    return cls


# --- request headers (urn:partner.soap.sforce.com) -------------------------------------------------------
SessionHeader = complex_type("SessionHeader", TNS, "sessionId:string")
LoginScopeHeader = complex_type("LoginScopeHeader", TNS, "organizationId:ID", "portalId:ID?")
CallOptions = complex_type(
    "CallOptions", TNS, "client:string~", "defaultNamespace:string~", "returnFieldDataTypes:boolean~",
    "clientLog:string", "debugExceptions:boolean", "platform:string", "remoteApplication:string",
    "uiRequestId:string", "perfOption:PerfOption")
AssignmentRuleHeader = complex_type("AssignmentRuleHeader", TNS, "assignmentRuleId:ID~",
                                    "useDefaultRule:boolean~")
MruHeader = complex_type("MruHeader", TNS, "updateMru:boolean")
AllOrNoneHeader = complex_type("AllOrNoneHeader", TNS, "allOrNone:boolean")
DuplicateRuleHeader = complex_type(
    "DuplicateRuleHeader", TNS, "allowSave:boolean", "includeRecordDetails:boolean",
    "runAsCurrentUser:boolean")
LocaleOptions = complex_type("LocaleOptions", TNS, "language:string?", "localizeErrors:boolean?")
EmailHeader = complex_type(
    "EmailHeader", TNS, "triggerAutoResponseEmail:boolean", "triggerOtherEmail:boolean",
    "triggerUserEmail:boolean")
QueryOptions = complex_type("QueryOptions", TNS, "batchSize:int?", "filterLanguage:string?",
                            "scope:queryOptionsScope")

# --- response header ---------------------------------------------------------------------------------------
LimitInfo = complex_type("LimitInfo", TNS, "appName:string?~", "current:long", "limit:long", "type:string")
LimitInfoHeader = complex_type("LimitInfoHeader", TNS, "limitInfo:LimitInfo*")

# --- sObject (urn:sobject.partner.soap.sforce.com): fields follow as <any namespace="##targetNamespace">
SObject = complex_type("sObject", ENS, "type:string", "fieldsToNull:string*~", "Id:ID~")

# --- results -----------------------------------------------------------------------------------------------
GetUserInfoResult = complex_type(
    "GetUserInfoResult", TNS,
    "accessibilityMode:boolean", "chatterExternal:boolean", "currencySymbol:string~",
    "defaultAppIdForProfile:ID?", "orgAttachmentFileSizeLimit:int", "orgDefaultCurrencyIsoCode:string~",
    "orgDefaultCurrencyLocale:string~",
    "orgDisallowHtmlAttachments:boolean", "orgHasPersonAccounts:boolean", "organizationId:ID",
    "organizationMultiCurrency:boolean", "organizationName:string", "profileId:ID", "roleId:ID~",
    "sessionSecondsValid:int", "userDefaultCurrencyIsoCode:string~", "userEmail:string",
    "userFullName:string", "userId:ID", "userLanguage:string", "userLocale:string", "userName:string",
    "userTimeZone:string",
    "userType:string", "userUiSkin:string")
LoginResult = complex_type(
    "LoginResult", TNS, "metadataServerUrl:string~", "passwordExpired:boolean", "sandbox:boolean",
    "serverUrl:string~", "sessionId:string~", "upgradeMessage:string?", "upgradeURL:string?", "userId:ID~",
    "userInfo:GetUserInfoResult?")
GetServerTimestampResult = complex_type("GetServerTimestampResult", TNS, "timestamp:dateTime")
ExtendedErrorDetails = complex_type("ExtendedErrorDetails", TNS, "extendedErrorCode:ExtendedErrorCode")
Error = complex_type("Error", TNS, "extendedErrorDetails:ExtendedErrorDetails*~", "fields:string*~",
                     "message:string", "statusCode:StatusCode")
SaveResult = complex_type("SaveResult", TNS, "errors:Error*", "id:ID~", "success:boolean")
UpsertResult = complex_type("UpsertResult", TNS, "created:boolean", "errors:Error*", "id:ID~",
                            "success:boolean")
DeleteResult = complex_type("DeleteResult", TNS, "errors:Error*~", "id:ID~", "success:boolean")
QueryResult = complex_type("QueryResult", TNS, "done:boolean", "queryLocator:QueryLocator~",
                           "records:sObject*~", "size:int")
GetUpdatedResult = complex_type("GetUpdatedResult", TNS, "ids:ID*", "latestDateCovered:dateTime")
DeletedRecord = complex_type("DeletedRecord", TNS, "deletedDate:dateTime", "id:ID")
GetDeletedResult = complex_type("GetDeletedResult", TNS, "deletedRecords:DeletedRecord*",
                                "earliestDateAvailable:dateTime", "latestDateCovered:dateTime")
UndeleteResult = complex_type("UndeleteResult", TNS, "errors:Error*", "id:ID~", "success:boolean")
EmptyRecycleBinResult = complex_type("EmptyRecycleBinResult", TNS, "errors:Error*", "id:ID~",
                                     "success:boolean")
DescribeColor = complex_type("DescribeColor", TNS, "color:string", "context:string", "theme:string")
DescribeIcon = complex_type("DescribeIcon", TNS, "contentType:string", "height:int~", "theme:string",
                            "url:string",
                            "width:int~")
DescribeTab = complex_type("DescribeTab", TNS, "colors:DescribeColor*", "custom:boolean", "iconUrl:string",
                           "icons:DescribeIcon*", "label:string", "miniIconUrl:string", "name:string",
                           "sobjectName:string~", "url:string")
DescribeTabSetResult = complex_type("DescribeTabSetResult", TNS, "description:string", "label:string",
                                    "logoUrl:string", "namespace:string?", "selected:boolean",
                                    "tabSetId:string",
                                    "tabs:DescribeTab*")
LeadConvert = complex_type("LeadConvert", TNS, "accountId:ID~", "accountRecord:sObject~",
                           "bypassAccountDedupeCheck:boolean~",
                           "bypassContactDedupeCheck:boolean~", "contactId:ID~",
                           "contactRecord:sObject~", "convertedStatus:string",
                           "doNotCreateOpportunity:boolean", "leadId:ID", "opportunityId:ID~",
                           "opportunityName:string~", "opportunityRecord:sObject~",
                           "overwriteLeadSource:boolean", "ownerId:ID~",
                           "relatedPersonAccountId:ID~", "relatedPersonAccountRecord:sObject~",
                           "sendNotificationEmail:boolean")
LeadConvertResult = complex_type("LeadConvertResult", TNS, "accountId:ID~", "contactId:ID~", "errors:Error*",
                                 "leadId:ID~", "opportunityId:ID~", "relatedPersonAccountId:ID?",
                                 "success:boolean")
AdditionalInformationMap = complex_type("AdditionalInformationMap", TNS, "name:string", "value:string")
MergeRequest = complex_type("MergeRequest", TNS, "additionalInformationMap:AdditionalInformationMap*",
                            "masterRecord:sObject", "recordToMergeIds:ID*")
MergeRequest._type_info["recordToMergeIds"] = ID.customize(min_occurs=1, max_occurs="unbounded",
                                                           nillable=False)
MergeResult = complex_type("MergeResult", TNS, "errors:Error*", "id:ID~", "mergedRecordIds:ID*",
                           "success:boolean",
                           "updatedRelatedIds:ID*")

# search(): SearchResult and the metadata types it may carry (Partner WSDL v66; sfmock fills queryId and
# searchRecords[].record only).
SearchStatus = complex_type("SearchStatus", TNS, "code:string", "message:string")
EntityErrorMetadata = complex_type("EntityErrorMetadata", TNS, "errorCode:string~", "message:string~")
EntityIntentQueryMetadata = complex_type("EntityIntentQueryMetadata", TNS, "intentQuery:boolean",
                                         "message:string~")
EntitySearchPromotionMetadata = complex_type("EntitySearchPromotionMetadata", TNS, "promotedResultCount:int")
EntitySpellCorrectionMetadata = complex_type("EntitySpellCorrectionMetadata", TNS, "correctedQuery:string",
                                             "hasNonCorrectedResults:boolean")
FieldLevelSearchMetadata = complex_type("FieldLevelSearchMetadata", TNS, "label:string~", "name:string",
                                        "type:string~")
EntitySearchMetadata = complex_type(
    "EntitySearchMetadata", TNS, "entityName:string", "errorMetadata:EntityErrorMetadata?",
    "fieldMetadata:FieldLevelSearchMetadata*", "intentQueryMetadata:EntityIntentQueryMetadata?",
    "searchPromotionMetadata:EntitySearchPromotionMetadata?",
    "spellCorrectionMetadata:EntitySpellCorrectionMetadata?", "status:SearchStatus?~")
NameValuePair = complex_type("NameValuePair", TNS, "name:string", "value:string")
LabelsSearchMetadata = complex_type("LabelsSearchMetadata", TNS, "entityFieldLabels:NameValuePair*",
                                    "entityName:string")
SearchResultsMetadata = complex_type(
    "SearchResultsMetadata", TNS, "entityLabelMetadata:LabelsSearchMetadata*",
    "entityMetadata:EntitySearchMetadata*", "status:SearchStatus?~")
SearchSnippet = complex_type("SearchSnippet", TNS, "text:string?~", "wholeFields:NameValuePair*")
SearchRecordMetadata = complex_type("SearchRecordMetadata", TNS, "searchPromoted:boolean",
                                    "spellCorrected:boolean")
SearchRecord = complex_type("SearchRecord", TNS, "record:sObject",
                            "searchRecordMetadata:SearchRecordMetadata?", "snippet:SearchSnippet?~")
SearchResult = complex_type("SearchResult", TNS, "queryId:string", "searchRecords:SearchRecord*",
                            "searchResultsMetadata:SearchResultsMetadata?~")

# Elements that older API versions' WSDLs lack (first version that has them). A zeep client built from an
# older WSDL rejects unknown elements, so the writer leaves these out below that version. Sources: the
# Partner WSDL history in superfell/WSDL2ZKSforce (v29-v58) and forcedotcom/wsdl (v47-v66).
SINCE: dict[tuple[str, str], float] = {
    ("GetUserInfoResult", "orgDefaultCurrencyLocale"): 38.0,
    ("GetUserInfoResult", "chatterExternal"): 40.0,
    ("GetUserInfoResult", "defaultAppIdForProfile"): 48.0,
    ("LoginResult", "upgradeMessage"): 48.0,
    ("LoginResult", "upgradeURL"): 48.0,
    ("Error", "extendedErrorDetails"): 37.0,
    ("LimitInfo", "appName"): 48.0,
}


# --- faults (urn:fault.partner.soap.sforce.com) ---------------------------------------------------------
def _fault(name: str, base: type[Any], *specs: str) -> type[Any]:
    cls = type(name, (base,), {"__namespace__": FNS, "__type_name__": name,
                               "_type_info": [element(s) for s in specs]})
    _TYPES[name] = cls
    return cls


ApiFault = _fault("ApiFault", Fault, "exceptionCode:ExceptionCode", "exceptionMessage:string",
                  "extendedErrorDetails:ExtendedErrorDetails*~", "upgradeURL:string?",
                  "upgradeMessage:string?")
ApiQueryFault = _fault("ApiQueryFault", ApiFault, "row:int", "column:int")
LoginFault = _fault("LoginFault", ApiFault)
InvalidIdFault = _fault("InvalidIdFault", ApiFault)
UnexpectedErrorFault = _fault("UnexpectedErrorFault", ApiFault)
InvalidQueryLocatorFault = _fault("InvalidQueryLocatorFault", ApiFault)
InvalidFieldFault = _fault("InvalidFieldFault", ApiQueryFault)
InvalidSObjectFault = _fault("InvalidSObjectFault", ApiQueryFault)
MalformedQueryFault = _fault("MalformedQueryFault", ApiQueryFault)
MalformedSearchFault = _fault("MalformedSearchFault", ApiQueryFault)


def lookup(type_name: str) -> type[Any]:
    """A declared type by its WSDL local name (for describe_types and the contract test)."""
    return _TYPES[type_name]
