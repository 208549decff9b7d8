"""Helpers for data migrations that switch existing columns to encrypted fields."""


def reencrypt(model, fields, *, compute=None, batch_size: int = 500) -> None:
    """Rewrite `fields` of every row through the (encrypted) model fields.

    Reading passes legacy plain values through (apps.core.crypto.decrypt); writing encrypts.
    `compute(obj)` may return extra column values to write (search hashes).
    """
    for obj in model.objects.all().iterator(chunk_size=batch_size):
        values = {field: getattr(obj, field) for field in fields}
        if compute is not None:
            values.update(compute(obj))
        model.objects.filter(pk=obj.pk).update(**values)
