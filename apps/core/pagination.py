"""Page counts that stay cheap on national lists: exact up to a limit, a lower bound beyond."""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property

# The largest row offset a page may start at (well inside PostgreSQL's and SQLite's 64 bits).
MAX_OFFSET = 2**62


class BoundedCountPage(Page):
    """A page that knows from its own rows whether another follows (when the count cannot)."""

    more: bool | None = None

    def has_next(self) -> bool:
        return super().has_next() if self.more is None else self.more


class BoundedCountPaginator(Paginator):
    """Counts matches exactly up to `count_limit` (CASEMGR_LIST_COUNT_LIMIT; 0 counts all);
    beyond it `count` is the limit and `count_is_lower_bound` is true, and every page still
    works: whether a next page exists is read from one row more than the page."""

    def __init__(
        self, object_list, per_page, *, count_limit: int | None = None, rows=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        if count_limit is None:
            count_limit = getattr(settings, "CASEMGR_LIST_COUNT_LIMIT", 0)
        self.count_limit = count_limit
        # How a page is read: a function of the sliced list (say, its ids first, then their
        # rows as values). The count reads the list itself, without the joins a projection
        # onto related fields would add.
        self.rows = rows

    def _read(self, page):
        return self.rows(page) if self.rows else page

    @cached_property
    def _bounded_count(self) -> tuple[int, bool]:
        if not self.count_limit or not hasattr(self.object_list, "query"):
            return super().count, False
        # Ids only, unordered, at most limit + 1 rows: `SELECT COUNT(*) FROM (SELECT id ...
        # LIMIT n)` stops reading at the limit and evaluates none of the list's annotations.
        found = self.object_list.order_by().values("pk")[: self.count_limit + 1].count()
        if found > self.count_limit:
            return self.count_limit, True
        return found, False

    @property
    def count(self) -> int:
        return self._bounded_count[0]

    @property
    def count_is_lower_bound(self) -> bool:
        return self._bounded_count[1]

    def validate_number(self, number):
        if not self.count_is_lower_bound:
            return super().validate_number(number)
        # Past the counted pages the page itself tells whether it exists (see page()).
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        if (number - 1) * self.per_page > MAX_OFFSET:
            # Beyond any list a database holds, and beyond the 64-bit OFFSET it would be sent as.
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number) -> Page:
        if not self.count_is_lower_bound:
            return super().page(number)  # its slice is read through _get_page
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self._read(self.object_list[bottom : bottom + self.per_page + 1]))
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = BoundedCountPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, object_list, number, paginator) -> Page:
        # Django's Paginator.page hands its slice of the list here.
        return BoundedCountPage(self._read(object_list), number, paginator)
