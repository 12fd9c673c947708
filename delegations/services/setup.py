"""Setting up a meeting's delegations: the member states, the other bodies, quotas,
heads of delegation and National Representatives (named, or invited by e-mail)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ascn_portal.accounts.models import User
from ascn_portal.accounts.zones import country_zone
from ascn_portal.core.actors import Actor, acting_person, reply_to
from ascn_portal.core.audit import log_action
from ascn_portal.core.outbox import MailSpec, queue_mails
from ascn_portal.core.sites import absolute_url
from ascn_portal.core.tokens import hash_token, new_token
from delegations.enums import SEATED, DelegationKind, DelegationRole, ParticipantStatus
from delegations.models import Delegation, Participant, RepresentativeInvitation
from delegations.services.invitations import InvitationProblem
from meetings.models import Meeting
from pilots.models import Country

DEFAULT_QUOTA = 10
REPRESENTATIVE_INVITATION_DAYS = 30


def create_member_state_delegations(
    meeting: Meeting, *, actor: Actor, quota: int = DEFAULT_QUOTA
) -> list[Delegation]:
    """Give each ASEAN member state without one a delegation to ``meeting``, in ASEAN
    order (English short names). A second call creates nothing: the meeting row is
    locked while the existing delegations are read. Side effects: the Delegation rows,
    an audit entry each.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        existing = set(
            meeting.delegations.filter(country__isnull=False).values_list("country_id", flat=True)
        )
        taken_names = set(meeting.delegations.values_list("name", flat=True))
        created = []
        for country in Country.objects.asean_members().order_by("name"):
            if country.pk in existing or country.name in taken_names:
                continue
            delegation = Delegation.objects.create(
                meeting=meeting,
                country=country,
                name=country.name,
                kind=DelegationKind.MEMBER_STATE,
                quota=quota,
            )
            log_action(delegation, "delegations.delegation.create", actor=actor)
            created.append(delegation)
    return created


def add_delegation(meeting: Meeting, delegation: Delegation, *, actor: Actor) -> Delegation:
    """Add one delegation (a member state or another body) to ``meeting``.

    Raises ValidationError when the meeting already has a delegation of that name or
    country. Side effects: the Delegation row, an audit entry.
    """
    delegation.meeting = meeting
    _refuse_duplicate(delegation)
    try:
        with transaction.atomic():
            delegation.save()
            log_action(delegation, "delegations.delegation.create", actor=actor)
    except IntegrityError as exc:  # a concurrent request added the same one
        raise ValidationError(_("This meeting already has that delegation.")) from exc
    return delegation


def _refuse_duplicate(delegation: Delegation) -> None:
    others = Delegation.objects.filter(meeting=delegation.meeting).exclude(pk=delegation.pk)
    if others.filter(name__iexact=delegation.name).exists():
        raise ValidationError(
            {
                "name": _("This meeting already has a delegation named %(name)s.")
                % {"name": delegation.name}
            }
        )
    if delegation.country_id is not None and others.filter(country=delegation.country_id).exists():
        raise ValidationError(
            {
                "country": _("This meeting already has a delegation of %(country)s.")
                % {"country": delegation.country}
            }
        )
    if delegation.kind == DelegationKind.MEMBER_STATE and (
        delegation.country is None or not delegation.country.is_asean_member
    ):
        raise ValidationError(
            {"country": _("A member state's delegation needs its ASEAN member state.")}
        )


def change_delegation(
    delegation: Delegation, *, head: Participant | None, actor: Actor
) -> Delegation:
    """Save the delegation's name, kind, country and quota, and its head of delegation.

    The delegation row is locked while its registrations are counted: a quota below
    the number of people already registered raises ValidationError with both numbers.
    The head is one of the people holding a seat; the previous head becomes a member.
    Side effects: the Delegation row, participants' roles, an audit entry.
    """
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        _refuse_duplicate(delegation)
        registered = locked.participants.filter(status=ParticipantStatus.REGISTERED).count()
        if delegation.quota < registered:
            raise ValidationError(
                {
                    "quota": _(
                        "%(registered)s people of this delegation are registered already, "
                        "so its quota cannot be lower than %(registered)s (you asked for "
                        "%(quota)s). Withdraw someone first."
                    )
                    % {"registered": registered, "quota": delegation.quota}
                }
            )
        delegation.save(update_fields=["name", "kind", "country", "quota"])
        data: dict[str, object] = {"quota": [locked.quota, delegation.quota]}
        if head is not None:
            if head.delegation_id != delegation.pk or head.status not in SEATED:
                raise ValidationError({"head": _("The head must hold a seat on this roster.")})
            delegation.participants.filter(role=DelegationRole.HEAD).exclude(pk=head.pk).update(
                role=DelegationRole.MEMBER, updated_at=timezone.now()
            )
            if head.role != DelegationRole.HEAD:
                head.role = DelegationRole.HEAD
                head.save(update_fields=["role", "updated_at"])
            data["head"] = head.pk
        log_action(delegation, "delegations.delegation.change", actor=actor, data=data)
    return delegation


def head_of(delegation: Delegation) -> Participant | None:
    return (
        delegation.participants.filter(role=DelegationRole.HEAD, status__in=SEATED)
        .order_by("pk")
        .first()
    )


# --- The National Representative ------------------------------------------------------


def name_representative(delegation: Delegation, *, user: User, actor: Actor) -> Delegation:
    """Make ``user`` the delegation's National Representative and tell them by e-mail.

    Open invitations to represent the delegation are withdrawn. Side effects: the
    Delegation row, invitations revoked, an audit entry, one outbox message.
    """
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().select_related("meeting").get(pk=delegation.pk)
        )
        _revoke_open(delegation)
        delegation.national_representative = user
        delegation.save(update_fields=["national_representative"])
        entry = log_action(
            delegation,
            "delegations.representative.name",
            actor=actor,
            data={"user": user.pk},
        )
        queue_mails(
            [
                MailSpec(
                    to=[user.email],
                    template="delegations/representative_named",
                    context={
                        "name": user.display_name,
                        "delegation": delegation,
                        "meeting": delegation.meeting,
                        "link": absolute_url(delegation.get_absolute_url()),
                    },
                    idempotency_key=f"delegations.representative_named:{entry.pk}",
                    language=user.language,
                    reply_to=reply_to(actor),
                    about=delegation,
                )
            ],
            actor=actor,
        )
    return delegation


def invite_representative(
    delegation: Delegation,
    *,
    email: str,
    full_name: str = "",
    language: str = "en",
    actor: Actor,
) -> RepresentativeInvitation | None:
    """Name the person at ``email`` National Representative of the delegation.

    Someone with an account is named at once (name_representative; returns None).
    Anyone else is sent a personal link: it opens sign-up for that address, and the
    new account then manages the delegation. A newer invitation revokes the older.
    Side effects: a RepresentativeInvitation row, an audit entry, one outbox message.
    """
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        name_representative(delegation, user=user, actor=actor)
        return None
    now = timezone.now()
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update().select_related("meeting").get(pk=delegation.pk)
        )
        _revoke_open(delegation, now=now)
        token, token_hash = new_token()
        invitation = RepresentativeInvitation.objects.create(
            delegation=delegation,
            email=email,
            full_name=full_name,
            language=language,
            token_hash=token_hash,
            expires_at=now + timedelta(days=REPRESENTATIVE_INVITATION_DAYS),
            sent_by=acting_person(actor),
        )
        log_action(
            delegation, "delegations.representative.invite", actor=actor, data={"email": email}
        )
        queue_mails(
            [
                MailSpec(
                    to=[email],
                    template="delegations/representative_invitation",
                    context={
                        "name": full_name,
                        "delegation": delegation,
                        "meeting": delegation.meeting,
                        "link": absolute_url(
                            reverse("delegations:representative_invitation", args=[token])
                        ),
                        "expires_at": invitation.expires_at,
                        "time_zone": delegation.meeting.time_zone,
                    },
                    idempotency_key=f"delegations.representative_invitation:{invitation.pk}",
                    language=language,
                    secrets=("link",),
                    reply_to=reply_to(actor),
                    about=delegation,
                )
            ],
            actor=actor,
        )
    return invitation


def _revoke_open(delegation: Delegation, *, now: datetime | None = None) -> int:
    return delegation.representative_invitations.filter(
        used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now or timezone.now())


def open_representative_invitation(token: str) -> RepresentativeInvitation:
    """The invitation behind ``token``, or InvitationProblem saying why it cannot be used."""
    invitation = (
        RepresentativeInvitation.objects.select_related(
            "delegation__meeting", "delegation__country"
        )
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationProblem(_("This invitation link is not valid."))
    if invitation.revoked_at:
        raise InvitationProblem(_("This invitation was replaced or withdrawn; use the latest one."))
    if invitation.used_at:
        raise InvitationProblem(_("This invitation link was already used. Log in instead."))
    if invitation.expires_at <= timezone.now():
        raise InvitationProblem(
            _("This invitation has expired. Ask the secretariat for a new one.")
        )
    return invitation


def representative_profile(invitation: RepresentativeInvitation) -> dict[str, str]:
    """What the invitation knows of the person, for the account it creates."""
    delegation = invitation.delegation
    country = delegation.country.code if delegation.country is not None else None
    return {
        "full_name": invitation.full_name,
        "language": invitation.language,
        "time_zone": country_zone(country, default=delegation.meeting.time_zone),
    }


def accept_representative_invitation(
    invitation: RepresentativeInvitation, *, user: User
) -> Delegation:
    """Make ``user``, whose address the link was sent to, the National Representative.

    Side effects: the invitation used, the Delegation row, an audit entry.
    """
    if user.email.lower() != invitation.email.lower():
        raise InvitationProblem(
            _("This invitation was sent to another person. Log out and open it again.")
        )
    with transaction.atomic():
        used = RepresentativeInvitation.objects.filter(
            pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
        ).update(used_at=timezone.now())
        if not used:
            raise InvitationProblem(_("This invitation link was already used. Log in instead."))
        delegation: Delegation = Delegation.objects.select_for_update().get(
            pk=invitation.delegation_id
        )
        delegation.national_representative = user
        delegation.save(update_fields=["national_representative"])
        log_action(delegation, "delegations.representative.accept", actor=user)
    return delegation
