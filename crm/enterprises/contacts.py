"""Contacts as each reader may see them: phones and e-mails in full only for the firm's own people.

China's Personal Information Protection Law asks that personal data be shown only to those who
need it. The account manager assigned to the firm and its contact leader call these people, and
administrators answer for the data; every other reader (another manager, another leader, a
department) sees enough to recognise a number or an address, not to copy it.
"""

from dataclasses import dataclass

from models import Contact, Enterprise, Role, User
from models.contact import mask_phone

MASK = "****"


@dataclass(frozen=True)
class ShownContact:
    id: int
    name: str
    title: str | None
    phone: str | None
    email: str | None
    is_masked: bool


def sees_personal_data(user: User, enterprise: Enterprise) -> bool:
    if user.role == Role.ADMIN:
        return True
    return user.id is not None and user.id in (enterprise.manager_id, enterprise.contact_leader_id)


def mask_email(email: str | None) -> str | None:
    """z****@example.com: the first letter and the domain (the firm's), not the mailbox."""
    if not email:
        return email
    mailbox, at, domain = email.rpartition("@")
    if not at:
        return MASK
    return f"{mailbox[:1]}{MASK}@{domain}"


def shown_contacts(user: User, enterprise: Enterprise) -> list[ShownContact]:
    in_full = sees_personal_data(user, enterprise)
    return [_shown(contact, in_full) for contact in enterprise.contacts]


def _shown(contact: Contact, in_full: bool) -> ShownContact:
    return ShownContact(
        id=contact.id,
        name=contact.name,
        title=contact.title,
        phone=contact.phone if in_full else mask_phone(contact.phone),
        email=contact.email if in_full else mask_email(contact.email),
        is_masked=not in_full and bool(contact.phone or contact.email),
    )
