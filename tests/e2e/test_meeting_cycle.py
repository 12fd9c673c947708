"""One meeting cycle, lived by its people through links only.

The secretariat creates a meeting with a room and an agenda holding a session for
participants only, and publishes it; a delegation gets its National Representative;
the National Representative nominates two people and approves; the secretariat
confirms and invites; the invitee follows the e-mailed link, signs up in her own
language with her name already set, registers, and finds the meeting, her registration
and the participants' session in her zone and the meeting's on her home page; the
secretariat moves the session and publishes; the invitee hears of it by name, in both
zones, and subscribes to "My agenda" from the address shown. The moderator of a panel
sets the deadline for slides, a speaker uploads theirs from the home page's step, the
slides appear on the panel page and as new on the invitee's home page.

Each person types an address once (the start page); after that every step is a link,
a button or an e-mail the portal sent. PostgreSQL, Redis, a real Celery worker and the
test SMTP server carry the mail and the PDFs.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from meetings.models import Meeting
from meetings.register.demo import demo_pdf
from tests.celery_worker import wait_until
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.coordination import indonesia
from tests.factories.meetings import AgendaSessionFactory, lao_pdr
from tests.factories.panels import ConferenceFactory, PanelFactory, SpeakerFactory
from tests.factories.pilots import ASEAN, member_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIENTIANE = "Asia/Vientiane"


def start(browser, live_server, email):
    """A person's own browser, on the start page, logged in through its links."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/")
    if email:
        page.get_by_role("link", name="Log in").first.click()
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    return page


def mail_to(inbox, address, subject_part):
    """The message to ``address`` whose subject holds ``subject_part``, once it arrives."""

    def find():
        return next(
            (
                message
                for message in inbox.messages
                if message["To"] == address and subject_part in message["Subject"]
            ),
            None,
        )

    wait_until(lambda: find() is not None, timeout=60, message=f"mail to {address}")
    return find()


def test_one_meeting_cycle_through_links_only(browser, live_server, celery_worker, worker_smtp):
    lao_pdr(), indonesia()
    for code in ASEAN:  # transactional tests flush the data migration's member states
        member_state(code)
    UserFactory(email="nadia@asean.example", full_name="Nadia Rahman", role="secretariat")
    UserFactory(email="budi@kemendagri.example", full_name="Budi Santoso", role="")
    today = date.today()
    first_day = today + timedelta(days=60)
    closes = today + timedelta(days=30)

    # --- The secretariat creates the meeting, its room and agenda, and publishes -----------
    nadia = start(browser, live_server, "nadia@asean.example")
    nadia.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    nadia.get_by_role("link", name="New meeting").click()
    nadia.get_by_label("Number").fill("9")
    nadia.get_by_label("Title").fill("9th ASCN Annual Meeting")
    nadia.get_by_label("Host city").fill("Luang Prabang")
    nadia.get_by_label("Host country").select_option(label="Lao PDR")
    nadia.get_by_label("ASEAN chair").select_option(label="Lao PDR")
    nadia.get_by_label("First day").fill(first_day.isoformat())
    nadia.get_by_label("Last day").fill((first_day + timedelta(days=2)).isoformat())
    nadia.get_by_label("Time zone").select_option(VIENTIANE)
    nadia.get_by_label("Registration opens").fill(today.isoformat())
    nadia.get_by_label("Registration closes").fill(closes.isoformat())
    nadia.locator("#id_rooms-0-name").fill("Plenary Hall")
    nadia.locator("#id_rooms-0-capacity").fill("200")
    nadia.get_by_role("button", name="Save").click()
    expect(nadia.get_by_role("status")).to_contain_text("The meeting is saved.")

    nadia.get_by_role("link", name="Plan the agenda").click()
    day = nadia.get_by_role("region", name=f"{first_day:%A} {first_day.day} {first_day:%B %Y}")
    day.get_by_role("link", name="Add a session").click()
    nadia.get_by_label("Title").fill("Plenary: Shepherd report")
    nadia.get_by_label("Kind").select_option("plenary")
    nadia.get_by_label("Starts").fill("10:00")
    nadia.get_by_label("Ends").fill("11:30")
    nadia.get_by_label("Room").select_option(label="Plenary Hall")
    nadia.get_by_label("Who may see it").select_option("participants")
    nadia.get_by_role("button", name="Save the session").click()
    expect(nadia.get_by_role("status")).to_contain_text("The agenda is saved.")
    nadia.get_by_role("button", name="Publish the agenda").click()
    expect(nadia.get_by_role("heading", level=1)).to_have_text("Agenda of 9th ASCN Annual Meeting")

    # --- A delegation with its National Representative -----------------------------------
    nadia.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    nadia.get_by_role("region", name="Secretariat").get_by_role(
        "link", name="Set up the delegations of the 9th ASCN Annual Meeting"
    ).click()
    nadia.get_by_role("button", name="Create the member states' delegations").click()
    expect(nadia.get_by_role("status")).to_contain_text(
        "10 member states' delegations are created."
    )
    nadia.get_by_role("link", name="Set up Indonesia").click()
    nadia.get_by_label("Quota").fill("5")
    nadia.get_by_role("button", name="Save the delegation").click()
    expect(nadia.get_by_role("status")).to_contain_text("The delegation Indonesia is saved.")
    nadia.get_by_role("link", name="Set up Indonesia").click()
    nadia.get_by_label("E-mail address").fill("budi@kemendagri.example")
    nadia.get_by_role("button", name="Name the National Representative").click()
    expect(nadia.get_by_role("status")).to_contain_text(
        "Budi Santoso is the National Representative of Indonesia"
    )

    # --- The National Representative nominates two people and approves ---------------------
    nr = start(browser, live_server, "budi@kemendagri.example")
    nr.get_by_role("region", name="My delegations").get_by_role(
        "link", name="Indonesia · 9th ASCN Annual Meeting"
    ).click()
    for honorific, name, email, language in [
        ("Ms", "Dewi Lestari", "dewi@banyuwangi.example", "id"),
        ("Mr", "Agus Pratama", "agus@ptri.example", "en"),
    ]:
        nr.get_by_role("link", name="Nominate a participant").click()
        nr.get_by_label("Honorific").fill(honorific)
        nr.get_by_label("Full name").fill(name)
        nr.get_by_label("Position").fill("Chief Smart City Officer")
        nr.get_by_label("E-mail address").fill(email)
        nr.get_by_label("Language of e-mails").select_option(language)
        nr.get_by_role("button", name="Nominate").click()
        expect(nr.get_by_role("status")).to_contain_text(f"{name} is nominated.")
    nr.get_by_role("button", name="Approve the roster and send it to the secretariat").click()
    expect(nr.get_by_role("status")).to_contain_text("The roster is approved")

    # --- The secretariat confirms and invites --------------------------------------------
    nadia.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    nadia.get_by_role("region", name="Secretariat").get_by_role("link", name="Indonesia").click()
    nadia.get_by_role("button", name="Confirm the roster").click()
    expect(nadia.get_by_role("status")).to_contain_text("The roster is confirmed.")
    nadia.get_by_role("button", name="Invite everyone not yet invited").click()
    expect(nadia.get_by_role("status")).to_contain_text("2 invitations are on their way.")

    # --- The invitee reads the mail, signs up in her language, registers --------------------
    invitation = mail_to(worker_smtp, "dewi@banyuwangi.example", "Undangan")
    body = worker_smtp.body(invitation)
    assert body.startswith("Yth. Dewi Lestari,\n")
    link = re.search(r"(http://\S+/delegations/invitation/\S+/)", body)[1]
    assert link.startswith(live_server.url)  # the address the portal is served on

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(15_000)
    dewi = context.new_page()
    dewi.goto(link)  # from her inbox
    expect(dewi.locator("html")).to_have_attribute("lang", "id")
    dewi.locator("#id_email").fill("dewi@banyuwangi.example")
    dewi.locator("#id_password1").fill(PASSWORD)
    dewi.locator("#id_password2").fill(PASSWORD)
    dewi.locator("main form button[type=submit]").click()

    expect(dewi.get_by_role("heading", level=1)).to_have_text(
        "Pendaftaran untuk 9th ASCN Annual Meeting"
    )
    dewi.locator("#id_arrival_date").fill((first_day - timedelta(days=1)).isoformat())
    dewi.locator("#id_departure_date").fill((first_day + timedelta(days=3)).isoformat())
    dewi.locator("#id_emergency_contact").fill("Ayu, +62 811 000")
    dewi.locator("#id_consent_data_processing").check()
    dewi.get_by_role("button", name="Simpan pendaftaran saya").click()
    expect(dewi.get_by_role("status")).to_contain_text("Pendaftaran Anda disimpan.")

    # Her name and language are already set; she picks her own zone.
    dewi.get_by_role("link", name="Akun saya").click()
    expect(dewi.locator("#id_full_name")).to_have_value("Dewi Lestari")
    expect(dewi.locator("#id_honorific")).to_have_value("Ms")
    expect(dewi.locator("#id_language")).to_have_value("id")
    expect(dewi.locator("#id_time_zone")).to_have_value("Asia/Jakarta")
    dewi.locator("#id_time_zone").select_option("Asia/Makassar")
    dewi.get_by_role("button", name="Simpan").click()
    expect(dewi.get_by_role("status")).to_contain_text("Akun Anda telah disimpan.")

    # Home: the meeting, her registration, the agenda in both zones.
    dewi.get_by_role("navigation").get_by_role("link", name="Beranda").click()
    meetings = dewi.get_by_role("region", name="Pertemuan saya")
    expect(meetings).to_contain_text("9th ASCN Annual Meeting")
    expect(meetings).to_contain_text("Terdaftar")
    expect(meetings.get_by_role("link", name="Pendaftaran saya")).to_be_visible()
    meetings.get_by_role("link", name="Agenda", exact=True).click()
    session = dewi.get_by_role("listitem").filter(has_text="Plenary: Shepherd report")
    expect(session).to_contain_text("10:00–11:30")
    expect(session).to_contain_text("11:00–12:30 WITA")

    # --- The secretariat moves the session and publishes -----------------------------------
    nadia.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    nadia.get_by_role("link", name="9th ASCN Annual Meeting").click()
    nadia.get_by_role("link", name="Plan the agenda").click()
    nadia.get_by_role("link", name="Edit Plenary: Shepherd report").click()
    nadia.get_by_label("Starts").fill("14:00")
    nadia.get_by_label("Ends").fill("15:30")
    nadia.get_by_role("button", name="Save the session").click()
    expect(nadia.get_by_role("status")).to_contain_text("The agenda is saved.")
    nadia.get_by_role("button", name="Publish the agenda").click()
    expect(nadia.get_by_role("status")).to_contain_text("Version 2 of the agenda is published")

    # --- She hears of it by name, in both zones -------------------------------------------
    notice = worker_smtp.body(mail_to(worker_smtp, "dewi@banyuwangi.example", "versi 2"))
    when = f"{first_day:%d}".lstrip("0")
    assert notice.startswith("Halo Ms Dewi Lestari,\n")
    assert "- Plenary: Shepherd report\n" in notice
    assert f"10:00–11:30 ({VIENTIANE}); " in notice
    assert f"14:00–15:30 ({VIENTIANE}); " in notice
    assert "15:00–16:30 (Asia/Makassar)" in notice
    assert f" {when} " in notice

    # --- She subscribes to "My agenda" from the address shown -----------------------------
    dewi.reload()
    dewi.get_by_role("link", name="Agenda saya").click()
    expect(dewi.get_by_role("heading", level=1)).to_have_text("Agenda saya")
    dewi.get_by_role("link", name="Tambahkan ke kalender saya").click()
    dewi.get_by_role("button", name="Buat alamat pribadi saya").click()
    feeds = dewi.locator("code.feed-url")
    expect(feeds).to_have_count(2)
    my_feed = feeds.nth(1).inner_text()
    assert my_feed.startswith(live_server.url)
    assert my_feed.endswith("-mine.ics")
    response = dewi.request.get(my_feed)  # what her calendar app does
    assert response.status == 200
    events = Calendar.from_ical(response.body()).walk("VEVENT")
    [plenary] = [event for event in events if str(event["SUMMARY"]) == "Plenary: Shepherd report"]
    start_at = plenary["DTSTART"].dt
    assert plenary["DTSTART"].params["TZID"] == VIENTIANE
    assert (start_at.date(), start_at.hour, start_at.minute) == (first_day, 14, 0)
    assert isinstance(start_at, datetime)

    # --- The moderator sets the slides deadline; a speaker uploads; Dewi sees it new ------
    meeting = Meeting.objects.get(number=9)
    slot = datetime.combine(first_day + timedelta(days=1), time(13, 30), tzinfo=meeting.zone)
    panel = PanelFactory(
        conference=ConferenceFactory(meeting=meeting),
        number=3,
        title="Forging Partnerships",
        moderator=UserFactory(email="rina@pacis.example", full_name="Rina Wijaya", role=""),
        agenda_session=AgendaSessionFactory(
            meeting=meeting,
            title="Panel 3: Forging Partnerships",
            kind="conference_panel",
            starts_at=slot,
            ends_at=slot + timedelta(minutes=75),
        ),
    )
    SpeakerFactory(
        panel=panel,
        user=UserFactory(email="lee@ese.example", full_name="Changho Lee", role=""),
    )
    rina = start(browser, live_server, "rina@pacis.example")
    rina.get_by_role("region", name="Panels I moderate").get_by_role("link").first.click()
    rina.get_by_role("link", name="Set the deadline for slides").click()
    rina.get_by_label("Day").fill(first_day.isoformat())
    rina.get_by_label("Time").fill("09:00")
    rina.get_by_role("button", name="Save the deadline").click()
    expect(rina.get_by_role("status")).to_contain_text(f"09:00 ({VIENTIANE})")

    lee = start(browser, live_server, "lee@ese.example")
    lee.get_by_role("link", name=re.compile("Upload your slides for Panel 3")).click()
    lee.locator("input[type=file]").set_input_files(
        {"name": "lee.pdf", "mimeType": "application/pdf", "buffer": demo_pdf("ESE slides")}
    )
    lee.get_by_role("button", name="Upload").click()
    symbol = f"ASCN/AM9/{first_day.year}/CRP.1"
    expect(lee.get_by_role("status")).to_contain_text(symbol)
    lee.get_by_role("main").get_by_role("link", name="Panel 3: Forging Partnerships").click()
    expect(lee.get_by_role("list", name="Documents")).to_contain_text(symbol)

    dewi.get_by_role("navigation").get_by_role("link", name="Beranda").click()
    new = dewi.get_by_role("region", name="Baru sejak kunjungan terakhir Anda")
    new.get_by_role("link", name=symbol).click()
    expect(dewi.get_by_role("heading", level=1)).to_contain_text("Changho Lee")

    # --- The secretariat writes the introduction and compiles the outcome report ----------
    nadia.get_by_role("navigation", name="Main").get_by_role("link", name="Meetings").click()
    nadia.get_by_role("link", name="9th ASCN Annual Meeting").click()
    nadia.get_by_role("link", name="Outcome report").click()
    nadia.get_by_role("textbox", name="Introduction").fill(
        "The 9th meeting <b>met</b> in Luang Prabang."
    )
    nadia.get_by_role("button", name="Save and compile a new version").click()
    expect(nadia.get_by_role("status").first).to_contain_text("Version 1 is being compiled.")
    expect(nadia.get_by_role("link", name="Download version 1 (PDF)")).to_be_visible(timeout=90_000)
    expect(nadia.get_by_role("textbox", name="Introduction")).to_have_value(
        "The 9th meeting <b>met</b> in Luang Prabang."
    )

    # --- Dewi finds the report among what is new on her home page --------------------------
    dewi.get_by_role("navigation").get_by_role("link", name="Beranda").click()
    new = dewi.get_by_role("region", name="Baru sejak kunjungan terakhir Anda")
    # The published agenda took DOC.1, in the register like every document.
    expect(new.get_by_role("link", name=f"ASCN/AM9/{first_day.year}/DOC.2")).to_be_visible()
    new.get_by_role("link", name=f"ASCN/AM9/{first_day.year}/DOC.1").click()
    expect(dewi.get_by_role("heading", level=1)).to_contain_text(
        "Agenda of the 9th ASCN Annual Meeting"
    )
    for page in (nadia, nr, dewi, rina, lee):
        page.context.close()
