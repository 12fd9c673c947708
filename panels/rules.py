import rules
from django.utils import timezone

from ascn_portal.accounts.rules import is_secretariat


@rules.predicate
def moderates(user, panel):
    return panel is not None and user.is_authenticated and panel.moderator_id == user.pk


@rules.predicate
def speaks_on(user, panel):
    return panel is not None and user.is_authenticated and panel.speakers.filter(user=user).exists()


@rules.predicate
def slot_has_started(user, panel):
    """The panel's agenda slot has begun (or is over): there is an outcome to note."""
    session = panel.agenda_session if panel is not None else None
    return session is not None and session.starts_at <= timezone.now()


@rules.predicate
def is_shared_with_speaker(user, version):
    return version is not None and version.shared_at is not None and speaks_on(user, version.panel)


@rules.predicate
def may_compose(user, version):
    return version is not None and (is_secretariat(user) or moderates(user, version.panel))


# Setting up the conference, its panels and their speakers is the secretariat's job.
rules.add_perm("panels.manage_panels", is_secretariat)
# The brief: its moderator composes it (the secretariat may step in).
rules.add_perm("panels.compose_brief", is_secretariat | moderates)
# Who is on a panel and what it is for, beyond its public page: its people.
rules.add_perm("panels.view_panel_room", is_secretariat | moderates | speaks_on)
# A brief's PDF: its composers always, its speakers once that version is shared.
rules.add_perm("panels.view_brief_version", may_compose | is_shared_with_speaker)
# The outcome note: its moderator (or the secretariat), once the panel has begun.
rules.add_perm("panels.write_outcome_note", (is_secretariat | moderates) & slot_has_started)


@rules.predicate
def gives_the_talk(user, speaker):
    return speaker is not None and user.is_authenticated and speaker.user_id == user.pk


@rules.predicate
def slides_open(user, speaker):
    """Before the moderator's deadline for slides (open while none is set)."""
    due = speaker.panel.slides_due if speaker is not None else None
    return speaker is not None and (due is None or timezone.now() < due)


# The slides deadline is set by the panel's moderator (or the secretariat).
rules.add_perm("panels.set_slides_due", is_secretariat | moderates)
# A speaker uploads their own slides until the deadline; the secretariat at any time.
rules.add_perm("panels.upload_slides", is_secretariat | (gives_the_talk & slides_open))
