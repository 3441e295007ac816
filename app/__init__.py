"""sfmock: a local, faithful emulator of Salesforce's SOAP and REST APIs for Leads and Cases."""
