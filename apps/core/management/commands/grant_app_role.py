"""Give the application's PostgreSQL role what it needs, and no more (docs/operations.md).

Run as the role that owns the tables (the one that runs migrations), after every `migrate`.
The application's role may read and write the tables, but only read and append to the audit
log; not being the owner, it can neither TRUNCATE a table nor switch its triggers off.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Grant the application's (non-owner) PostgreSQL role SELECT, INSERT, UPDATE and DELETE "
        "on casemgr's tables, and only SELECT and INSERT on the audit log. Run as the owner."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role gunicorn and the Celery workers connect as.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL.")
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolbypassrls, rolname = current_user FROM pg_roles "
                "WHERE rolname = %s",
                [role],
            )
            found = cursor.fetchone()
            if found is None:
                raise CommandError(f"No PostgreSQL role {role!r}: create it first.")
            superuser, bypass_rls, is_me = found
            if superuser or bypass_rls or is_me:
                raise CommandError(
                    f"{role!r} must be a role of its own that is not a superuser and does not "
                    "own the tables: the owner may TRUNCATE them and switch their triggers off."
                )
            cursor.execute("SELECT current_schema()")
            schema = quote(cursor.fetchone()[0])
            cursor.execute("SELECT current_user")
            owner = quote(cursor.fetchone()[0])
            grantee = quote(role)
            audit = quote(AuditEntry._meta.db_table)
            statements = [
                f"GRANT USAGE ON SCHEMA {schema} TO {grantee}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} "
                f"TO {grantee}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {grantee}",
                # Tables later migrations create are usable before this command runs again.
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {grantee}",
                f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
                f"GRANT USAGE, SELECT ON SEQUENCES TO {grantee}",
                # The audit log: read and append only.
                f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {grantee}",
                f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} "
                f"FROM {grantee}",
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(
                f"{role} may use casemgr's tables; on {AuditEntry._meta.db_table} only SELECT "
                "and INSERT."
            )
        )
