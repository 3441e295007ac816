"""Org definitions: Salesforce metadata (SFDX or MDAPI format) + sfmock-org.toml, read into an OrgBundle."""
