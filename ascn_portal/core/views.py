from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails
from rules.contrib.views import permission_required

from ascn_portal.core import documents, health, outbox
from ascn_portal.core.enums import RESENDABLE, DocumentStatus
from ascn_portal.core.forms import OutboxFilterForm
from ascn_portal.core.models import GeneratedDocument, OutgoingMail
from ascn_portal.core.storage import download_response

if TYPE_CHECKING:
    from ascn_portal.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


OUTBOX_PAGE_SIZE = 50


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Operators' probe: 200 when database, broker and cache answer, 503 otherwise."""
    services, healthy = health.report()
    return JsonResponse(
        {"status": "ok" if healthy else "error", "services": services},
        status=200 if healthy else 503,
    )


# --- Outbox -----------------------------------------------------------------------------


@login_required
@permission_required("core.view_outbox", raise_exception=True)
def outbox_list(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET)
    mails = form.filter(
        OutgoingMail.objects.only(
            "pk", "subject", "to", "status", "attempts", "last_error", "created_at", "sent_at"
        )
    )
    page = Paginator(mails, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/outbox_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@permission_required("core.view_outbox", raise_exception=True)
def outbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(OutgoingMail.objects.prefetch_related("attachments"), pk=pk)
    return render(
        request,
        "core/outbox_detail.html",
        {"mail": mail, "can_resend": mail.status in RESENDABLE},
    )


@login_required
@permission_required("core.view_outbox", raise_exception=True)
def outbox_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The message's HTML body on its own, sandboxed: no script, no remote content."""
    mail = get_object_or_404(OutgoingMail.objects.only("body_html"), pk=pk)
    response = HttpResponse(mail.body_html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    return response


@require_POST
@login_required
@permission_required("core.resend_mail", raise_exception=True)
def outbox_resend(request: HttpRequest, pk: int) -> HttpResponse:
    mail = get_object_or_404(OutgoingMail, pk=pk)
    if outbox.resend(mail, actor=request.user):
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.error(request, _("Only failed or queued messages can be sent again."))
    return redirect(mail)


@require_POST
@login_required
@permission_required("core.resend_mail", raise_exception=True)
def outbox_test(request: HttpRequest) -> HttpResponse:
    """Send a test message to oneself, to check the e-mail settings end to end."""
    # login_required: the user is a person.
    mail = outbox.queue_test_message(cast("User", request.user))
    messages.success(request, _("A test message to %(email)s is queued.") % {"email": mail.to[0]})
    return redirect(mail)


# --- Documents --------------------------------------------------------------------------


def _visible_document(
    request: HttpRequest, pk: int, *, in_own_language: bool = True
) -> GeneratedDocument:
    """The document, if the person may see what it is about; 404 otherwise. Unless
    told otherwise, the same version in the language of the person's interface."""
    document = get_object_or_404(GeneratedDocument.objects.select_related("about_type"), pk=pk)
    if not request.user.has_perm("core.view_document", document):
        raise Http404
    if in_own_language:
        document = documents.in_language(document, translation.get_language())
    return document


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk)
    return render(request, "core/document_detail.html", {"document": document})


@login_required
@never_cache
def document_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone, polled by htmx while the document is being prepared."""
    document = _visible_document(request, pk)
    return render(request, "core/partials/document_status.html", {"document": document})


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = _visible_document(request, pk)
    if document.status != DocumentStatus.READY:
        raise Http404
    return download_response(
        document.file, filename=document.filename, content_type="application/pdf"
    )


@require_POST
@login_required
def document_retry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = _visible_document(request, pk, in_own_language=False)
    documents.retry(document, actor=request.user)
    if request.htmx:
        return render(request, "core/partials/document_status.html", {"document": document})
    return redirect(document)
