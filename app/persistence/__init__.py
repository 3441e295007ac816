"""Persistence behind the core: SQLAlchemy tables, the Store implementation, the unit of work."""
