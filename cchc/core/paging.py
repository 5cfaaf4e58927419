"""Lists that stay fast however many rows match: counts stop at a cap.

Counting every one of 900,000 matching dossiers to print "900 000 hồ sơ" on a desk tab costs a
second on every visit; nobody pages that far. Beyond the cap the list says "more than 10 000"
and the filters narrow it down.
"""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def capped_count(queryset: QuerySet, *, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): the number of rows up to `cap` (default `COUNT_CAP`), and whether there are more."""
    cap = COUNT_CAP if cap is None else cap
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap` (`capped` tells whether it did)."""

    @cached_property
    def _capped_count(self) -> tuple[int, bool]:
        return capped_count(self.object_list)

    @cached_property
    def count(self) -> int:
        return self._capped_count[0]

    @property
    def capped(self) -> bool:
        return self._capped_count[1]
