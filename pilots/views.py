from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ascn_portal.core.permissions import get_visible_or_404
from pilots import exports, queries, services
from pilots.charts import bar_chart
from pilots.enums import CityStatus, ProjectStatus
from pilots.forms import (
    CityForm,
    CityProfileForm,
    DirectoryFilterForm,
    PartnershipFilterForm,
    ProgressUpdateForm,
    ProjectForm,
)
from pilots.models import PartnershipProject, PilotCity
from pilots.validators import COMMON_CURRENCIES

PAGE_SIZE = 50
DASHBOARD_LIST_SIZE = 25


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- The public registry ----------------------------------------------------------------


def directory(request):
    """Every city of the network, filtered by member state, status and focus area."""
    form = DirectoryFilterForm(request.GET or None)
    cities = form.filter(queries.directory())
    page = Paginator(cities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pilots/city_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


def directory_csv(request):
    form = DirectoryFilterForm(request.GET or None)
    response = StreamingHttpResponse(
        exports.city_rows(form.filter(queries.directory())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ascn-pilot-cities.csv"'
    return response


def city_detail(request, slug):
    city = get_visible_or_404(
        PilotCity.objects.select_related("country").prefetch_related("focus_areas"),
        request.user,
        slug=slug,
    )
    projects = list(
        queries.with_last_update(city.projects.select_related("partner")).order_by("title", "pk")
    )
    return render(
        request,
        "pilots/city_detail.html",
        {
            "city": city,
            "projects": projects,
            "totals": queries.totals_by_currency(projects),
            "meetings": queries.meetings_attended(city),
            "can_edit": request.user.has_perm("pilots.edit_city", city),
        },
    )


def project_detail(request, pk):
    projects = PartnershipProject.objects.select_related("city__country", "partner")
    project = get_visible_or_404(queries.with_last_update(projects), request.user, pk=pk)
    can_edit = request.user.has_perm("pilots.edit_project", project)
    form = ProgressUpdateForm(initial={"date": timezone.localdate()})
    return _project_page(request, project, can_edit=can_edit, form=form)


def _project_page(request, project, *, can_edit, form):
    # Progress notes are the Shepherd's follow-up with the city: only the people who
    # keep the project read them; everyone sees the status and when it last changed.
    updates = project.updates.select_related("author") if can_edit else []
    return render(
        request,
        "pilots/project_detail.html",
        {
            "project": project,
            "updates": updates,
            "can_edit": can_edit,
            "form": form,
        },
    )


def partnerships(request):
    """Every partnership project, with totals per member state and per partner: sums
    per currency, never converted."""
    form = PartnershipFilterForm(request.GET or None)
    projects = form.filter(PartnershipProject.objects.all())
    page = Paginator(queries.projects_listing(projects), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pilots/partnership_list.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "by_country": queries.totals_by_country(projects),
            "by_partner": queries.totals_by_partner(projects),
        },
    )


def partnerships_csv(request):
    form = PartnershipFilterForm(request.GET or None)
    response = StreamingHttpResponse(
        exports.project_rows(form.filter(PartnershipProject.objects.all())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ascn-partnerships.csv"'
    return response


# --- Keeping the registry ----------------------------------------------------------------


def _editable_city(request, slug):
    """The city if this person may edit it; 404 for everyone else."""
    return get_object_or_404(
        PilotCity.objects.editable_by(request.user).select_related("country"), slug=slug
    )


def _editable_project(request, pk):
    """The project if this person may edit it; 404 for everyone else."""
    projects = PartnershipProject.objects.editable_by(request.user)
    return get_object_or_404(
        queries.with_last_update(projects.select_related("city__country", "partner")), pk=pk
    )


@login_required
@permission_required("pilots.manage_registry", raise_exception=True)
def city_create(request):
    return _city_form(request, PilotCity(), CityForm)


@login_required
def city_edit(request, slug):
    city = _editable_city(request, slug)
    form_class = CityForm if request.user.has_perm("pilots.manage_registry") else CityProfileForm
    return _city_form(request, city, form_class)


def _city_form(request, city, form_class):
    form = form_class(request.POST or None, instance=city)
    if request.method == "POST" and form.is_valid():
        city = services.save_city(
            form.save(commit=False),
            focus_areas=form.cleaned_data["focus_areas"],
            focal_points=form.cleaned_data.get("focal_point_emails"),
            fields=form.model_fields,
            actor=request.user,
        )
        messages.success(request, _("%(city)s is saved.") % {"city": city.name})
        return redirect(city)
    return render(request, "pilots/city_form.html", {"form": form, "city": city})


@login_required
def project_create(request, slug):
    city = _editable_city(request, slug)
    return _project_form(request, PartnershipProject(city=city))


@login_required
def project_edit(request, pk):
    return _project_form(request, _editable_project(request, pk))


def _project_form(request, project):
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        project = services.save_project(
            form.save(commit=False), fields=form.model_fields, actor=request.user
        )
        messages.success(request, _("The project is saved."))
        return redirect(project)
    return render(
        request,
        "pilots/project_form.html",
        {"form": form, "project": project, "city": project.city, "currencies": COMMON_CURRENCIES},
    )


@require_POST
@login_required
def progress_create(request, pk):
    project = _editable_project(request, pk)
    form = ProgressUpdateForm(request.POST)
    if not form.is_valid():
        return _project_page(request, project, can_edit=True, form=form)
    services.add_progress_update(
        project,
        date=form.cleaned_data["date"],
        note=form.cleaned_data["note"],
        new_status=form.cleaned_data["new_status"],
        actor=request.user,
    )
    messages.success(request, _("The progress update is saved."))
    return redirect(project)


# --- The Shepherd's dashboard ------------------------------------------------------------


@login_required
@permission_required("pilots.view_dashboard", raise_exception=True)
def dashboard(request):
    """Where the network stands: cities and projects by status and member state,
    projects not heard of for six months, stalled projects."""
    cities = queries.cities_by_country_and_status()
    projects = queries.projects_by_country_and_status()
    today = timezone.localdate()
    stale = queries.stale_projects(today=today)
    stalled = queries.stalled_projects()
    return render(
        request,
        "pilots/dashboard.html",
        {
            "city_statuses": CityStatus.labels,
            "project_statuses": ProjectStatus.labels,
            "cities": cities,
            "projects": projects,
            "cities_chart": bar_chart([(row["country"], row["total"]) for row in cities]),
            "projects_chart": bar_chart(queries.status_totals(projects, ProjectStatus)),
            "city_total": sum(row["total"] for row in cities),
            "project_total": sum(row["total"] for row in projects),
            "stale": stale[:DASHBOARD_LIST_SIZE],
            "stale_count": stale.count(),
            "stalled": stalled[:DASHBOARD_LIST_SIZE],
            "stalled_count": stalled.count(),
            "stale_months": queries.STALE_AFTER_MONTHS,
            "stale_since": queries.months_before(today, queries.STALE_AFTER_MONTHS),
        },
    )
