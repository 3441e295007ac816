"""The Metadata API as a spyne service: each operation's arguments, result and headers as Salesforce's
Metadata WSDL v66 declares them. The methods are thin: app/metadata/operations.py does the work."""
from __future__ import annotations

from spyne import Application, ServiceBase, rpc

from sfmock.metadata import operations as ops
from sfmock.metadata import types as t
from sfmock.metadata.types import arg, many, one

_HEADERS = (t.SessionHeader, t.CallOptions)


def _rpc(*args: type, returns: type, headers: tuple[type, ...] = _HEADERS):
    return rpc(*args, _in_header=headers, _returns=returns, _out_variable_name="result")


class MetadataService(ServiceBase):
    """Operations are matched by the Body's first element (simple-salesforce's SOAPAction and path suffix,
    `/deployRequest`, are not consulted)."""

    @classmethod
    def call_wrapper(cls, ctx, args=None):
        # Keep the operation's exception on our context: spyne would log every fault with a traceback.
        try:
            return super().call_wrapper(ctx, args)
        except Exception as error:  # handed to the door's one fault mapping
            ctx.udc.error = error
            return None

    @_rpc(arg("ZipFile:base64Binary"), arg("DeployOptions:DeployOptions"), returns=one(t.AsyncResult))
    def deploy(ctx, ZipFile, DeployOptions):
        return ops.deploy(ctx.udc, ZipFile, DeployOptions or {})

    @_rpc(arg("asyncProcessId:ID"), arg("includeDetails:boolean"), returns=one(t.DeployResult))
    def checkDeployStatus(ctx, asyncProcessId, includeDetails):
        return ops.check_deploy_status(ctx.udc, asyncProcessId, includeDetails)

    @_rpc(arg("String:ID"), arg("id:ID?"), returns=one(t.CancelDeployResult))
    def cancelDeploy(ctx, String, id):
        return ops.cancel_deploy(ctx.udc, String or id)

    @_rpc(arg("retrieveRequest:RetrieveRequest"), arg("request:RetrieveRequest?"), returns=one(t.AsyncResult))
    def retrieve(ctx, retrieveRequest, request):
        # jsforce names the part `request` (salesforce-bulk-enterprise-metadata.md §4.1): both are read.
        return ops.retrieve(ctx.udc, retrieveRequest or request or {})

    @_rpc(arg("asyncProcessId:ID"), arg("includeZip:boolean?"), returns=one(t.RetrieveResult))
    def checkRetrieveStatus(ctx, asyncProcessId, includeZip):
        return ops.check_retrieve_status(ctx.udc, asyncProcessId, includeZip)

    @_rpc(arg("asyncProcessId:ID*"), returns=many(t.AsyncResult))
    def checkStatus(ctx, asyncProcessId):
        return ops.check_status(ctx.udc, asyncProcessId)

    @_rpc(arg("queries:ListMetadataQuery*"), arg("asOfVersion:double?"), returns=many(t.FileProperties))
    def listMetadata(ctx, queries, asOfVersion):
        return ops.list_metadata(ctx.udc, queries)

    @_rpc(arg("asOfVersion:double?"), returns=one(t.DescribeMetadataResult))
    def describeMetadata(ctx, asOfVersion):
        return ops.describe_metadata(ctx.udc)

    @_rpc(arg("type:string"), arg("fullNames:string*"), returns=one(t.ReadResult))
    def readMetadata(ctx, type, fullNames):  # the WSDL's part name
        return ops.read_metadata(ctx.udc, type, fullNames)

    @_rpc(arg("metadata:anyType*"), returns=many(t.SaveResult))
    def createMetadata(ctx, metadata):
        return ops.save_metadata(ctx.udc, metadata, "create")

    @_rpc(arg("metadata:anyType*"), returns=many(t.SaveResult))
    def updateMetadata(ctx, metadata):
        return ops.save_metadata(ctx.udc, metadata, "update")

    @_rpc(arg("metadata:anyType*"), returns=many(t.UpsertResult))
    def upsertMetadata(ctx, metadata):
        return ops.save_metadata(ctx.udc, metadata, "upsert")

    @_rpc(arg("type:string"), arg("fullNames:string*"), returns=many(t.DeleteResult))
    def deleteMetadata(ctx, type, fullNames):  # the WSDL's part name
        return ops.delete_metadata(ctx.udc, type, fullNames)


application = Application([MetadataService], tns=t.MNS, name="MetadataService")
