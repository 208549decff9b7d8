"""Recompute stored screening results that lack the engine's keys (the old demo wrote them).

A complete screening whose `result` the engine cannot read is evaluated again from its answers
with the catalogue version it was recorded under, and its denormalised columns (trafficking,
forced_labour, debt_coercion) follow the new result. Answers the engine itself refuses are
left alone: the pages show such a record as unreadable rather than guess.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    # The engine is pure code over the catalogue files; it is imported (not copied) because a
    # result must be exactly what the engine computes for the stored catalogue version.
    from apps.screening.catalogue import VERSION_1, CatalogueError, get_catalogue
    from apps.screening.engine import ScreeningResult, evaluate

    Screening = apps.get_model("screening", "Screening")
    complete = Screening.objects.filter(status="complete").only(
        "pk", "answers", "result", "catalogue_version"
    )
    for screening in complete.iterator(chunk_size=2000):
        try:
            ScreeningResult.from_dict(screening.result)
            continue
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
        try:
            # Written when version 1 was the only catalogue: a record without a version is one.
            catalogue = get_catalogue(screening.catalogue_version or VERSION_1)
        except CatalogueError:
            continue
        try:
            result = evaluate(screening.answers or {}, catalogue=catalogue)
        except (ValueError, TypeError):
            continue
        Screening.objects.filter(pk=screening.pk).update(
            result=result.to_dict(),
            trafficking=result.trafficking,
            forced_labour=result.forced_labour,
            debt_coercion=result.debt_coercion,
        )


class Migration(migrations.Migration):
    dependencies = [("screening", "0004_report_year_index")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
