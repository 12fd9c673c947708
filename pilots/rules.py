import rules

from ascn_portal.accounts.rules import is_secretariat


def _is_focal_point(user, city_id):
    if city_id is None or not user.is_authenticated or not user.is_active:
        return False
    return user.focal_point_cities.filter(pk=city_id).exists()


@rules.predicate
def is_city_focal_point(user, city):
    """One of the accounts named as the city's focal points."""
    return city is not None and _is_focal_point(user, city.pk)


@rules.predicate
def is_project_focal_point(user, project):
    """A focal point of the project's city."""
    return project is not None and _is_focal_point(user, project.city_id)


# Keeping the registry (new cities, any city or project, the Shepherd dashboard) is
# the secretariat's; a city's focal points keep their own city and its projects.
rules.add_perm("pilots.manage_registry", is_secretariat)
rules.add_perm("pilots.view_dashboard", is_secretariat)
rules.add_perm("pilots.edit_city", is_secretariat | is_city_focal_point)
rules.add_perm("pilots.edit_project", is_secretariat | is_project_focal_point)
