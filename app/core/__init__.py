"""The domain core: records, rules, owners and mail. It imports no HTTP, XML or SQL library."""
