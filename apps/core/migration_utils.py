"""Helpers for data migrations that switch existing columns to encrypted fields."""

from django.db import connections, router
from django.db.models import Q


def reencrypt(model, fields, *, compute=None, batch_size: int = 500) -> None:
    """Rewrite `fields` of every row through the (encrypted) model fields.

    Reading passes legacy plain values through (apps.core.crypto.decrypt); writing encrypts.
    `compute(obj)` may return extra column values to write (search hashes). Rows are read in
    primary-key order a batch at a time and each batch is written in one statement
    (`write_rows`), so that a national table is not rewritten one UPDATE per row.
    """
    rows = model._base_manager.order_by("pk")
    if compute is None:
        # Nothing to encrypt in a row whose fields are all empty, and only they are read.
        rows = _with_values(rows, fields)
    last_pk = None
    while True:
        page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        batch = list(page[:batch_size])
        if not batch:
            return
        written = list(fields)
        if compute is not None:
            for obj in batch:
                for name, value in compute(obj).items():
                    setattr(obj, name, value)
                    if name not in written:
                        written.append(name)
        write_rows(model, batch, written)
        last_pk = batch[-1].pk


def write_rows(model, batch, update_fields: list[str]) -> None:
    """One UPDATE for the batch. On PostgreSQL it joins a VALUES list (Django's bulk_update
    writes a CASE over every row for every column, which makes rewriting a national table
    take hours); elsewhere bulk_update."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._base_manager.bulk_update(batch, update_fields)
        return
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(name) for name in update_fields]
    columns = [quote(field.column) for field in fields]
    assignments = ", ".join(f"{column} = v.{column}" for column in columns)
    row = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    params = []
    for obj in batch:
        params.append(obj.pk)
        params.extend(
            field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields
        )
    pk = quote(meta.pk.column)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 (names quoted)
        f"FROM (VALUES {', '.join([row] * len(batch))}) AS v(_pk, {', '.join(columns)}) "
        f"WHERE t.{pk} = v._pk"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def decrypt_rows(model, fields, *, batch_size: int = 500) -> None:
    """The reverse of `reencrypt`: write `fields` back in clear (before a migration returns
    the columns to plain, shorter types)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [quote(meta.get_field(name).column) for name in fields]
    sql = (
        f"UPDATE {quote(meta.db_table)} SET "  # noqa: S608 (names quoted)
        + ", ".join(f"{column} = %s" for column in columns)
        + f" WHERE {quote(meta.pk.column)} = %s"
    )
    rows = _with_values(model._base_manager.order_by("pk"), fields)
    with connection.cursor() as cursor:
        for obj in rows.iterator(chunk_size=batch_size):
            cursor.execute(sql, [*(getattr(obj, name) for name in fields), obj.pk])


def _with_values(rows, fields):
    """The rows where one of `fields` holds a value, with those fields alone."""
    empty = Q()
    for name in fields:
        empty &= Q(**{f"{name}__isnull": True}) | Q(**{name: ""})
    return rows.exclude(empty).only("pk", *fields)
