"""Reference data of the district: sub-districts, functional zones, industry tracks, departments."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model, VersionedMixin


class ReferenceMixin(VersionedMixin):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)

    def name_for(self, locale: str) -> str:
        return self.name_zh if locale.startswith("zh") else self.name_en


class SubDistrict(ReferenceMixin, Model):
    __tablename__ = "sub_districts"


class Zone(ReferenceMixin, Model):
    __tablename__ = "zones"


class IndustryTrack(ReferenceMixin, Model):
    __tablename__ = "industry_tracks"


class Department(ReferenceMixin, Model):
    __tablename__ = "departments"
