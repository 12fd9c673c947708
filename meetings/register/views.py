"""Pages of a meeting's document register, under /meetings/<number>/documents/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ascn_portal.core.permissions import get_visible_or_404
from ascn_portal.core.storage import download_response
from ascn_portal.core.uploads import UploadRefused
from meetings.agenda.models import Meeting
from meetings.register import bundles, queries, services
from meetings.register.forms import (
    AddFileForm,
    BundleRequestForm,
    DocumentRegisterForm,
    RegisterFilterForm,
    ReportSubmitForm,
)

REGISTER_PAGE_SIZE = 50


def _meeting(request, number):
    return get_visible_or_404(Meeting.objects.all(), request.user, number=number)


def register(request, number):
    meeting = _meeting(request, number)
    form = RegisterFilterForm(request.GET or None, meeting=meeting)
    where = form.where()
    documents = queries.register_for(meeting, viewer=request.user, where=where)
    page = Paginator(documents, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    services.mark_register_seen(meeting, user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    snippets = queries.snippets([d.pk for d in page.object_list], where.text)
    for document in page.object_list:
        document.snippet = snippets.get(document.pk)
    # "Download all" once the list is narrowed to one agenda item or one day.
    bundle_count, bundle = 0, None
    if (where.agenda_session is None) != (where.day is None):
        bundle_count, bundle = bundles.current_bundle(
            meeting, viewer=request.user, agenda_session=where.agenda_session, day=where.day
        )
    return render(
        request,
        "meetings/register/register.html",
        {
            "meeting": meeting,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "where": where,
            "bundle": bundle,
            "bundle_count": bundle_count,
            "can_manage": request.user.has_perm("meetings.manage_register", meeting),
            "can_submit": request.user.has_perm("meetings.submit_report", meeting),
        },
    )


def document_detail(request, number, pk):
    meeting = _meeting(request, number)
    document = queries.document_for(meeting, pk, viewer=request.user)
    if document is None:
        raise Http404
    can_change = request.user.has_perm("meetings.change_document", document)
    return render(
        request,
        "meetings/register/document.html",
        {
            "meeting": meeting,
            "document": document,
            "files": list(document.files.all()),
            "can_change": can_change,
            "form": AddFileForm() if can_change else None,
        },
    )


def _registered(request, form, meeting, **fields):
    """Register the uploaded document; None with the refusal shown on ``form`` (at the
    file field when the file itself is refused)."""
    try:
        document = services.register_document(meeting, actor=request.user, **fields)
    except UploadRefused as exc:
        form.add_error("file", exc)
        return None
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, _("%(symbol)s is registered.") % {"symbol": document.symbol})
    return document


@login_required
def document_new(request, number):
    meeting = _meeting(request, number)
    if not request.user.has_perm("meetings.manage_register", meeting):
        raise PermissionDenied
    form = DocumentRegisterForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = _registered(
            request,
            form,
            meeting,
            series=data["series"],
            title=data["title"],
            upload=data["file"],
            language=data["language"],
            distribution=data["distribution"],
            agenda_session=data["agenda_session"],
            country=data["country"],
            organisation=data["organisation"],
            readers=data["readers"],
        )
        if document is not None:
            return redirect(document)
    return render(
        request,
        "meetings/register/document_form.html",
        {"meeting": meeting, "form": form, "heading": _("Register a document")},
    )


@login_required
def report_new(request, number):
    meeting = _meeting(request, number)
    if not request.user.has_perm("meetings.submit_report", meeting):
        raise PermissionDenied
    country, delegation = queries.represented_delegation(meeting, request.user)
    form = ReportSubmitForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = _registered(
            request,
            form,
            meeting,
            series="DOC",
            title=data["title"],
            upload=data["file"],
            language=data["language"],
            distribution=data["distribution"],
            agenda_session=data["agenda_session"],
            country=country,
        )
        if document is not None:
            return redirect(document)
    return render(
        request,
        "meetings/register/document_form.html",
        {
            "meeting": meeting,
            "form": form,
            "heading": _("Submit your delegation's report"),
            "delegation": delegation,
        },
    )


@login_required
@require_POST
def document_add_file(request, number, pk):
    meeting = _meeting(request, number)
    document = queries.document_for(meeting, pk, viewer=request.user)
    if document is None:
        raise Http404
    if not request.user.has_perm("meetings.change_document", document):
        raise PermissionDenied
    form = AddFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = services.add_file(
                document,
                upload=form.cleaned_data["file"],
                language=form.cleaned_data["language"],
                change=form.cleaned_data["change"],
                actor=request.user,
            )
        except UploadRefused as exc:
            form.add_error("file", exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(symbol)s is added.") % {"symbol": stored.symbol})
            return redirect(document)
    document = queries.document_for(meeting, pk, viewer=request.user)
    return render(
        request,
        "meetings/register/document.html",
        {
            "meeting": meeting,
            "document": document,
            "files": list(document.files.all()) if document else [],
            "can_change": True,
            "form": form,
        },
        status=400,
    )


def file_download(request, number, pk, file_id):
    meeting = _meeting(request, number)
    stored = queries.file_for(meeting, pk, file_id, viewer=request.user)
    if stored is not None and stored.generated is not None:
        # A generated document's file, once rendered; its distribution was checked above.
        if not stored.generated.is_ready:
            raise Http404
        return download_response(
            stored.generated.file, filename=stored.filename, content_type="application/pdf"
        )
    if stored is None or not stored.file:
        raise Http404
    return download_response(
        stored.file, filename=stored.filename, content_type=stored.content_type
    )


# --- "Download all" as a ZIP ----------------------------------------------------------


@require_POST
def bundle_request(request, number):
    """Ask for the ZIP of an agenda item's or a day's documents, as the person may read
    them; it is built in the background and its page shows when it is ready."""
    meeting = _meeting(request, number)
    form = BundleRequestForm(request.POST, meeting=meeting)
    if not form.is_valid():
        raise Http404
    bundle = bundles.request_bundle(
        meeting,
        actor=request.user,
        agenda_session=form.cleaned_data["agenda_session"],
        day=form.cleaned_data["day"],
    )
    if bundle is None:
        raise Http404
    return redirect(bundle)


def _bundle(request, number, pk):
    meeting = _meeting(request, number)
    bundle = bundles.bundle_for(meeting, pk, viewer=request.user)
    if bundle is None:
        raise Http404
    return meeting, bundle


def bundle_detail(request, number, pk):
    meeting, bundle = _bundle(request, number, pk)
    return render(request, "meetings/register/bundle.html", {"meeting": meeting, "bundle": bundle})


@never_cache
def bundle_status(request, number, pk):
    """The ZIP's status box alone, polled by htmx while it is being built."""
    meeting, bundle = _bundle(request, number, pk)
    return render(
        request,
        "meetings/register/partials/bundle_status.html",
        {"meeting": meeting, "bundle": bundle},
    )


def bundle_download(request, number, pk):
    _, bundle = _bundle(request, number, pk)
    if not bundle.is_ready or not bundle.file or not bundles.mark_downloaded(bundle):
        raise Http404
    return download_response(bundle.file, filename=bundle.filename, content_type="application/zip")
