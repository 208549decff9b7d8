"""The sign-in throttle: one per username and one per client address, shared by every way in
(the sign-in form, its code step, the Django admin, which signs in through them, and the API's
token endpoint), with exponential back-off instead of a lock (docs/security.md, "Signing in").

Each key (a username, an address) counts its failures. The first CASEMGR_LOGIN_FREE_FAILURES
(for an address CASEMGR_LOGIN_ADDRESS_FREE_FAILURES) cost nothing; after them each attempt must
wait, CASEMGR_LOGIN_BACKOFF_SECONDS after the last free failure and twice as long after each
further one, up to CASEMGR_LOGIN_ACCOUNT_MAX_WAIT for a username and
CASEMGR_LOGIN_ADDRESS_MAX_WAIT for an address. An attempt refused while a username waits changes
nothing of the username's, so nobody can keep its wait going by trying more often, but counts as
a failure for the address it came from; a sign-in that completes (password and, where the user
has one, the code) clears its username's count. Failures are forgotten
CASEMGR_LOGIN_FORGET_SECONDS after the last one.

So one address can hold a username back at most CASEMGR_LOGIN_ACCOUNT_MAX_WAIT after each
attempt it is let through, and its attempts thin out to one per CASEMGR_LOGIN_ADDRESS_MAX_WAIT
within its first day of trying (tests/security/test_sign_in_attacks.py measures it).

A wait is a key in Django's cache that the attempt adds atomically before checking the password
or code ("the gate"): of many attempts at the same moment, one passes. Keys hold a hash of the
username or address, never the value itself.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from apps.core.throttling import client_address

PREFIX = "casemgr:signin"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class Scope:
    kind: str  # "account" or "address"
    value: str

    @property
    def free(self) -> int:
        if self.kind == "address":
            return _setting("CASEMGR_LOGIN_ADDRESS_FREE_FAILURES", 20)
        return _setting("CASEMGR_LOGIN_FREE_FAILURES", 5)

    @property
    def cap(self) -> int:
        if self.kind == "address":
            return _setting("CASEMGR_LOGIN_ADDRESS_MAX_WAIT", 24 * 60 * 60)
        return _setting("CASEMGR_LOGIN_ACCOUNT_MAX_WAIT", 15 * 60)

    @property
    def key(self) -> str:
        digest = hashlib.sha256(f"{self.kind}:{self.value}".encode()).hexdigest()[:40]
        return f"{PREFIX}:{self.kind}:{digest}"

    def wait(self, step: int) -> int:
        """The wait after the step-th failure beyond the free ones (step 1: the base wait)."""
        base = _setting("CASEMGR_LOGIN_BACKOFF_SECONDS", 30)
        return int(min(base * 2 ** min(step - 1, 40), self.cap))


class SignInThrottled(ValidationError):
    """An attempt refused while its username or address must wait; `wait` is in seconds."""

    def __init__(self, wait: int):
        self.wait = max(1, int(math.ceil(wait)))
        super().__init__(throttled_message(self.wait), code="throttled")


def throttled_message(wait: int) -> str:
    """When to try again, the same for a username that exists and one that does not."""
    if wait < 60:
        return ngettext(
            "Too many failed sign-in attempts. Try again in %(seconds)d second.",
            "Too many failed sign-in attempts. Try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
    minutes = int(math.ceil(wait / 60))
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _forget_after() -> int:
    return _setting("CASEMGR_LOGIN_FORGET_SECONDS", 24 * 60 * 60)


def _count(scope: Scope) -> int:
    return int(cache.get(f"{scope.key}:n") or 0)


def _remaining(scope: Scope) -> float:
    until = cache.get(f"{scope.key}:gate")
    return max(0.0, float(until) - time.time()) if until else 0.0


def _arm(scope: Scope, seconds: int) -> bool:
    """Add the gate for `seconds` (atomic: False if it is already there)."""
    gate = f"{scope.key}:gate"
    if cache.add(gate, time.time() + seconds, timeout=seconds):
        return True
    if _remaining(scope) > 0:
        return False
    # A gate past its time that the cache still holds (the cache's clock is behind ours).
    cache.delete(gate)
    return cache.add(gate, time.time() + seconds, timeout=seconds)


def _count_failure(scope: Scope, *, armed: bool = False) -> None:
    counter = f"{scope.key}:n"
    cache.add(counter, 0, timeout=_forget_after())
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, timeout=_forget_after())
        count = 1
    cache.touch(counter, _forget_after())
    if count >= scope.free and not armed:
        # The last free failure (or one that raced past it): the wait begins.
        _arm(scope, scope.wait(max(1, count - scope.free + 1)))


@dataclass
class Attempt:
    """One sign-in attempt that the throttle let through; report how it ended."""

    scopes: tuple[Scope, ...]
    armed: tuple[Scope, ...] = ()
    done: bool = False

    def failed(self) -> None:
        """A wrong password or code: counted for the username and the address."""
        if self.done:
            return
        self.done = True
        for scope in self.scopes:
            _count_failure(scope, armed=scope in self.armed)

    def succeeded(self, *, complete: bool = True) -> None:
        """The password (or code) was right. A complete sign-in clears the username's count;
        the address keeps its own, or one's own account would wipe an attacker's record."""
        if self.done:
            return
        self.done = True
        for scope in self.armed:
            if scope.kind == "address" or not complete:
                # The attempt reserved the wait in case it failed; it did not.
                cache.delete(f"{scope.key}:gate")
        if complete:
            for scope in self.scopes:
                if scope.kind == "account":
                    cache.delete_many([f"{scope.key}:n", f"{scope.key}:gate"])


def begin(request, *, username: str) -> Attempt:
    """Let an attempt through, or raise SignInThrottled with the wait. A refusal changes no
    wait of the username; one refused because the username must wait counts as a failure for
    the address (it keeps trying an account it was told to leave alone), one refused because
    the address must wait counts for nothing."""
    account = Scope("account", username.strip()[:150])
    address = Scope("address", client_address(request))
    address_wait = _remaining(address)
    if address_wait > 0:
        raise SignInThrottled(address_wait)
    account_wait = _remaining(account)
    if account_wait > 0:
        _count_failure(address)
        raise SignInThrottled(max(account_wait, _remaining(address)))
    armed = []
    for scope in (account, address):
        count = _count(scope)
        if count >= scope.free:
            # Past the free failures: this attempt takes the gate for the wait that follows it
            # if it fails, so that of attempts made at the same moment only one gets through.
            if not _arm(scope, scope.wait(count - scope.free + 2)):
                for taken in armed:
                    cache.delete(f"{taken.key}:gate")
                raise SignInThrottled(max(_remaining(scope), 1))
            armed.append(scope)
    return Attempt(scopes=(account, address), armed=tuple(armed))


def wait_for(request, *, username: str) -> int:
    """Seconds the username or the request's address must still wait (0: none)."""
    scopes = (Scope("account", username.strip()[:150]), Scope("address", client_address(request)))
    return int(math.ceil(max(_remaining(scope) for scope in scopes)))
