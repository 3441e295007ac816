"""wsdl/partner.wsdl, the spyne service (app/soap/service.py) and Salesforce's Partner WSDL (v66) agree.

Three-way check, element by element: every operation, header and type of our WSDL
  1. is declared the same way in the spyne definition (names, order, types, minOccurs, maxOccurs, nillable),
  2. matches Salesforce's definition of the same name, kept below as literals generated once from
     ../shared/reference/partner-66.wsdl (the reference file itself is never copied into the project).
Element notation: "name prefix:type" + "?" (minOccurs 0), "*" (0..unbounded), "[0..100]", "~" (nillable).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from sfmock.soap import partner_types
from sfmock.soap.service import application
from sfmock.soap.wsdl import WSDL_PATH

X = "http://www.w3.org/2001/XMLSchema"
W = "http://schemas.xmlsoap.org/wsdl/"
S = "http://schemas.xmlsoap.org/wsdl/soap/"
PREFIX = {partner_types.TNS: "tns", partner_types.ENS: "ens", partner_types.FNS: "fns", X: "xsd"}

# ---- Salesforce Partner WSDL v66, the definitions sfmock implements (generated once; do not edit by hand)
# ----
REFERENCE_TYPES = {
    "sObject": ("type xsd:string", "fieldsToNull xsd:string*~", "Id tns:ID~"),
    "AdditionalInformationMap": ("name xsd:string", "value xsd:string"),
    "LeadConvert": ("accountId tns:ID~", "accountRecord ens:sObject~",
                    "bypassAccountDedupeCheck xsd:boolean~", "bypassContactDedupeCheck xsd:boolean~",
                    "contactId tns:ID~", "contactRecord ens:sObject~", "convertedStatus xsd:string",
                    "doNotCreateOpportunity xsd:boolean", "leadId tns:ID", "opportunityId tns:ID~",
                    "opportunityName xsd:string~", "opportunityRecord ens:sObject~",
                    "overwriteLeadSource xsd:boolean", "ownerId tns:ID~", "relatedPersonAccountId tns:ID~",
                    "relatedPersonAccountRecord ens:sObject~", "sendNotificationEmail xsd:boolean"),
    "LeadConvertResult": ("accountId tns:ID~", "contactId tns:ID~", "errors tns:Error*", "leadId tns:ID~",
                          "opportunityId tns:ID~", "relatedPersonAccountId tns:ID?", "success xsd:boolean"),
    "DescribeTabSetResult": ("description xsd:string", "label xsd:string", "logoUrl xsd:string",
        "namespace xsd:string?", "selected xsd:boolean", "tabSetId xsd:string", "tabs tns:DescribeTab*"),
    "DescribeTab": ("colors tns:DescribeColor*", "custom xsd:boolean", "iconUrl xsd:string",
        "icons tns:DescribeIcon*", "label xsd:string", "miniIconUrl xsd:string", "name xsd:string",
        "sobjectName xsd:string~", "url xsd:string"),
    "DescribeColor": ("color xsd:string", "context xsd:string", "theme xsd:string"),
    "DescribeIcon": ("contentType xsd:string", "height xsd:int~", "theme xsd:string", "url xsd:string",
        "width xsd:int~"),
    "MergeRequest": ("additionalInformationMap tns:AdditionalInformationMap*", "masterRecord ens:sObject",
        "recordToMergeIds tns:ID[1..unbounded]"),
    "MergeResult": ("errors tns:Error*", "id tns:ID~", "mergedRecordIds tns:ID*", "success xsd:boolean",
        "updatedRelatedIds tns:ID*"),
    "GetUpdatedResult": ("ids tns:ID*", "latestDateCovered xsd:dateTime"),
    "GetDeletedResult": ("deletedRecords tns:DeletedRecord*", "earliestDateAvailable xsd:dateTime",
        "latestDateCovered xsd:dateTime"),
    "DeletedRecord": ("deletedDate xsd:dateTime", "id tns:ID"),
    "UndeleteResult": ("errors tns:Error*", "id tns:ID~", "success xsd:boolean"),
    "EmptyRecycleBinResult": ("errors tns:Error*", "id tns:ID~", "success xsd:boolean"),
    "QueryResult": ("done xsd:boolean", "queryLocator tns:QueryLocator~", "records ens:sObject*~",
        "size xsd:int"),
    "GetUserInfoResult": ("accessibilityMode xsd:boolean", "chatterExternal xsd:boolean",
        "currencySymbol xsd:string~", "defaultAppIdForProfile tns:ID?", "orgAttachmentFileSizeLimit xsd:int",
        "orgDefaultCurrencyIsoCode xsd:string~", "orgDefaultCurrencyLocale xsd:string~",
        "orgDisallowHtmlAttachments xsd:boolean", "orgHasPersonAccounts xsd:boolean", "organizationId tns:ID",
        "organizationMultiCurrency xsd:boolean", "organizationName xsd:string", "profileId tns:ID",
        "roleId tns:ID~", "sessionSecondsValid xsd:int", "userDefaultCurrencyIsoCode xsd:string~",
        "userEmail xsd:string", "userFullName xsd:string", "userId tns:ID", "userLanguage xsd:string",
        "userLocale xsd:string", "userName xsd:string", "userTimeZone xsd:string", "userType xsd:string",
        "userUiSkin xsd:string"),
    "LoginResult": ("metadataServerUrl xsd:string~", "passwordExpired xsd:boolean", "sandbox xsd:boolean",
        "serverUrl xsd:string~", "sessionId xsd:string~", "upgradeMessage xsd:string?",
        "upgradeURL xsd:string?",
        "userId tns:ID~", "userInfo tns:GetUserInfoResult?"),
    "GetServerTimestampResult": ("timestamp xsd:dateTime",),
    "ExtendedErrorDetails": ("extendedErrorCode tns:ExtendedErrorCode",),
    "Error": ("extendedErrorDetails tns:ExtendedErrorDetails*~", "fields xsd:string*~", "message xsd:string",
        "statusCode tns:StatusCode"),
    "SaveResult": ("errors tns:Error*", "id tns:ID~", "success xsd:boolean"),
    "UpsertResult": ("created xsd:boolean", "errors tns:Error*", "id tns:ID~", "success xsd:boolean"),
    "DeleteResult": ("errors tns:Error*~", "id tns:ID~", "success xsd:boolean"),
    "LimitInfo": ("appName xsd:string?~", "current xsd:long", "limit xsd:long", "type xsd:string"),
    "DescribeGlobalResult": ("encoding xsd:string~", "maxBatchSize xsd:int",
        "sobjects tns:DescribeGlobalSObjectResult*"),
    "DescribeGlobalSObjectResult": ("activateable xsd:boolean", "associateEntityType xsd:string~",
        "associateParentEntity xsd:string~", "createable xsd:boolean", "custom xsd:boolean",
        "customSetting xsd:boolean", "dataTranslationEnabled xsd:boolean?", "deepCloneable xsd:boolean",
        "deletable xsd:boolean", "deprecatedAndHidden xsd:boolean", "feedEnabled xsd:boolean",
        "hasSubtypes xsd:boolean", "idEnabled xsd:boolean", "isInterface xsd:boolean",
        "isSubtype xsd:boolean",
        "keyPrefix xsd:string~", "label xsd:string", "labelPlural xsd:string", "layoutable xsd:boolean",
        "mergeable xsd:boolean", "mruEnabled xsd:boolean", "name xsd:string", "queryable xsd:boolean",
        "replicateable xsd:boolean", "retrieveable xsd:boolean", "searchable xsd:boolean",
        "triggerable xsd:boolean", "undeletable xsd:boolean", "updateable xsd:boolean"),
    "DescribeSObjectResult": ("actionOverrides tns:ActionOverride*~", "activateable xsd:boolean",
        "associateEntityType xsd:string~", "associateParentEntity xsd:string~",
        "childRelationships tns:ChildRelationship*", "compactLayoutable xsd:boolean",
        "createable xsd:boolean",
        "custom xsd:boolean", "customSetting xsd:boolean", "dataTranslationEnabled xsd:boolean?",
        "deepCloneable xsd:boolean", "defaultImplementation xsd:string~", "deletable xsd:boolean",
        "deprecatedAndHidden xsd:boolean", "feedEnabled xsd:boolean", "fields tns:Field*~",
        "hasSubtypes xsd:boolean", "idEnabled xsd:boolean", "implementedBy xsd:string~",
        "implementsInterfaces xsd:string~", "isInterface xsd:boolean", "isSubtype xsd:boolean",
        "keyPrefix xsd:string~", "label xsd:string", "labelPlural xsd:string", "layoutable xsd:boolean",
        "listviewable xsd:boolean?", "lookupLayoutable xsd:boolean?", "mergeable xsd:boolean",
        "mruEnabled xsd:boolean", "name xsd:string", "namedLayoutInfos tns:NamedLayoutInfo*",
        "networkScopeFieldName xsd:string~", "queryable xsd:boolean", "recordTypeInfos tns:RecordTypeInfo*",
        "replicateable xsd:boolean", "retrieveable xsd:boolean", "searchLayoutable xsd:boolean?",
        "searchable xsd:boolean", "supportedScopes tns:ScopeInfo*~", "triggerable xsd:boolean?",
        "undeletable xsd:boolean", "updateable xsd:boolean", "urlDetail xsd:string~", "urlEdit xsd:string~",
        "urlNew xsd:string~"),
    "ActionOverride": ("formFactor xsd:string~", "isAvailableInTouch xsd:boolean", "name xsd:string",
        "pageId tns:ID", "url xsd:string~"),
    "ChildRelationship": ("cascadeDelete xsd:boolean", "childSObject xsd:string",
        "deprecatedAndHidden xsd:boolean", "field xsd:string", "junctionIdListNames xsd:string*~",
        "junctionReferenceTo xsd:string*~", "relationshipName xsd:string?", "restrictedDelete xsd:boolean?"),
    "Field": ("aggregatable xsd:boolean", "aiPredictionField xsd:boolean", "autoNumber xsd:boolean",
        "byteLength xsd:int", "calculated xsd:boolean", "calculatedFormula xsd:string?",
        "cascadeDelete xsd:boolean?", "caseSensitive xsd:boolean", "compoundFieldName xsd:string?",
        "controllerName xsd:string?", "createable xsd:boolean", "custom xsd:boolean",
        "dataTranslationEnabled xsd:boolean?", "defaultValue xsd:anyType?", "defaultValueFormula xsd:string?",
        "defaultedOnCreate xsd:boolean", "dependentPicklist xsd:boolean?", "deprecatedAndHidden xsd:boolean",
        "digits xsd:int", "displayLocationInDecimal xsd:boolean?", "encrypted xsd:boolean?",
        "externalId xsd:boolean?", "extraTypeInfo xsd:string?", "filterable xsd:boolean",
        "filteredLookupInfo tns:FilteredLookupInfo?~", "formulaTreatNullNumberAsZero xsd:boolean?",
        "groupable xsd:boolean", "highScaleNumber xsd:boolean?", "htmlFormatted xsd:boolean?",
        "idLookup xsd:boolean", "inlineHelpText xsd:string?", "label xsd:string", "length xsd:int",
        "mask xsd:string?", "maskType xsd:string?", "name xsd:string", "nameField xsd:boolean",
        "namePointing xsd:boolean?", "nillable xsd:boolean", "permissionable xsd:boolean",
        "picklistValues tns:PicklistEntry*~", "polymorphicForeignKey xsd:boolean", "precision xsd:int",
        "queryByDistance xsd:boolean", "referenceTargetField xsd:string?", "referenceTo xsd:string*~",
        "relationshipName xsd:string?", "relationshipOrder xsd:int?", "restrictedDelete xsd:boolean?",
        "restrictedPicklist xsd:boolean", "scale xsd:int", "searchPrefilterable xsd:boolean",
        "soapType tns:soapType", "sortable xsd:boolean?", "type tns:fieldType", "unique xsd:boolean",
        "updateable xsd:boolean", "writeRequiresMasterRead xsd:boolean?"),
    "FilteredLookupInfo": ("controllingFields xsd:string*", "dependent xsd:boolean",
        "optionalFilter xsd:boolean"),
    "PicklistEntry": ("active xsd:boolean", "defaultValue xsd:boolean", "label xsd:string~",
        "validFor xsd:base64Binary?", "value xsd:string"),
    "NamedLayoutInfo": ("name xsd:string",),
    "RecordTypeInfo": ("active xsd:boolean", "available xsd:boolean", "defaultRecordTypeMapping xsd:boolean",
        "developerName xsd:string", "master xsd:boolean", "name xsd:string", "recordTypeId tns:ID~"),
    "ScopeInfo": ("label xsd:string", "name xsd:string"),
    "ApiFault": ("exceptionCode fns:ExceptionCode", "exceptionMessage xsd:string",
        "extendedErrorDetails tns:ExtendedErrorDetails*~", "upgradeURL xsd:string?",
        "upgradeMessage xsd:string?"),
    "ApiQueryFault": ("extends fns:ApiFault", "row xsd:int", "column xsd:int"),
    "LoginFault": ("extends fns:ApiFault",),
    "InvalidQueryLocatorFault": ("extends fns:ApiFault",),
    "InvalidIdFault": ("extends fns:ApiFault",),
    "UnexpectedErrorFault": ("extends fns:ApiFault",),
    "InvalidFieldFault": ("extends fns:ApiQueryFault",),
    "InvalidSObjectFault": ("extends fns:ApiQueryFault",),
    "MalformedQueryFault": ("extends fns:ApiQueryFault",),
    # search() (issue 12), generated the same way from partner-66.wsdl.
    "SearchResult": ("queryId xsd:string", "searchRecords tns:SearchRecord*",
        "searchResultsMetadata tns:SearchResultsMetadata?~"),
    "SearchRecord": ("record ens:sObject", "searchRecordMetadata tns:SearchRecordMetadata?",
        "snippet tns:SearchSnippet?~"),
    "SearchRecordMetadata": ("searchPromoted xsd:boolean", "spellCorrected xsd:boolean"),
    "SearchSnippet": ("text xsd:string?~", "wholeFields tns:NameValuePair*"),
    "NameValuePair": ("name xsd:string", "value xsd:string"),
    "SearchResultsMetadata": ("entityLabelMetadata tns:LabelsSearchMetadata*",
        "entityMetadata tns:EntitySearchMetadata*", "status tns:SearchStatus?~"),
    "LabelsSearchMetadata": ("entityFieldLabels tns:NameValuePair*", "entityName xsd:string"),
    "EntitySearchMetadata": ("entityName xsd:string", "errorMetadata tns:EntityErrorMetadata?",
        "fieldMetadata tns:FieldLevelSearchMetadata*", "intentQueryMetadata tns:EntityIntentQueryMetadata?",
        "searchPromotionMetadata tns:EntitySearchPromotionMetadata?",
        "spellCorrectionMetadata tns:EntitySpellCorrectionMetadata?", "status tns:SearchStatus?~"),
    "FieldLevelSearchMetadata": ("label xsd:string~", "name xsd:string", "type xsd:string~"),
    "EntitySpellCorrectionMetadata": ("correctedQuery xsd:string", "hasNonCorrectedResults xsd:boolean"),
    "EntitySearchPromotionMetadata": ("promotedResultCount xsd:int",),
    "EntityIntentQueryMetadata": ("intentQuery xsd:boolean", "message xsd:string~"),
    "EntityErrorMetadata": ("errorCode xsd:string~", "message xsd:string~"),
    "SearchStatus": ("code xsd:string", "message xsd:string"),
    "MalformedSearchFault": ("extends fns:ApiQueryFault",),
    "DescribeLayoutButton": ("behavior tns:WebLinkWindowType?~", "colors tns:DescribeColor*",
        "content xsd:string?~", "contentSource tns:WebLinkType?~", "custom xsd:boolean",
        "encoding xsd:string?~", "height xsd:int?~", "icons tns:DescribeIcon*", "label xsd:string~",
        "menubar xsd:boolean~", "name xsd:string~", "overridden xsd:boolean", "resizeable xsd:boolean~",
        "scrollbars xsd:boolean~", "showsLocation xsd:boolean~", "showsStatus xsd:boolean~",
        "toolbar xsd:boolean~", "url xsd:string?~", "width xsd:int?~",
        "windowPosition tns:WebLinkPosition?~"),
    "DescribeLayoutButtonSection": ("detailButtons tns:DescribeLayoutButton[1..unbounded]",),
    "DescribeLayoutComponent": ("displayLines xsd:int", "tabOrder xsd:int", "type tns:layoutComponentType",
        "value xsd:string~"),
    "DescribeLayoutItem": ("editableForNew xsd:boolean", "editableForUpdate xsd:boolean", "label xsd:string~",
        "layoutComponents tns:DescribeLayoutComponent*", "placeholder xsd:boolean", "required xsd:boolean",
        "uiBehavior tns:UiBehavior*~"),
    "DescribeLayoutRow": ("layoutItems tns:DescribeLayoutItem[1..unbounded]", "numItems xsd:int"),
    "DescribeLayoutSection": ("collapsed xsd:boolean", "columns xsd:int", "heading xsd:string~",
        "layoutRows tns:DescribeLayoutRow[1..unbounded]", "layoutSectionId tns:ID~", "parentLayoutId tns:ID",
        "rows xsd:int", "tabOrder tns:TabOrderType", "useCollapsibleSection xsd:boolean",
        "useHeading xsd:boolean"),
    "DescribeLayoutFeedFilter": ("label xsd:string", "name xsd:string", "type tns:FeedLayoutFilterType"),
    "DescribeLayoutFeedView": ("feedFilters tns:DescribeLayoutFeedFilter*",),
    "OfflineLink": ("name xsd:string", "openType xsd:string", "position xsd:string", "properties xsd:string",
        "url xsd:string", "x xsd:int", "y xsd:int"),
    "DescribeQuickActionListItemResult": ("accessLevelRequired tns:ShareAccessLevel~",
        "colors tns:DescribeColor*", "iconUrl xsd:string~", "icons tns:DescribeIcon*", "label xsd:string",
        "miniIconUrl xsd:string", "quickActionName xsd:string", "targetSobjectType xsd:string~",
        "type xsd:string"),
    "DescribeQuickActionListResult": ("quickActionListItems tns:DescribeQuickActionListItemResult*",),
    "DescribeRelatedContentItem": ("describeLayoutItem tns:DescribeLayoutItem",),
    "RelatedContent": ("relatedContentItems tns:DescribeRelatedContentItem[1..unbounded]",),
    "RelatedListColumn": ("field xsd:string~", "fieldApiName xsd:string", "format xsd:string~",
        "label xsd:string", "lookupId xsd:string?~", "name xsd:string", "sortable xsd:boolean"),
    "RelatedListSort": ("ascending xsd:boolean", "column xsd:string"),
    "RelatedList": ("accessLevelRequiredForCreate tns:ShareAccessLevel~",
        "buttons tns:DescribeLayoutButton*~", "columns tns:RelatedListColumn[1..unbounded]",
        "custom xsd:boolean", "field xsd:string~", "label xsd:string", "limitRows xsd:int", "name xsd:string",
        "sobject xsd:string~", "sort tns:RelatedListSort*"),
    "DescribeLayoutSaveOption": ("defaultValue xsd:boolean", "isDisplayed xsd:boolean", "label xsd:string",
        "name xsd:string", "restHeaderName xsd:string", "soapHeaderName xsd:string"),
    "DescribeLayout": ("buttonLayoutSection tns:DescribeLayoutButtonSection?",
        "detailLayoutSections tns:DescribeLayoutSection*", "editLayoutSections tns:DescribeLayoutSection*",
        "feedView tns:DescribeLayoutFeedView?", "highlightsPanelLayoutSection tns:DescribeLayoutSection?",
        "id tns:ID~", "multirowEditLayoutSections tns:DescribeLayoutSection*",
        "offlineLinks tns:OfflineLink*", "quickActionList tns:DescribeQuickActionListResult?",
        "relatedContent tns:RelatedContent?", "relatedLists tns:RelatedList*",
        "saveOptions tns:DescribeLayoutSaveOption*"),
    "PicklistForRecordType": ("picklistName xsd:string", "picklistValues tns:PicklistEntry*~"),
    "RecordTypeMapping": ("active xsd:boolean", "available xsd:boolean",
        "defaultRecordTypeMapping xsd:boolean", "developerName xsd:string", "layoutId tns:ID",
        "master xsd:boolean", "name xsd:string", "picklistsForRecordType tns:PicklistForRecordType*~",
        "recordTypeId tns:ID~"),
    "DescribeLayoutResult": ("layouts tns:DescribeLayout[1..unbounded]",
        "recordTypeMappings tns:RecordTypeMapping*", "recordTypeSelectorRequired xsd:boolean"),
}
REFERENCE_ELEMENTS = {
    "describeLayout": ("sObjectType xsd:string", "layoutName xsd:string~", "recordTypeIds tns:ID*"),
    "describeLayoutResponse": ("result tns:DescribeLayoutResult~",),
    "search": ("searchString xsd:string",),
    "searchResponse": ("result tns:SearchResult",),
    "MalformedSearchFault": ("=> fns:MalformedSearchFault",),
    "login": ("username xsd:string", "password xsd:string"),
    "loginResponse": ("result tns:LoginResult",),
    "logout": (),
    "logoutResponse": (),
    "getUserInfo": (),
    "getUserInfoResponse": ("result tns:GetUserInfoResult",),
    "getServerTimestamp": (),
    "getServerTimestampResponse": ("result tns:GetServerTimestampResult",),
    "create": ("sObjects ens:sObject*",),
    "createResponse": ("result tns:SaveResult*",),
    "update": ("sObjects ens:sObject*",),
    "updateResponse": ("result tns:SaveResult*",),
    "upsert": ("externalIDFieldName xsd:string", "sObjects ens:sObject*"),
    "upsertResponse": ("result tns:UpsertResult*",),
    "delete": ("ids tns:ID*",),
    "deleteResponse": ("result tns:DeleteResult*",),
    "convertLead": ("leadConverts tns:LeadConvert*",),
    "convertLeadResponse": ("result tns:LeadConvertResult*",),
    "describeTabs": (),
    "describeTabsResponse": ("result tns:DescribeTabSetResult*~",),
    "merge": ("request tns:MergeRequest*",),
    "mergeResponse": ("result tns:MergeResult*",),
    "undelete": ("ids tns:ID[1..unbounded]",),
    "undeleteResponse": ("result tns:UndeleteResult[1..unbounded]",),
    "emptyRecycleBin": ("ids tns:ID[1..unbounded]",),
    "emptyRecycleBinResponse": ("result tns:EmptyRecycleBinResult[1..unbounded]",),
    "getUpdated": ("sObjectType xsd:string", "startDate xsd:dateTime", "endDate xsd:dateTime"),
    "getUpdatedResponse": ("result tns:GetUpdatedResult",),
    "getDeleted": ("sObjectType xsd:string", "startDate xsd:dateTime", "endDate xsd:dateTime"),
    "getDeletedResponse": ("result tns:GetDeletedResult",),
    "retrieve": ("fieldList xsd:string", "sObjectType xsd:string", "ids tns:ID*"),
    "retrieveResponse": ("result ens:sObject*~",),
    "query": ("queryString xsd:string",),
    "queryResponse": ("result tns:QueryResult",),
    "queryAll": ("queryString xsd:string",),
    "queryAllResponse": ("result tns:QueryResult",),
    "queryMore": ("queryLocator tns:QueryLocator",),
    "queryMoreResponse": ("result tns:QueryResult",),
    "describeSObject": ("sObjectType xsd:string",),
    "describeSObjectResponse": ("result tns:DescribeSObjectResult~",),
    "describeSObjects": ("sObjectType xsd:string[0..100]",),
    "describeSObjectsResponse": ("result tns:DescribeSObjectResult[0..100]~",),
    "describeGlobal": (),
    "describeGlobalResponse": ("result tns:DescribeGlobalResult",),
    "LoginScopeHeader": ("organizationId tns:ID", "portalId tns:ID?"),
    "CallOptions": ("client xsd:string~", "defaultNamespace xsd:string~", "returnFieldDataTypes xsd:boolean~",
        "clientLog xsd:string", "debugExceptions xsd:boolean", "platform xsd:string",
        "remoteApplication xsd:string", "uiRequestId xsd:string", "perfOption tns:PerfOption"),
    "SessionHeader": ("sessionId xsd:string",),
    "AssignmentRuleHeader": ("assignmentRuleId tns:ID~", "useDefaultRule xsd:boolean~"),
    "MruHeader": ("updateMru xsd:boolean",),
    "AllOrNoneHeader": ("allOrNone xsd:boolean",),
    "DuplicateRuleHeader": ("allowSave xsd:boolean", "includeRecordDetails xsd:boolean",
        "runAsCurrentUser xsd:boolean"),
    "LocaleOptions": ("language xsd:string?", "localizeErrors xsd:boolean?"),
    "EmailHeader": ("triggerAutoResponseEmail xsd:boolean", "triggerOtherEmail xsd:boolean",
        "triggerUserEmail xsd:boolean"),
    "QueryOptions": ("batchSize xsd:int?", "filterLanguage xsd:string?", "scope tns:queryOptionsScope"),
    "LimitInfoHeader": ("limitInfo tns:LimitInfo*",),
    "fault": ("=> fns:ApiFault",),
    "LoginFault": ("=> fns:LoginFault",),
    "InvalidQueryLocatorFault": ("=> fns:InvalidQueryLocatorFault",),
    "InvalidIdFault": ("=> fns:InvalidIdFault",),
    "UnexpectedErrorFault": ("=> fns:UnexpectedErrorFault",),
    "InvalidFieldFault": ("=> fns:InvalidFieldFault",),
    "InvalidSObjectFault": ("=> fns:InvalidSObjectFault",),
    "MalformedQueryFault": ("=> fns:MalformedQueryFault",),
}
REFERENCE_HEADERS = {
    "describeLayout": ("SessionHeader", "CallOptions", "PackageVersionHeader", "ConditionalRequestHeader"),
    "search": ("SessionHeader", "CallOptions", "PackageVersionHeader", "PatchHeader"),
    "login": ("LoginScopeHeader", "CallOptions"),
    "logout": ("SessionHeader", "CallOptions"),
    "getUserInfo": ("SessionHeader", "CallOptions"),
    "getServerTimestamp": ("SessionHeader", "CallOptions"),
    "create": ("SessionHeader", "CallOptions", "AssignmentRuleHeader", "MruHeader",
               "AllowFieldTruncationHeader",
        "DisableFeedTrackingHeader", "StreamingEnabledHeader", "AllOrNoneHeader", "DuplicateRuleHeader",
        "LocaleOptions", "DebuggingHeader", "MetadataVersionCheck", "PackageVersionHeader", "EmailHeader",
        "PartnerNetworkHeader", "PatchHeader"),
    "update": ("SessionHeader", "CallOptions", "AssignmentRuleHeader", "MruHeader",
               "AllowFieldTruncationHeader",
        "DisableFeedTrackingHeader", "StreamingEnabledHeader", "AllOrNoneHeader", "DuplicateRuleHeader",
        "LocaleOptions", "DebuggingHeader", "MetadataVersionCheck", "PackageVersionHeader",
        "ConditionalRequestHeader", "EmailHeader", "OwnerChangeOptions", "PartnerNetworkHeader",
        "PatchHeader"),
    "upsert": ("SessionHeader", "CallOptions", "AssignmentRuleHeader", "MruHeader",
               "AllowFieldTruncationHeader",
        "DisableFeedTrackingHeader", "StreamingEnabledHeader", "AllOrNoneHeader", "DuplicateRuleHeader",
        "LocaleOptions", "DebuggingHeader", "MetadataVersionCheck", "PackageVersionHeader",
        "ConditionalRequestHeader", "EmailHeader", "OwnerChangeOptions", "PatchHeader"),
    "delete": ("SessionHeader", "CallOptions", "PackageVersionHeader", "ConditionalRequestHeader",
        "UserTerritoryDeleteHeader", "EmailHeader", "AllowFieldTruncationHeader", "DisableFeedTrackingHeader",
        "StreamingEnabledHeader", "AllOrNoneHeader", "DuplicateRuleHeader", "LocaleOptions",
        "DebuggingHeader",
        "PatchHeader"),
    "describeTabs": ("SessionHeader", "CallOptions", "PackageVersionHeader"),
    "convertLead": ("SessionHeader", "CallOptions", "AllowFieldTruncationHeader", "DisableFeedTrackingHeader",
        "StreamingEnabledHeader", "DuplicateRuleHeader", "LocaleOptions", "DebuggingHeader",
        "PackageVersionHeader"),
    "merge": ("SessionHeader", "CallOptions", "AssignmentRuleHeader", "MruHeader",
              "AllowFieldTruncationHeader",
        "DisableFeedTrackingHeader", "StreamingEnabledHeader", "DuplicateRuleHeader", "LocaleOptions",
        "DebuggingHeader", "MetadataVersionCheck", "PackageVersionHeader", "EmailHeader"),
    "undelete": ("SessionHeader", "CallOptions", "AllowFieldTruncationHeader", "DisableFeedTrackingHeader",
        "StreamingEnabledHeader", "AllOrNoneHeader", "DuplicateRuleHeader", "LocaleOptions",
        "DebuggingHeader",
        "PackageVersionHeader"),
    "emptyRecycleBin": ("SessionHeader", "CallOptions"),
    "getUpdated": ("SessionHeader", "CallOptions", "PatchHeader"),
    "getDeleted": ("SessionHeader", "CallOptions", "PatchHeader"),
    "retrieve": ("SessionHeader", "CallOptions", "QueryOptions", "MruHeader", "PackageVersionHeader",
        "MetadataVersionCheck", "PatchHeader"),
    "query": ("SessionHeader", "CallOptions", "QueryOptions", "MruHeader", "PackageVersionHeader",
        "MetadataVersionCheck", "PatchHeader"),
    "queryAll": ("SessionHeader", "CallOptions", "QueryOptions", "PatchHeader"),
    "queryMore": ("SessionHeader", "CallOptions", "QueryOptions", "PatchHeader"),
    "describeSObject": ("SessionHeader", "CallOptions", "PackageVersionHeader", "ConditionalRequestHeader",
        "LocaleOptions", "PatchHeader"),
    "describeSObjects": ("SessionHeader", "CallOptions", "PackageVersionHeader", "ConditionalRequestHeader",
        "LocaleOptions", "PatchHeader"),
    "describeGlobal": ("SessionHeader", "CallOptions", "PackageVersionHeader", "ConditionalRequestHeader",
        "PatchHeader"),
}
REFERENCE_FAULTS = {
    "search": ("InvalidSObjectFault", "InvalidFieldFault", "MalformedSearchFault", "UnexpectedErrorFault"),
    "login": ("LoginFault", "UnexpectedErrorFault", "InvalidIdFault"),
    "logout": ("UnexpectedErrorFault",),
    "getUserInfo": ("UnexpectedErrorFault",),
    "getServerTimestamp": ("UnexpectedErrorFault",),
    "create": ("InvalidSObjectFault", "UnexpectedErrorFault", "InvalidIdFault", "InvalidFieldFault"),
    "update": ("InvalidSObjectFault", "UnexpectedErrorFault", "InvalidIdFault", "InvalidFieldFault"),
    "upsert": ("InvalidSObjectFault", "UnexpectedErrorFault", "InvalidIdFault", "InvalidFieldFault"),
    "delete": ("UnexpectedErrorFault",),
    "describeTabs": ("UnexpectedErrorFault",),
    "describeLayout": ("InvalidSObjectFault", "UnexpectedErrorFault", "InvalidIdFault"),
    "convertLead": ("UnexpectedErrorFault",),
    "merge": ("InvalidSObjectFault", "UnexpectedErrorFault", "InvalidIdFault", "InvalidFieldFault"),
    "undelete": ("UnexpectedErrorFault",),
    "emptyRecycleBin": ("UnexpectedErrorFault",),
    "getUpdated": ("InvalidSObjectFault", "UnexpectedErrorFault"),
    "getDeleted": ("InvalidSObjectFault", "UnexpectedErrorFault"),
    "retrieve": ("InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault", "UnexpectedErrorFault",
        "InvalidIdFault"),
    "query": ("InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault", "InvalidIdFault",
        "UnexpectedErrorFault", "InvalidQueryLocatorFault"),
    "queryAll": ("InvalidSObjectFault", "InvalidFieldFault", "MalformedQueryFault", "InvalidIdFault",
        "UnexpectedErrorFault", "InvalidQueryLocatorFault"),
    "queryMore": ("InvalidQueryLocatorFault", "UnexpectedErrorFault", "InvalidFieldFault",
                  "MalformedQueryFault"),
    "describeSObject": ("InvalidSObjectFault", "UnexpectedErrorFault"),
    "describeSObjects": ("InvalidSObjectFault", "UnexpectedErrorFault"),
    "describeGlobal": ("UnexpectedErrorFault",),
}


# ---- reading our WSDL -----------------------------------------------------------------------------------
def _occurs(element: etree._Element) -> str:
    low, high = element.get("minOccurs", "1"), element.get("maxOccurs", "1")
    return {("1", "1"): "", ("0", "1"): "?", ("0", "unbounded"): "*"}.get((low, high), f"[{low}..{high}]")


def _item(element: etree._Element) -> str:
    nil = "~" if element.get("nillable") == "true" else ""
    return f"{element.get('name')} {element.get('type')}{_occurs(element).strip()}{nil}"


def _wsdl() -> etree._ElementTree:
    return etree.parse(str(WSDL_PATH))


def _our_types() -> dict[str, tuple[str, ...]]:
    out = {}
    for complex_type in _wsdl().iter(f"{{{X}}}complexType"):
        name = complex_type.get("name")
        if name is None:
            continue
        extension = complex_type.find(f".//{{{X}}}extension")
        items = [f"extends {extension.get('base')}"] if extension is not None else []
        out[name] = tuple(items + [_item(e) for e in complex_type.iter(f"{{{X}}}element")])
    return out


def _our_elements() -> dict[str, tuple[str, ...]]:
    out = {}
    for schema in _wsdl().iter(f"{{{X}}}schema"):
        for element in schema.findall(f"{{{X}}}element"):
            if element.get("type"):
                out[element.get("name")] = (f"=> {element.get('type')}",)
            else:
                out[element.get("name")] = tuple(_item(e) for e in element.iter(f"{{{X}}}element")
                                                 if e is not element)
    return out


def _our_binding() -> dict[str, dict[str, tuple[str, ...]]]:
    binding = _wsdl().find(f"{{{W}}}binding")
    out = {}
    for operation in binding.findall(f"{{{W}}}operation"):
        assert operation.find(f"{{{S}}}operation").get("soapAction") == ""
        out[operation.get("name")] = {
            "in": tuple(h.get("part") for h in operation.find(f"{{{W}}}input").findall(f"{{{S}}}header")),
            "out": tuple(h.get("part") for h in operation.find(f"{{{W}}}output").findall(f"{{{S}}}header")),
            "faults": tuple(f.get("name") for f in operation.findall(f"{{{W}}}fault")),
        }
    return out


# ---- reading the spyne definition --------------------------------------------------------------------------
def _qname(cls: type) -> str:
    named = cls
    while not isinstance(named.get_type_name(), str):  # customize()d copies are anonymous: use the original
        named = named.__orig__ or named.__extends__
    if cls.__orig__ is not None and isinstance(cls.__orig__.get_type_name(), str):
        named = cls.__orig__
    return f"{PREFIX[named.get_namespace()]}:{named.get_type_name()}"


def _spyne_item(name: str, cls: type) -> str:
    attrs = cls.Attributes
    high = "unbounded" if attrs.max_occurs == float("inf") else str(attrs.max_occurs)
    occurs = {(1, "1"): "", (0, "1"): "?", (0, "unbounded"): "*"}.get((attrs.min_occurs, high),
                                                                    f"[{attrs.min_occurs}..{high}]")
    return f"{name} {_qname(cls)}{occurs}{'~' if attrs.nillable else ''}"


def _spyne_type(cls: type) -> tuple[str, ...]:
    base = cls.__extends__
    if base is not None and issubclass(base, partner_types.ApiFault):
        return (f"extends {_qname(base)}", *tuple(_spyne_item(n, c) for n, c in cls._type_info.items()))
    return tuple(_spyne_item(n, c) for n, c in cls.get_flat_type_info(cls).items())


METHODS = {key.partition("}")[2]: found[0] for key, found in application.interface.service_method_map.items()}


# ---- the checks
# ----------------------------------------------------------------------------------------------
def test_our_wsdl_declares_exactly_the_spyne_operations() -> None:
    port_type = _wsdl().find(f"{{{W}}}portType")
    assert sorted(o.get("name") for o in port_type.findall(f"{{{W}}}operation")) == sorted(METHODS)
    assert sorted(_our_binding()) == sorted(METHODS)
    assert _wsdl().getroot().get("targetNamespace") == "urn:partner.soap.sforce.com"


@pytest.mark.parametrize("operation", sorted(METHODS))
def test_operation_messages_headers_and_faults_match_spyne(operation: str) -> None:
    method = METHODS[operation]
    elements = _our_elements()
    assert elements[operation] == _spyne_type(method.in_message)
    assert elements[f"{operation}Response"] == _spyne_type(method.out_message)
    binding = _our_binding()[operation]
    assert binding["in"] == tuple(h.get_type_name() for h in method.in_header or ())
    assert binding["faults"] == tuple(f.get_type_name() for f in method.faults or ())
    # Every response but login's carries LimitInfoHeader (Partner binding).
    assert binding["out"] == (() if operation == "login" else ("LimitInfoHeader",))


@pytest.mark.parametrize("operation", sorted(METHODS))
def test_operation_matches_salesforce(operation: str) -> None:
    elements = _our_elements()
    assert elements[operation] == REFERENCE_ELEMENTS[operation]
    assert elements[f"{operation}Response"] == REFERENCE_ELEMENTS[f"{operation}Response"]
    ours = _our_binding()[operation]
    assert ours["faults"] == REFERENCE_FAULTS[operation]
    # A subset of Salesforce's headers for the operation, in Salesforce's order.
    theirs = iter(REFERENCE_HEADERS[operation])
    assert all(header in theirs for header in ours["in"]), (ours["in"], REFERENCE_HEADERS[operation])


@pytest.mark.parametrize("name", sorted(REFERENCE_TYPES))
def test_types_match_salesforce_and_spyne(name: str) -> None:
    ours = _our_types()
    assert ours[name] == REFERENCE_TYPES[name]
    assert _spyne_type(partner_types.lookup(name)) == ours[name]


def test_every_type_and_header_of_our_wsdl_is_checked() -> None:
    assert sorted(_our_types()) == sorted(REFERENCE_TYPES)
    assert sorted(_our_elements()) == sorted(REFERENCE_ELEMENTS)


@pytest.mark.parametrize("header",
                         [*sorted({h for m in METHODS.values() for h in m.in_header or ()},
                                  key=lambda h: h.get_type_name()), partner_types.LimitInfoHeader],
                         ids=lambda h: h.get_type_name())
def test_header_blocks_match_spyne_and_salesforce(header: type) -> None:
    name = header.get_type_name()
    assert _our_elements()[name] == _spyne_type(header) == REFERENCE_ELEMENTS[name]


def test_sobject_takes_any_field_after_id() -> None:
    sobject = next(c for c in _wsdl().iter(f"{{{X}}}complexType") if c.get("name") == "sObject")
    sequence = [etree.QName(c).localname for c in sobject.find(f"{{{X}}}sequence")]
    assert sequence == ["element", "element", "element", "any"]
    wildcard = sobject.find(f"{{{X}}}sequence/{{{X}}}any")
    assert (wildcard.get("namespace"), wildcard.get("processContents"), wildcard.get("maxOccurs")) == \
        ("##targetNamespace", "lax", "unbounded")


def test_namespaces_and_the_service_address() -> None:
    root = _wsdl().getroot()
    assert {root.nsmap[p] for p in ("tns", "ens", "fns")} == {partner_types.TNS, partner_types.ENS,
                                                              partner_types.FNS}
    schemas = [s.get("targetNamespace") for s in root.iter(f"{{{X}}}schema")]
    assert schemas == [partner_types.ENS, partner_types.TNS, partner_types.FNS]
    port = root.find(f"{{{W}}}service/{{{W}}}port")
    assert (port.get("name"), port.get("binding")) == ("Soap", "tns:SoapBinding")
    assert port.find(f"{{{S}}}address").get("location").endswith("/services/Soap/u/66.0")


def test_the_served_wsdl_points_at_the_url_asked() -> None:
    from sfmock.soap.wsdl import document

    served = etree.fromstring(document("http://127.0.0.1:9999/services/Soap/u/59.0"))
    address = served.find(f"{{{W}}}service/{{{W}}}port/{{{S}}}address")
    assert address.get("location") == "http://127.0.0.1:9999/services/Soap/u/59.0"
    assert Path(WSDL_PATH).read_bytes().count(b"<soap:address") == 1
