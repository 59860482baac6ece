"""Persistence: SQLAlchemy records, engine set-up, migrations, repositories, unit of work and read queries."""
