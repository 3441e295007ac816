"""The Partner and Enterprise APIs as spyne services: every supported operation with its arguments, result,
headers and faults as Salesforce's WSDL declares them (the contract test compares this with wsdl/partner.wsdl
and with Salesforce's own definitions). The methods are thin: app/soap/login.py and operations.py do the
work."""
from __future__ import annotations

from typing import Any

from spyne import Application, ServiceBase, rpc

from sfmock.soap import describe_types as d
from sfmock.soap import layout_types as lt
from sfmock.soap import layouts
from sfmock.soap import login as session
from sfmock.soap import operations as ops
from sfmock.soap import partner_types as t
from sfmock.soap import replication as replicating
from sfmock.soap.family import FAMILIES, PARTNER, Family
from sfmock.soap.partner_types import element

_SESSION = (t.SessionHeader, t.CallOptions)
_WRITE_HEADERS = (*_SESSION, t.AssignmentRuleHeader, t.MruHeader, t.AllOrNoneHeader, t.DuplicateRuleHeader,
                  t.LocaleOptions, t.EmailHeader)
_WRITE_FAULTS = (t.InvalidSObjectFault, t.UnexpectedErrorFault, t.InvalidIdFault, t.InvalidFieldFault)
_QUERY_FAULTS = (t.InvalidSObjectFault, t.InvalidFieldFault, t.MalformedQueryFault, t.InvalidIdFault,
                 t.UnexpectedErrorFault, t.InvalidQueryLocatorFault)


def _arg(spec: str) -> type[Any]:
    return element(spec)[1]


def _many(cls: type[Any], limit: int | str = "unbounded", nillable: bool = False) -> type[Any]:
    return cls.customize(min_occurs=0, max_occurs=limit, nillable=nillable)


def _ids_required(cls: type[Any] = t.ID) -> type[Any]:
    """`ids` / `result` of undelete and emptyRecycleBin: minOccurs 1, unbounded (Partner WSDL)."""
    return cls.customize(min_occurs=1, max_occurs="unbounded", nillable=False)


def _one(cls: type[Any], nillable: bool = False) -> type[Any]:
    return cls.customize(min_occurs=1, max_occurs=1, nillable=nillable)


def _rpc(*args: type[Any], headers: tuple[type[Any], ...], returns: type[Any] | None,
         faults: tuple[type[Any], ...]) -> Any:
    options: dict[str, Any] = {"_in_header": headers, "_throws": faults}
    if returns is not None:
        options |= {"_returns": returns, "_out_variable_name": "result"}
    return rpc(*args, **options)


def service_class() -> type[ServiceBase]:
    """A new service class with every operation: spyne resolves each method's messages into the namespace of
    the Application that takes it, so each family gets its own class (same operations, same code)."""

    class SforceService(ServiceBase):
        """Operations are matched by the Body's first element; SOAPAction is never consulted."""

        @classmethod
        def call_wrapper(cls, ctx, args=None):
            # Keep the operation's exception on our context: spyne would log every fault with a traceback.
            try:
                return super().call_wrapper(ctx, args)
            except Exception as error:  # noqa: BLE001 - handed to the door's one fault mapping
                ctx.udc.error = error
                return None

        @_rpc(_arg("username:string"), _arg("password:string"), headers=(t.LoginScopeHeader, t.CallOptions),
              returns=_one(t.LoginResult), faults=(t.LoginFault, t.UnexpectedErrorFault, t.InvalidIdFault))
        def login(ctx, username, password):
            return session.login(ctx.udc, username, password)

        @_rpc(headers=_SESSION, returns=None, faults=(t.UnexpectedErrorFault,))
        def logout(ctx):
            session.logout(ctx.udc)

        @_rpc(headers=_SESSION, returns=_one(t.GetUserInfoResult), faults=(t.UnexpectedErrorFault,))
        def getUserInfo(ctx):
            return session.get_user_info(ctx.udc)

        @_rpc(headers=_SESSION, returns=_one(t.GetServerTimestampResult), faults=(t.UnexpectedErrorFault,))
        def getServerTimestamp(ctx):
            return session.get_server_timestamp(ctx.udc)

        @_rpc(_many(t.SObject), headers=_WRITE_HEADERS, returns=_many(t.SaveResult), faults=_WRITE_FAULTS)
        def create(ctx, sObjects):
            return ops.create(ctx.udc, sObjects)

        @_rpc(_many(t.SObject), headers=_WRITE_HEADERS, returns=_many(t.SaveResult), faults=_WRITE_FAULTS)
        def update(ctx, sObjects):
            return ops.update(ctx.udc, sObjects)

        @_rpc(_arg("externalIDFieldName:string"), _many(t.SObject), headers=_WRITE_HEADERS,
              returns=_many(t.UpsertResult), faults=_WRITE_FAULTS)
        def upsert(ctx, externalIDFieldName, sObjects):
            return ops.upsert(ctx.udc, externalIDFieldName, sObjects)

        @_rpc(
            _many(t.ID),
            headers=(*_SESSION, t.EmailHeader, t.AllOrNoneHeader, t.DuplicateRuleHeader, t.LocaleOptions),
            returns=_many(t.DeleteResult),
            faults=(t.UnexpectedErrorFault,),
        )
        def delete(ctx, ids):
            return ops.delete(ctx.udc, ids)

        @_rpc(_many(t.LeadConvert), headers=(*_SESSION, t.DuplicateRuleHeader, t.LocaleOptions),
              returns=_many(t.LeadConvertResult), faults=(t.UnexpectedErrorFault,))
        def convertLead(ctx, leadConverts):
            return ops.convert_lead(ctx.udc, leadConverts)

        @_rpc(headers=_SESSION, returns=_many(t.DescribeTabSetResult, nillable=True),
              faults=(t.UnexpectedErrorFault,))
        def describeTabs(ctx):
            return ops.describe_tabs(ctx.udc)

        @_rpc(_arg("sObjectType:string"), _arg("layoutName:string~"), _many(t.ID), headers=_SESSION,
              returns=_one(lt.DescribeLayoutResult, nillable=True),
              faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault, t.InvalidIdFault))
        def describeLayout(ctx, sObjectType, layoutName, recordTypeIds):
            return layouts.describe_layout(ctx.udc, sObjectType, layoutName, recordTypeIds)

        @_rpc(_many(t.MergeRequest),
              headers=(*_SESSION, t.AssignmentRuleHeader, t.MruHeader, t.DuplicateRuleHeader, t.LocaleOptions,
                       t.EmailHeader),
              returns=_many(t.MergeResult), faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault,
                                                     t.InvalidIdFault, t.InvalidFieldFault))
        def merge(ctx, request):
            return ops.merge(ctx.udc, request)

        @_rpc(_ids_required(), headers=(*_SESSION, t.AllOrNoneHeader, t.DuplicateRuleHeader, t.LocaleOptions),
              returns=_ids_required(t.UndeleteResult), faults=(t.UnexpectedErrorFault,))
        def undelete(ctx, ids):
            return ops.undelete(ctx.udc, ids)

        @_rpc(_ids_required(), headers=_SESSION, returns=_ids_required(t.EmptyRecycleBinResult),
              faults=(t.UnexpectedErrorFault,))
        def emptyRecycleBin(ctx, ids):
            return ops.empty_recycle_bin(ctx.udc, ids)

        @_rpc(_arg("sObjectType:string"), _arg("startDate:dateTime"), _arg("endDate:dateTime"),
              headers=_SESSION, returns=_one(t.GetUpdatedResult),
              faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault))
        def getUpdated(ctx, sObjectType, startDate, endDate):
            return replicating.get_updated(ctx.udc, sObjectType, startDate, endDate)

        @_rpc(_arg("sObjectType:string"), _arg("startDate:dateTime"), _arg("endDate:dateTime"),
              headers=_SESSION, returns=_one(t.GetDeletedResult),
              faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault))
        def getDeleted(ctx, sObjectType, startDate, endDate):
            return replicating.get_deleted(ctx.udc, sObjectType, startDate, endDate)

        @_rpc(_arg("fieldList:string"), _arg("sObjectType:string"), _many(t.ID),
              headers=(*_SESSION, t.QueryOptions, t.MruHeader), returns=_many(t.SObject, nillable=True),
              faults=(t.InvalidSObjectFault, t.InvalidFieldFault, t.MalformedQueryFault,
                      t.UnexpectedErrorFault, t.InvalidIdFault))
        def retrieve(ctx, fieldList, sObjectType, ids):
            return ops.retrieve(ctx.udc, fieldList, sObjectType, ids)

        @_rpc(_arg("queryString:string"), headers=(*_SESSION, t.QueryOptions, t.MruHeader),
              returns=_one(t.QueryResult), faults=_QUERY_FAULTS)
        def query(ctx, queryString):
            return ops.query(ctx.udc, queryString)

        @_rpc(_arg("queryString:string"), headers=(*_SESSION, t.QueryOptions), returns=_one(t.QueryResult),
              faults=_QUERY_FAULTS)
        def queryAll(ctx, queryString):
            return ops.query(ctx.udc, queryString, include_deleted=True)

        @_rpc(_arg("searchString:string"), headers=_SESSION, returns=_one(t.SearchResult),
              faults=(t.InvalidSObjectFault, t.InvalidFieldFault, t.MalformedSearchFault,
                      t.UnexpectedErrorFault))
        def search(ctx, searchString):
            return ops.search(ctx.udc, searchString)

        @_rpc(_arg("queryLocator:QueryLocator"), headers=(*_SESSION, t.QueryOptions),
              returns=_one(t.QueryResult),
              faults=(t.InvalidQueryLocatorFault, t.UnexpectedErrorFault, t.InvalidFieldFault,
                      t.MalformedQueryFault))
        def queryMore(ctx, queryLocator):
            return ops.query_more(ctx.udc, queryLocator)

        @_rpc(_arg("sObjectType:string"), headers=(*_SESSION, t.LocaleOptions),
              returns=_one(d.DescribeSObjectResult, nillable=True),
              faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault))
        def describeSObject(ctx, sObjectType):
            return ops.describe_sobject(ctx.udc, sObjectType)

        @_rpc(_many(_arg("sObjectType:string"), 100),
              headers=(*_SESSION, t.LocaleOptions),
              returns=_many(d.DescribeSObjectResult, 100, nillable=True),
              faults=(t.InvalidSObjectFault, t.UnexpectedErrorFault))
        def describeSObjects(ctx, sObjectType):
            return ops.describe_sobjects(ctx.udc, sObjectType)

        @_rpc(headers=_SESSION, returns=_one(d.DescribeGlobalResult), faults=(t.UnexpectedErrorFault,))
        def describeGlobal(ctx):
            return ops.describe_global(ctx.udc)

    return SforceService


def build_application(family: Family = PARTNER) -> Application:
    """The family's spyne Application (no spyne protocol in the path: app/soap/dispatch.py parses and
    writes)."""
    return Application([service_class()], tns=family.tns, name="SforceService")


applications = {family.name: build_application(family) for family in FAMILIES}
application = applications[PARTNER.name]
