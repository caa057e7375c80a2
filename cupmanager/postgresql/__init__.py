"""Django's PostgreSQL backend with a connection health check that waits, as PgBouncer's does."""
