"""Typed SQLAlchemy models, one module per concept."""

from models.audit import AuditEntry
from models.base import Base, Model, db
from models.contact import Contact
from models.enterprise import (
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    Tier,
)
from models.reference import Department, IndustryTrack, SubDistrict, Zone
from models.user import Role, User
from models.yearly_figures import YearlyFigures

__all__ = [
    "AuditEntry",
    "Base",
    "Contact",
    "Department",
    "Designation",
    "Enterprise",
    "EnterpriseDesignation",
    "EnterpriseStatus",
    "IndustryTrack",
    "Model",
    "Role",
    "SubDistrict",
    "Tier",
    "User",
    "YearlyFigures",
    "Zone",
    "db",
]
