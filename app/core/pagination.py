"""Pages of query results, counted and cut in SQL (LIMIT/OFFSET), never in Python."""

from dataclasses import dataclass
from math import ceil
from typing import Any

from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, page: int, per_page: int = 25, scalars: bool = False) -> Page:
    """Run `query` for one page; `total` comes from a COUNT over the same query."""
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    cut = query.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(cut)
    items = list(result.scalars()) if scalars else list(result)
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
