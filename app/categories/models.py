from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True, server_default="true")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"

    def display_name(self) -> str:
        from app.i18n import localized

        return localized(self.name, self.name_en)


# The categories every municipality starts with (slug, Latvian, English).
DEFAULT_CATEGORIES = [
    ("roads", "Ceļi un ielas", "Roads and streets"),
    ("public-space", "Publiskā ārtelpa", "Public space"),
    ("environment-climate", "Vide un klimats", "Environment and climate"),
    ("mobility", "Transports un mobilitāte", "Transport and mobility"),
    ("culture-sport", "Kultūra un sports", "Culture and sport"),
    ("education-youth", "Izglītība un jaunieši", "Education and youth"),
    ("social", "Sociālā joma", "Social care"),
    ("tourism-business", "Tūrisms un uzņēmējdarbība", "Tourism and business"),
    ("safety", "Drošība", "Safety"),
    ("other", "Cits", "Other"),
]
