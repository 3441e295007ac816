"""The /_sfmock test-control API: reset, outbox, orgs."""
