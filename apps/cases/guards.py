"""Rules other apps add to a case's workflow, without the cases app importing them.

A close guard is a function (case) -> str | None: a translated reason the case may not be
closed, or None. The referrals app registers "a presumed victim needs a referral" here.
"""

from collections.abc import Callable

_close_guards: list[Callable] = []


def register_close_guard(guard: Callable) -> None:
    if guard not in _close_guards:
        _close_guards.append(guard)


def close_refusals(case) -> list[str]:
    """Every reason, from every registered guard, why the case may not be closed now."""
    return [reason for guard in _close_guards if (reason := guard(case))]
