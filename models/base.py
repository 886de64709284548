"""Declarative base with a constraint naming convention, and the shared `db` object."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Enum, Index, MetaData, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Named constraints let Alembic alter and drop them on every backend, SQLite included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:  # flask-sqlalchemy#1186: db.Model is not typed, Base is.
    Model = Base
else:
    Model = db.Model


class SoftDeleteMixin:
    """Nothing is hard-deleted: a row is hidden by setting `deleted_at`."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VersionedMixin:
    """Edits check `version_id`: saving a row someone changed since it was read fails."""

    version_id: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 -- SQLAlchemy's class directive
        return {"version_id_col": cls.__table__.c.version_id}  # type: ignore[attr-defined]


def string_enum(kind: type[enum.StrEnum]) -> Enum:
    """Enums stored as their plain string values: portable, and new values need no ALTER TYPE."""
    return Enum(kind, native_enum=False, length=30, values_callable=lambda k: [m.value for m in k])


def partial_index(
    name: str, *columns: str, where: str = "deleted_at IS NULL", unique: bool = False
) -> Index:
    """An index of the rows matching `where` only (by default the live ones), on both databases."""
    return Index(
        name,
        *columns,
        unique=unique,
        sqlite_where=text(where),
        postgresql_where=text(where),
    )
