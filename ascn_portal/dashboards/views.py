"""The home page of each person, gathering what their hats follow across the apps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from ascn_portal.accounts import services as account_services
from ascn_portal.accounts.forms import ProfileForm
from ascn_portal.dashboards.home import home_context
from delegations import queries as delegation_queries
from meetings.agenda.hats import hats_of
from meetings.models import CalendarSubscription, Meeting


@login_required
def home(request):
    """One page per person: a section per hat and the steps that wait for them."""
    return render(request, "dashboards/home.html", home_context(request.user))


@login_required
def role_dashboard(request):
    """The five role dashboards became sections of the home page; old links land there."""
    return redirect("dashboards:home")


@login_required
def account(request):
    """My account: who I am, my language and zone, where a delegation sets my
    organisation; links to my e-mail address, password, two-factor and calendar."""
    user = request.user
    seat = delegation_queries.organisation_of(user)
    form = ProfileForm(
        request.POST or None,
        instance=user,
        organisation_from=seat.delegation.name if seat else None,
        initial={"organisation": seat.organisation.name} if seat else None,
    )
    if request.method == "POST" and form.is_valid():
        account_services.save_profile(form.save(commit=False), actor=user)
        translation.activate(user.language)  # the message in the language just chosen
        messages.success(request, _("Your account is saved."))
        response = redirect("dashboards:account")
        # The language takes effect at once, for the switcher's cookie too.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    hats = hats_of(user)
    return render(
        request,
        "account/profile.html",
        {
            "form": form,
            "has_calendar": CalendarSubscription.objects.filter(user=user).exists(),
            "calendar_meetings": Meeting.objects.visible_to(user)
            .filter(pk__in=hats.meeting_ids)
            .order_by("-start_date")[:5],
        },
    )
