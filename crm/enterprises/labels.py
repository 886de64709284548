"""Options of the reservoir's selects and filters, in the user's language."""

from crm.enterprises.queries import managers_in_scope
from crm.i18n import current_locale
from crm.labels import choices
from crm.reference import all_of
from models import Designation, EnterpriseStatus, IndustryTrack, SubDistrict, Tier, User, Zone
from models.reference import ReferenceMixin


def reference_choices(model: type[ReferenceMixin]) -> list[tuple[str, str]]:
    locale = current_locale()
    return [(row.slug, row.name_for(locale)) for row in all_of(model)]  # type: ignore[type-var]


def filter_options(user: User) -> dict[str, list[tuple[str, str]]]:
    return {
        "zone": reference_choices(Zone),
        "sub_district": reference_choices(SubDistrict),
        "track": reference_choices(IndustryTrack),
        "tier": choices(Tier),
        "designation": choices(Designation),
        "status": choices(EnterpriseStatus),
        "manager": [(m.username, m.display_name) for m in managers_in_scope(user)],
    }
