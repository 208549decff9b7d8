"""The case page's "Same person" panel: the records linked or merged with this one."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.forms import MultilineField

from .linking import linked_person_ids, may_link, reason_visible_to
from .models import Case, PersonLink
from .selectors import case_list_for_user


class LinkForm(forms.Form):
    other_reference = forms.CharField(
        label=_("Reference of the other case"),
        max_length=32,
        help_text=_("For example KZ-2026-000123."),
    )
    kind = forms.ChoiceField(
        label=_("What to record"),
        choices=[
            (PersonLink.Kind.LINK, _("Link: keep both records, treat them as one person")),
            (PersonLink.Kind.MERGE, _("Merge: move this person's cases to the other record")),
        ],
        initial=PersonLink.Kind.LINK,
        widget=forms.RadioSelect,
    )
    reason = MultilineField(
        label=_("Why are they the same person?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the same passport number; confirmed with the person."),
    )

    def __init__(self, *args, merge: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not merge:
            self.fields["kind"].choices = self.fields["kind"].choices[:1]


def links_of(case: Case):
    """Active links and merges touching the case's person record or its linked records."""
    # A merge moved the case to its `other` record, so the case's own record finds it.
    people = linked_person_ids(case.person_id)
    return list(
        PersonLink.objects.filter(undone_at__isnull=True)
        .filter(Q(person_id__in=people) | Q(other_id__in=people))
        .select_related("created_by")
        .order_by("-created_at")
    )


def same_person_panel(request, case: Case) -> dict:
    user = request.user
    people = linked_person_ids(case.person_id)
    others = Case.objects.filter(person_id__in=people).exclude(pk=case.pk)
    visible = list(case_list_for_user(user).filter(pk__in=others.values("pk")).order_by("pk"))
    may = user.role in ("caseworker", "administrator") and may_link(user, case, case)
    return {
        "case": case,
        "visible": visible,
        "elsewhere": others.exclude(pk__in=[c.pk for c in visible]).exists(),
        "links": [(link, reason_visible_to(user, link)) for link in links_of(case)],
        "form": LinkForm(merge=user.role == "administrator") if may else None,
        "may_undo": may,
    }
