"""Municipalities and their territorial units (towns and parishes)."""

import enum
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class TerritoryKind(enum.StrEnum):
    TOWN = "town"
    PARISH = "parish"


class Municipality(db.Model):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    territories: Mapped[list["Territory"]] = relationship(
        back_populates="municipality", order_by="Territory.name"
    )

    def __repr__(self) -> str:
        return f"<Municipality {self.name!r}>"


class Territory(db.Model):
    __tablename__ = "territories"
    __table_args__ = (
        UniqueConstraint("municipality_id", "name", name="uq_territories_municipality_name"),
        CheckConstraint("ST_IsValid(geom)", name="valid_geom"),
        Index("ix_territories_geom", "geom", postgresql_using="gist"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[TerritoryKind] = mapped_column(
        Enum(TerritoryKind, name="territory_kind", values_callable=lambda e: [m.value for m in e])
    )
    atvk: Mapped[str | None] = mapped_column(String(7))
    # Borders drawn from an approximate partition until official ones are imported.
    approximate: Mapped[bool] = mapped_column(default=False)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=False), nullable=False)
    centre = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    municipality: Mapped[Municipality] = relationship(back_populates="territories")

    def __repr__(self) -> str:
        return f"<Territory {self.name!r}>"

    def display_name(self) -> str:
        from app.i18n import localized

        return localized(self.name, self.name_en)
