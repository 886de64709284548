"""A person to talk to at a firm."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Model

if TYPE_CHECKING:
    from models.enterprise import Enterprise


class Contact(Model):
    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    title: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))

    enterprise: Mapped["Enterprise"] = relationship(back_populates="contacts")

    @property
    def masked_phone(self) -> str:
        """Lists show 138****5678: enough to recognise a number, not to copy it."""
        digits = self.phone or ""
        if len(digits) < 7:
            return "*" * len(digits)
        return f"{digits[:3]}****{digits[-4:]}"
