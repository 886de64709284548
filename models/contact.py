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
        return mask_phone(self.phone) or ""


PHONE_MASK = "****"


def mask_phone(phone: str | None) -> str | None:
    """138****5678: a mobile's operator prefix and last four digits. Shorter numbers (a landline
    of 7 or 8 digits) show less, so that at least four characters are always hidden."""
    if not phone:
        return phone
    head = min(3, max(0, (len(phone) - len(PHONE_MASK)) // 2))
    tail = min(4, max(0, len(phone) - len(PHONE_MASK) - head))
    if head + tail == 0:
        return "*" * len(phone)
    return f"{phone[:head]}{PHONE_MASK}{phone[len(phone) - tail :]}"
