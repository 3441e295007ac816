"""The Partner API's describe results as spyne models, in Salesforce's element order (Partner WSDL v66)."""
from __future__ import annotations

from sfmock.soap.partner_types import SINCE, TNS, complex_type

ActionOverride = complex_type(
    "ActionOverride", TNS, "formFactor:string~", "isAvailableInTouch:boolean", "name:string", "pageId:ID",
    "url:string~")
ChildRelationship = complex_type(
    "ChildRelationship", TNS, "cascadeDelete:boolean", "childSObject:string", "deprecatedAndHidden:boolean",
    "field:string", "junctionIdListNames:string*~", "junctionReferenceTo:string*~",
    "relationshipName:string?", "restrictedDelete:boolean?")
FilteredLookupInfo = complex_type(
    "FilteredLookupInfo", TNS, "controllingFields:string*", "dependent:boolean", "optionalFilter:boolean")
PicklistEntry = complex_type(
    "PicklistEntry", TNS, "active:boolean", "defaultValue:boolean", "label:string~", "validFor:base64Binary?",
    "value:string")
Field = complex_type(
    "Field", TNS,
    "aggregatable:boolean", "aiPredictionField:boolean", "autoNumber:boolean", "byteLength:int",
    "calculated:boolean", "calculatedFormula:string?", "cascadeDelete:boolean?", "caseSensitive:boolean",
    "compoundFieldName:string?", "controllerName:string?", "createable:boolean", "custom:boolean",
    "dataTranslationEnabled:boolean?", "defaultValue:anyType?", "defaultValueFormula:string?",
    "defaultedOnCreate:boolean", "dependentPicklist:boolean?", "deprecatedAndHidden:boolean", "digits:int",
    "displayLocationInDecimal:boolean?", "encrypted:boolean?", "externalId:boolean?", "extraTypeInfo:string?",
    "filterable:boolean", "filteredLookupInfo:FilteredLookupInfo?~", "formulaTreatNullNumberAsZero:boolean?",
    "groupable:boolean", "highScaleNumber:boolean?", "htmlFormatted:boolean?", "idLookup:boolean",
    "inlineHelpText:string?", "label:string", "length:int", "mask:string?", "maskType:string?", "name:string",
    "nameField:boolean", "namePointing:boolean?", "nillable:boolean", "permissionable:boolean",
    "picklistValues:PicklistEntry*~", "polymorphicForeignKey:boolean", "precision:int",
    "queryByDistance:boolean", "referenceTargetField:string?", "referenceTo:string*~",
    "relationshipName:string?", "relationshipOrder:int?", "restrictedDelete:boolean?",
    "restrictedPicklist:boolean", "scale:int", "searchPrefilterable:boolean", "soapType:soapType",
    "sortable:boolean?", "type:fieldType", "unique:boolean", "updateable:boolean",
    "writeRequiresMasterRead:boolean?")
NamedLayoutInfo = complex_type("NamedLayoutInfo", TNS, "name:string")
RecordTypeInfo = complex_type(
    "RecordTypeInfo", TNS, "active:boolean", "available:boolean", "defaultRecordTypeMapping:boolean",
    "developerName:string", "master:boolean", "name:string", "recordTypeId:ID~")
ScopeInfo = complex_type("ScopeInfo", TNS, "label:string", "name:string")
DescribeSObjectResult = complex_type(
    "DescribeSObjectResult", TNS,
    "actionOverrides:ActionOverride*~", "activateable:boolean", "associateEntityType:string~",
    "associateParentEntity:string~", "childRelationships:ChildRelationship*", "compactLayoutable:boolean",
    "createable:boolean", "custom:boolean", "customSetting:boolean", "dataTranslationEnabled:boolean?",
    "deepCloneable:boolean", "defaultImplementation:string~", "deletable:boolean",
    "deprecatedAndHidden:boolean", "feedEnabled:boolean", "fields:Field*~", "hasSubtypes:boolean",
    "idEnabled:boolean", "implementedBy:string~", "implementsInterfaces:string~", "isInterface:boolean",
    "isSubtype:boolean", "keyPrefix:string~",
    "label:string", "labelPlural:string", "layoutable:boolean", "listviewable:boolean?",
    "lookupLayoutable:boolean?", "mergeable:boolean", "mruEnabled:boolean", "name:string",
    "namedLayoutInfos:NamedLayoutInfo*", "networkScopeFieldName:string~", "queryable:boolean",
    "recordTypeInfos:RecordTypeInfo*", "replicateable:boolean", "retrieveable:boolean",
    "searchLayoutable:boolean?", "searchable:boolean", "supportedScopes:ScopeInfo*~", "triggerable:boolean?",
    "undeletable:boolean", "updateable:boolean", "urlDetail:string~", "urlEdit:string~", "urlNew:string~")
DescribeGlobalSObjectResult = complex_type(
    "DescribeGlobalSObjectResult", TNS,
    "activateable:boolean", "associateEntityType:string~", "associateParentEntity:string~",
    "createable:boolean", "custom:boolean", "customSetting:boolean", "dataTranslationEnabled:boolean?",
    "deepCloneable:boolean",
    "deletable:boolean", "deprecatedAndHidden:boolean", "feedEnabled:boolean", "hasSubtypes:boolean",
    "idEnabled:boolean", "isInterface:boolean", "isSubtype:boolean", "keyPrefix:string~", "label:string",
    "labelPlural:string", "layoutable:boolean", "mergeable:boolean", "mruEnabled:boolean", "name:string",
    "queryable:boolean", "replicateable:boolean", "retrieveable:boolean", "searchable:boolean",
    "triggerable:boolean", "undeletable:boolean", "updateable:boolean")
DescribeGlobalResult = complex_type(
    "DescribeGlobalResult", TNS, "encoding:string~", "maxBatchSize:int",
    "sobjects:DescribeGlobalSObjectResult*")

# First API version whose Partner WSDL has each element (same sources as partner_types.SINCE): a zeep client
# built from an older WSDL rejects the newer elements, so the writer leaves them out for older versions.
SINCE.update({
    **{("DescribeSObjectResult", name): version for name, version in (
        ("actionOverrides", 32.0), ("idEnabled", 35.0), ("mruEnabled", 35.0), ("supportedScopes", 35.0),
        ("networkScopeFieldName", 36.0), ("hasSubtypes", 38.0), ("isSubtype", 39.0),
        ("dataTranslationEnabled", 46.0), ("deepCloneable", 47.0), ("defaultImplementation", 47.0),
        ("implementedBy", 47.0), ("implementsInterfaces", 47.0), ("isInterface", 47.0),
        ("listviewable", 48.0), ("lookupLayoutable", 48.0), ("associateEntityType", 50.0),
        ("associateParentEntity", 50.0))},
    **{("DescribeGlobalSObjectResult", name): version for name, version in (
        ("idEnabled", 35.0), ("mruEnabled", 37.0), ("hasSubtypes", 38.0), ("isSubtype", 39.0),
        ("dataTranslationEnabled", 46.0), ("deepCloneable", 47.0), ("isInterface", 47.0),
        ("associateEntityType", 50.0), ("associateParentEntity", 50.0))},
    **{("Field", name): version for name, version in (
        ("referenceTargetField", 32.0), ("highScaleNumber", 33.0), ("encrypted", 34.0),
        ("aggregatable", 36.0), ("defaultValue", 36.0), ("compoundFieldName", 38.0),
        ("polymorphicForeignKey", 40.0),
        ("searchPrefilterable", 40.0), ("aiPredictionField", 43.0), ("formulaTreatNullNumberAsZero", 43.0),
        ("dataTranslationEnabled", 46.0))},
    ("ChildRelationship", "junctionReferenceTo"): 33.0,
    ("ChildRelationship", "junctionIdListNames"): 37.0,
    ("RecordTypeInfo", "master"): 35.0,
    ("RecordTypeInfo", "active"): 41.0,
    ("RecordTypeInfo", "developerName"): 43.0,
    ("ActionOverride", "formFactor"): 36.0,
})
