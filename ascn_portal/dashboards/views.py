"""Each role's landing page, gathering what that role follows across the apps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ascn_portal.accounts.enums import Role
from delegations import queries as delegation_queries
from meetings.coordination import queries as coordination_queries
from meetings.models import Meeting
from panels import queries as panel_queries

RECENT_MEETINGS = 5
LIST_SIZE = 10


@login_required
def home(request):
    """Send a person to the dashboard of their role."""
    if request.user.role:
        return redirect(f"dashboards:{request.user.role}")
    return render(request, "dashboards/no_role.html")


class RoleDashboardView(PermissionRequiredMixin, TemplateView):
    """A role's dashboard: the role's members only; others 403, anonymous to login."""

    role: Role | None = None

    def get_permission_required(self):
        return [f"ascn.view_{self.role}_dashboard"]

    def get_template_names(self):
        return [f"dashboards/{self.role}.html"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        meetings = Meeting.objects.visible_to(user).select_related("host_country")
        sections = ROLE_SECTIONS.get(self.role)
        return super().get_context_data(
            role=self.role,
            recent_meetings=meetings[:RECENT_MEETINGS],
            **(sections(user) if sections else {}),
            **coordination_context(user, self.role),
            **kwargs,
        )


# What each role's dashboard gathers from the apps, beyond the recent meetings.
ROLE_SECTIONS = {
    Role.NATIONAL_REPRESENTATIVE: lambda user: {
        "delegations": delegation_queries.delegations_with_counts(user).order_by(
            "-meeting__start_date", "name"
        )[:LIST_SIZE]
    },
    Role.DELEGATE: lambda user: {
        "participations": delegation_queries.participations_of(user)[:LIST_SIZE]
    },
    Role.MODERATOR: lambda user: {"panels": panel_queries.moderated_panels(user)[:LIST_SIZE]},
    Role.SPEAKER: lambda user: {
        "engagements": panel_queries.speaking_engagements(user)[:LIST_SIZE]
    },
}


def coordination_context(user, role):
    """Coordination sessions and the person's open action items, for every role; the
    secretariat also follows every overdue item."""
    items, items_total = coordination_queries.my_open_items(user, limit=LIST_SIZE)
    context = {
        "coordination_sessions": list(coordination_queries.sessions_for_dashboard(user)),
        "my_action_items": items,
        "my_action_items_total": items_total,
    }
    if role == Role.SECRETARIAT:
        overdue, overdue_total = coordination_queries.overdue_items(user, limit=LIST_SIZE)
        context.update(overdue_items=overdue, overdue_total=overdue_total)
    return context
