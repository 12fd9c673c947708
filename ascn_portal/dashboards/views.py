"""Each role's landing page, gathering what that role follows across the apps."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from ascn_portal.accounts.enums import Role
from meetings.models import Meeting

RECENT_MEETINGS = 5


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
        meetings = Meeting.objects.visible_to(self.request.user).select_related("host_country")
        return super().get_context_data(
            role=self.role, recent_meetings=meetings[:RECENT_MEETINGS], **kwargs
        )
