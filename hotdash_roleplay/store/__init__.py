"""Storage: SQLAlchemy 2 ORM models, engine set-up and Alembic migrations."""
