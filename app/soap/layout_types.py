"""describeLayout's result types as spyne models, in Salesforce's element order (Partner WSDL v66): every type
DescribeLayoutResult reaches, so that our WSDL declares it whole. sfmock fills only the layouts' detail and
edit sections and the record type mappings (sfmock.soap.layouts)."""
from __future__ import annotations

from sfmock.soap.describe_types import PicklistEntry
from sfmock.soap.partner_types import SINCE, TNS, DescribeColor, DescribeIcon, complex_type, simple_type

__all__ = ["DescribeColor", "DescribeIcon", "PicklistEntry"]  # referenced by name in the specs below

for _name in ("FeedLayoutFilterType", "ShareAccessLevel", "TabOrderType", "UiBehavior", "WebLinkPosition",
              "WebLinkType", "WebLinkWindowType", "layoutComponentType"):
    simple_type(_name)

DescribeLayoutButton = complex_type(
    "DescribeLayoutButton", TNS, "behavior:WebLinkWindowType?~", "colors:DescribeColor*", "content:string?~",
    "contentSource:WebLinkType?~", "custom:boolean", "encoding:string?~", "height:int?~",
    "icons:DescribeIcon*", "label:string~", "menubar:boolean~", "name:string~", "overridden:boolean",
    "resizeable:boolean~", "scrollbars:boolean~", "showsLocation:boolean~", "showsStatus:boolean~",
    "toolbar:boolean~", "url:string?~", "width:int?~", "windowPosition:WebLinkPosition?~")
DescribeLayoutButtonSection = complex_type(
    "DescribeLayoutButtonSection", TNS, "detailButtons:DescribeLayoutButton+")
DescribeLayoutComponent = complex_type(
    "DescribeLayoutComponent", TNS, "displayLines:int", "tabOrder:int", "type:layoutComponentType",
    "value:string~")
DescribeLayoutItem = complex_type(
    "DescribeLayoutItem", TNS, "editableForNew:boolean", "editableForUpdate:boolean", "label:string~",
    "layoutComponents:DescribeLayoutComponent*", "placeholder:boolean", "required:boolean",
    "uiBehavior:UiBehavior*~")
DescribeLayoutRow = complex_type(
    "DescribeLayoutRow", TNS, "layoutItems:DescribeLayoutItem+", "numItems:int")
DescribeLayoutSection = complex_type(
    "DescribeLayoutSection", TNS, "collapsed:boolean", "columns:int", "heading:string~",
    "layoutRows:DescribeLayoutRow+", "layoutSectionId:ID~", "parentLayoutId:ID", "rows:int",
    "tabOrder:TabOrderType", "useCollapsibleSection:boolean", "useHeading:boolean")
DescribeLayoutFeedFilter = complex_type(
    "DescribeLayoutFeedFilter", TNS, "label:string", "name:string", "type:FeedLayoutFilterType")
DescribeLayoutFeedView = complex_type(
    "DescribeLayoutFeedView", TNS, "feedFilters:DescribeLayoutFeedFilter*")
OfflineLink = complex_type(
    "OfflineLink", TNS, "name:string", "openType:string", "position:string", "properties:string",
    "url:string", "x:int", "y:int")
DescribeQuickActionListItemResult = complex_type(
    "DescribeQuickActionListItemResult", TNS, "accessLevelRequired:ShareAccessLevel~",
    "colors:DescribeColor*", "iconUrl:string~", "icons:DescribeIcon*", "label:string", "miniIconUrl:string",
    "quickActionName:string", "targetSobjectType:string~", "type:string")
DescribeQuickActionListResult = complex_type(
    "DescribeQuickActionListResult", TNS, "quickActionListItems:DescribeQuickActionListItemResult*")
DescribeRelatedContentItem = complex_type(
    "DescribeRelatedContentItem", TNS, "describeLayoutItem:DescribeLayoutItem")
RelatedContent = complex_type(
    "RelatedContent", TNS, "relatedContentItems:DescribeRelatedContentItem+")
RelatedListColumn = complex_type(
    "RelatedListColumn", TNS, "field:string~", "fieldApiName:string", "format:string~", "label:string",
    "lookupId:string?~", "name:string", "sortable:boolean")
RelatedListSort = complex_type(
    "RelatedListSort", TNS, "ascending:boolean", "column:string")
RelatedList = complex_type(
    "RelatedList", TNS, "accessLevelRequiredForCreate:ShareAccessLevel~", "buttons:DescribeLayoutButton*~",
    "columns:RelatedListColumn+", "custom:boolean", "field:string~", "label:string", "limitRows:int",
    "name:string", "sobject:string~", "sort:RelatedListSort*")
DescribeLayoutSaveOption = complex_type(
    "DescribeLayoutSaveOption", TNS, "defaultValue:boolean", "isDisplayed:boolean", "label:string",
    "name:string", "restHeaderName:string", "soapHeaderName:string")
DescribeLayout = complex_type(
    "DescribeLayout", TNS, "buttonLayoutSection:DescribeLayoutButtonSection?",
    "detailLayoutSections:DescribeLayoutSection*", "editLayoutSections:DescribeLayoutSection*",
    "feedView:DescribeLayoutFeedView?", "highlightsPanelLayoutSection:DescribeLayoutSection?", "id:ID~",
    "multirowEditLayoutSections:DescribeLayoutSection*", "offlineLinks:OfflineLink*",
    "quickActionList:DescribeQuickActionListResult?", "relatedContent:RelatedContent?",
    "relatedLists:RelatedList*", "saveOptions:DescribeLayoutSaveOption*")
PicklistForRecordType = complex_type(
    "PicklistForRecordType", TNS, "picklistName:string", "picklistValues:PicklistEntry*~")
RecordTypeMapping = complex_type(
    "RecordTypeMapping", TNS, "active:boolean", "available:boolean", "defaultRecordTypeMapping:boolean",
    "developerName:string", "layoutId:ID", "master:boolean", "name:string",
    "picklistsForRecordType:PicklistForRecordType*~", "recordTypeId:ID~")
DescribeLayoutResult = complex_type(
    "DescribeLayoutResult", TNS, "layouts:DescribeLayout+", "recordTypeMappings:RecordTypeMapping*",
    "recordTypeSelectorRequired:boolean")

# Elements the older WSDLs lack, as for RecordTypeInfo (sfmock.soap.describe_types): a zeep client built from
# an older WSDL rejects them, so the writer leaves them out below these versions.
SINCE.update({("RecordTypeMapping", "master"): 35.0, ("RecordTypeMapping", "active"): 41.0,
              ("RecordTypeMapping", "developerName"): 43.0})
