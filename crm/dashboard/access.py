"""Who sees the dashboard: district leaders and admins (the district-wide picture)."""

from models import Role, User


def can_read_dashboard(user: User) -> bool:
    return user.role in {Role.ADMIN, Role.LEADER}
