"""Every form of the portal, posted with hostile values by each person who may post it.

The demo data (the 2024 story) gives every role something to work on. For each demo
account (and an anonymous visitor) the test follows the links from its home page, as
a browser would, and collects every form that posts. Each form is then sent back as
the browser would send it, with every free field replaced by one hostile value at a
time (empty, 100,000 characters, NUL, right-to-left text and emoji, markup, year 1
and 9999, negative, huge and not-a-number values, an id that does not exist, a stale
formset). Every answer must be below 500; a refusal must say why on the page and
write nothing. Each post runs in a savepoint that is rolled back, so the forms are
all tried against the same data.

The URL configuration decides what must be reached: every named URL pattern is either
visited by some role or listed in ``NOT_WALKED`` with the reason, so a new page that
no link leads to, or a new form, cannot slip past this test.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from ascn_portal.accounts.models import User

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ascn-demo-2024"
ROLES = {
    "anonymous": None,
    "secretariat": "secretariat@ascn.example",
    "national_representative": "nr.indonesia@ascn.example",
    "delegate": "delegate@ascn.example",
    "moderator": "moderator@ascn.example",
    "speaker": "speaker@ascn.example",
    "focal_point": "focal.makassar@ascn.example",
}
START_PAGES = ["/", "/dashboard/", "/meetings/", "/pilots/", "/accounts/login/"]

# Pages the crawler does not open or post: leaving the session, Django's own admin
# (its forms are Django's, and it signs in through the portal's login), files.
SKIP_PATHS = re.compile(r"^/(admin/|static/|media/|accounts/logout/)")
# Each URL pattern is visited with at most this many different arguments per role.
VISITS_PER_PATTERN = 3

# Named URL patterns no crawl reaches, each with why; every other one must be visited.
NOT_WALKED = {
    # allauth pages not used by the portal's flows or reached only from an e-mail.
    "account_signup": "reached only from an invitation link (tests/delegations)",
    "account_confirm_email": "reached only from an e-mail",
    "account_email_verification_sent": "reached only after sign-up",
    "account_inactive": "reached only for a deactivated account",
    "account_reset_password_from_key": "reached only from an e-mail",
    "account_reset_password_from_key_done": "reached only after a reset",
    "account_reset_password_done": "reached only after asking for a reset",
    "account_login_code_confirm": "login by code is off",
    "account_request_login_code": "login by code is off",
    "account_confirm_login_code": "login by code is off",
    "account_set_password": "every account has a password",
    "account_reauthenticate": "reached only when a page asks to sign in again",
    "account_email_verification_sent_code": "e-mail verification by code is off",
    "account_change_email": "reached from the e-mail page as a separate flow",
    "account_verify_email_code": "e-mail verification by code is off",
    "account_verify_phone": "phones are not used to sign in",
    "account_change_phone": "phones are not used to sign in",
    "mfa_authenticate": "reached only while signing in with TOTP",
    "mfa_reauthenticate": "reached only when a page asks for the second factor again",
    "mfa_deactivate_totp": "reached only with TOTP active",
    "mfa_view_recovery_codes": "reached only with TOTP active",
    "mfa_generate_recovery_codes": "reached only with TOTP active",
    "mfa_download_recovery_codes": "reached only with TOTP active",
    "mfa_trust": "trusting a browser is off",
    # Answers to a person's own secret link or token, covered by their own tests.
    "delegations:invitation": "a token from an e-mail (tests/delegations/test_invitations)",
    "meetings:calendar_feed": "a token shown once (tests/meetings/test_calendar)",
    "meetings:my_calendar_feed": "a token shown once (tests/meetings/test_calendar)",
    "healthz": "a JSON answer for load balancers, no form",
    "account_logout": "ends the session the walk goes on with",
    "account_confirm_reauthentication_code": "login by code is off",
    "account_request_reauthentication_code": "login by code is off",
    "core:document_download": "documents render after commit, never inside this test",
    "core:document_retry": "documents render after commit, never inside this test",
    "core:document_status": "documents render after commit, never inside this test",
    "dashboards:delegate": "an old bookmark that leads home",
    "dashboards:moderator": "an old bookmark that leads home",
    "dashboards:national_representative": "an old bookmark that leads home",
    "dashboards:secretariat": "an old bookmark that leads home",
    "dashboards:speaker": "an old bookmark that leads home",
    "delegations:decline": "the demo's invitees have all answered",
    "delegations:participant_list_pdf": "a PDF download (tests/delegations/test_participant_list)",
    "delegations:roster_confirm": "the demo's rosters are confirmed",
    "delegations:roster_return": "the demo's rosters are confirmed",
    "meetings:minutes_publish": "needs approved minutes; the walk keeps them in draft",
    "meetings:minutes_reopen": "needs approved minutes; the walk keeps them in draft",
    "meetings:subscription_ics": "an .ics download (tests/meetings/test_calendar)",
    "meetings:my_subscription_ics": "an .ics download (tests/meetings/test_calendar)",
    "panels:speaker_confirm": "the demo's speakers have all confirmed",
    "delegations:representative_invitation": "a token from an e-mail (test_setup)",
    "delegations:bulk_invite": "the demo's confirmed people are all invited (test_bulk)",
    "delegations:job": "a background job's page, shown once one starts (test_bulk)",
    "delegations:job_status": "a background job's progress, polled by its page (test_bulk)",
    "delegations:participant_confirm_late": "the demo has no late nominee (test_late_nominations)",
    "meetings:agenda_changes": "the demo's agendas have one version (test_agenda_changes)",
    # A ZIP's pages follow its request, whose post the walk rolls back.
    "meetings:bundle_request": "on a register page narrowed to one item or day, past the "
    "walk's three visits per page; its bad scopes are refused in test_register_bundles",
    "meetings:bundle": "shown once a ZIP is asked for (test_register_bundles)",
    "meetings:bundle_status": "polled by a ZIP's page (test_register_bundles)",
    "meetings:bundle_download": "a ZIP built after commit (test_register_bundles)",
    # Earlier addresses of one page's single save, kept for pages still open.
    "meetings:minutes_attendance": "the minutes editor saves through minutes_save",
    "meetings:minutes_prefill": "the minutes editor saves through minutes_save",
    "meetings:minutes_points": "the minutes editor saves through minutes_save",
    "meetings:action_create": "the minutes editor saves through minutes_save",
    "panels:brief_lock": "the brief composer saves and locks through its one form",
    "panels:brief_version": "the brief composer saves and makes versions through its one form",
}


# --- Reading pages as a browser does ------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, date, number, checkbox, hidden, file…
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    htmx: bool
    fields: list[Field] = field(default_factory=list)
    submit: tuple[str, str] | None = None

    def browser_data(self) -> dict[str, list[str]]:
        """What a browser sends unchanged: values, checked boxes, selected options."""
        data: dict[str, list[str]] = defaultdict(list)
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.checked:
                    data[f.name].append(f.value or "on")
            elif f.kind == "file":
                continue
            elif f.kind == "select":
                if f.value:
                    data[f.name].append(f.value)
                elif f.options:
                    data[f.name].append(f.options[0])
            else:
                data[f.name].append(f.value)
        if self.submit:
            data[self.submit[0]].append(self.submit[1])
        return data


class FormsAndLinks(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        elif tag == "form":
            posts = a.get("method", "get").lower() == "post" or "hx-post" in a
            action = a.get("hx-post") or a.get("action") or self.page_url
            self._form = (
                Form(urljoin(self.page_url, action), htmx="hx-post" in a) if posts else None
            )
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image"):
                if self._form.submit is None:
                    self._form.submit = (a["name"], a.get("value", ""))
                return
            self._form.fields.append(
                Field(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "button" and a.get("name") and self._form.submit is None:
            if a.get("type", "submit") == "submit":
                self._form.submit = (a["name"], a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a and not self._select.value:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None


def url_name(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(client):
    """Every page the person reaches by links: {path: html} and the forms on them."""
    queue = list(START_PAGES)
    seen: set[str] = set()
    visits: dict[str, int] = defaultdict(int)
    pages: dict[str, str] = {}
    forms: list[Form] = []
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or SKIP_PATHS.match(parts.path):
            continue
        seen.add(path)
        name = url_name(parts.path)
        if name is None or visits[name] >= VISITS_PER_PATTERN:
            continue
        visits[name] += 1
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages.setdefault(path, "")
            continue
        html = response.content.decode()
        pages[path] = html
        parser = FormsAndLinks(f"http://testserver{path}")
        parser.feed(html)
        queue.extend(parser.links)
        forms.extend(parser.forms)
    return pages, forms


# --- Hostile values ------------------------------------------------------------------------

LONG = "x" * 100_000
HOSTILE = {
    "text": ["", LONG, "Dewi\x00Lestari", "\u202eمرحبا بكم 🎉👩🏽‍💻", "<script>alert(1)</script>"],
    "date": ["0001-01-01", "9999-12-31", "2024-02-30"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59", "2024-13-01T25:00"],
    "time": ["25:61", "-1:00", LONG],
    "number": ["-1", "-99999999999999999999", "99999999999999999999", "NaN", "1e309"],
    "select": ["999999999", "-1", "x\x00"],
}
TEXT_KINDS = {"text", "textarea", "email", "url", "search", "tel", "password"}


def variants(form: Form):
    """The browser's data with every free field set to the n-th hostile value of its
    kind, for each n; then a formset made stale."""
    base = form.browser_data()
    yield "as the browser sends it", base
    kinds = {f.name: _kind(f) for f in form.fields if _kind(f)}
    rounds = max(len(HOSTILE[k]) for k in kinds.values()) if kinds else 0
    for n in range(rounds):
        data = dict(base)
        for name, kind in kinds.items():
            values = HOSTILE[kind]
            data[name] = [values[n % len(values)]]
        yield f"hostile #{n}", data
    totals = [name for name in base if name.endswith("-TOTAL_FORMS")]
    if totals:
        stale = dict(base)
        for name in base:
            if name.endswith("-id") and base[name] and base[name][0]:
                stale[name] = ["999999999"]
        for total in totals:
            prefix = total.removesuffix("-TOTAL_FORMS")
            initial = int((base.get(f"{prefix}-INITIAL_FORMS") or ["0"])[0] or 0)
            stale[f"{prefix}-INITIAL_FORMS"] = [str(initial + 1)]
        yield "stale formset", stale
        yield "formset flood", {**base, **{t: ["1000000"] for t in totals}}


def _kind(f: Field):
    if f.kind in TEXT_KINDS:
        return "text"
    if f.kind == "textarea":
        return "text"
    if f.kind in HOSTILE:
        return f.kind
    return None


# --- What a refusal must look like ---------------------------------------------------------

ERROR_MARKERS = ('class="errorlist', 'class="form-errors"', "field--error", 'role="alert"')


def row_total():
    """Rows in every table of the portal's own apps, in one query."""
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for app in ("accounts", "core", "pilots", "meetings", "delegations", "panels")
        for model in apps.get_app_config(app).get_models()
    ]
    # Table names from the models, quoted: no outside input reaches this statement.
    sql = "SELECT " + " + ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def post(client, form, data):
    """The answer to ``data``, and the row total it left, in a savepoint rolled back."""
    headers = {"HTTP_HX_REQUEST": "true"} if form.htmx else {}
    savepoint = transaction.savepoint()
    try:
        response = client.post(form.action, data, **headers)
        after = None
        if response.status_code < 300 or response.status_code >= 400:
            try:
                after = row_total()
            except Exception:
                after = "unreadable"
    finally:
        transaction.savepoint_rollback(savepoint)
    return response, after


def judge(response, after, before):
    """None if the answer is acceptable, else what is wrong with it."""
    status = response.status_code
    if status >= 500:
        return f"answered {status}"
    if status in (301, 302, 303):
        return None  # accepted (or sent to sign in)
    if 400 <= status < 500:
        return None if after == before else f"answered {status} but wrote rows"
    html = response.content.decode(errors="replace")
    refused = any(marker in html for marker in ERROR_MARKERS)
    if refused and after != before:
        return "showed an error but wrote rows"
    if "<script>alert(1)</script>" in html:
        return "echoed markup unescaped"
    return None


# --- The test -----------------------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.ACCOUNT_RATE_LIMITS = False  # the walker signs in and posts a lot
    call_command("load_demo", stdout=io.StringIO())
    # The demo's minutes are published: one correction puts the minutes editor's forms
    # (attendance, points, action items) back on the page.
    from meetings.coordination.services.minutes import start_correction
    from meetings.models import CoordinationSession

    session = CoordinationSession.objects.filter(minutes_versions__isnull=False).first()
    start_correction(session, note="Walk", actor=User.objects.get(email=ROLES["secretariat"]))


def test_every_form_refuses_hostile_input_without_an_error(demo, client):
    client.raise_request_exception = False
    visited: set[str] = set()
    walked: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    for role, email in ROLES.items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        pages, forms = crawl(client)
        # Every post is rolled back, so the rows before each one are these: counted after
        # the crawl, since opening a register remembers the visit (RegisterVisit).
        before = row_total()
        visited |= {url_name(urlsplit(path).path) for path in pages}
        done: set[tuple[str | None, tuple[str, ...]]] = set()
        for form in forms:
            action = urlsplit(form.action).path
            name = url_name(action)
            key = (name, tuple(sorted(f.name for f in form.fields)))
            if name is None or SKIP_PATHS.match(action) or key in done:
                continue
            done.add(key)
            for label, data in variants(form):
                response, after = post(client, form, data)
                walked[(role, name)] = walked.get((role, name), 0) + 1
                if problem := judge(response, after, before):
                    problems.append(f"{role} {form.action} ({label}): {problem}")
            if email:
                # A post may have ended the session (a password change): sign in again.
                client.force_login(User.objects.get(email=email))

    assert problems == [], "\n".join(problems)
    posted = {name for _role, name in walked}
    unreached = sorted(set(_pattern_names()) - visited - posted - set(NOT_WALKED))
    assert unreached == [], "not reached; link them or add to NOT_WALKED: " + ", ".join(unreached)
    assert len(posted) >= 40


def _pattern_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.app_name == "admin":
                continue
            yield from _pattern_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"
