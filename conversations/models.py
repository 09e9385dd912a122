"""The conversation, its cycle, versions, confirmations and the dialogue around them."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core import audit
from core.errors import ImmutableRecord
from core.free_text import STORED_MAX_LENGTH
from core.models import TimeStampedModel

TEXT_MAX = STORED_MAX_LENGTH  # new writes are held to core.free_text.max_length()


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Venter på bekreftelse")
    CHANGES_REQUESTED = "changes_requested", _("Endringer ønsket")
    CONFIRMED = "confirmed", _("Bekreftet")
    CLOSED = "closed", _("Avsluttet")
    CANCELLED = "cancelled", _("Avlyst")


OPEN_STATUSES = (Status.DRAFT, Status.AWAITING_CONFIRMATION, Status.CHANGES_REQUESTED, Status.CONFIRMED)
FINISHED_STATUSES = (Status.CLOSED, Status.CANCELLED)


@audit.track()
class Template(models.Model):
    """HR's default agenda for a cycle."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self) -> str:
        return self.name


@audit.track()
class TemplatePoint(models.Model):
    template = models.ForeignKey(Template, related_name="points", on_delete=models.CASCADE)
    text = models.CharField(_("agenda point"), max_length=500)
    hint = models.TextField(_("hint"), blank=True, max_length=TEXT_MAX)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("template point")
        verbose_name_plural = _("template points")

    def __str__(self) -> str:
        return self.text


@audit.track()
class Cycle(models.Model):
    """An HR-defined round of conversations, e.g. "Medarbeidersamtaler 2027"."""

    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    deadline = models.DateField(_("deadline"))
    check_in_days = models.PositiveSmallIntegerField(
        _("check-in interval (days)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_("A confirmed agreement with no follow-up for longer waits on both parties."),
    )
    template = models.ForeignKey(
        Template,
        null=True,
        blank=True,
        related_name="cycles",
        on_delete=models.SET_NULL,
        verbose_name=_("template"),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")), name="cycle_deadline_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


# The rights on a conversation (codenames of the model's permissions, Django's own view right and
# those of `Conversation.Meta.permissions`); who holds which is decided in `conversations.access.permissions`.
VIEW = "view_conversation"
MANAGE = "manage_conversation"
RESPOND = "respond_conversation"
COMMENT = "comment_conversation"


def active_grant_filter(user, today, conversation_ref="pk", leader_ref="leader"):
    """The deputy grants of `user` active on `today` for the outer conversation (its own or its
    leader's), as a subquery for `Exists`."""
    return (
        DeputyGrant.objects.active(today)
        .filter(deputy=user)
        .filter(
            Q(conversation=OuterRef(conversation_ref))
            | Q(conversation__isnull=True, leader=OuterRef(leader_ref))
        )
    )


def visible_conditions(user_id: int, today) -> Q:
    """The conversations the user may see: a view right, held as a party (employee, leader, the
    employee's current manager) or through a grant active today, so a stale right shows nothing.
    `conversations.access.permissions` checks one conversation by the same rule."""
    granted = ConversationUserObjectPermission.objects.filter(user=user_id, permission__codename=VIEW)
    party = Q(employee=user_id) | Q(leader=user_id) | Q(employee__manager=user_id)
    deputy = Exists(active_grant_filter(user_id, today))
    return Q(pk__in=granted.values("content_object_id")) & (party | deputy)


class ConversationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def finished(self):
        return self.filter(status__in=FINISHED_STATUSES)

    def visible_to(self, user):
        """The conversations `user` may see today (none for an anonymous or inactive user)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.filter(pk__in=[])
        return self.filter(pk__in=Conversation.objects.visible_ids(user.pk, timezone.localdate()))

    def visible_ids(self, user_id: int, today):
        """The ids of the conversations the user (an active one) may see on `today`, as a subquery."""
        return self.filter(visible_conditions(user_id, today)).values("pk")


@audit.track()
class Conversation(TimeStampedModel):
    """One leader-employee conversation and the contract agreed in it."""

    cycle = models.ForeignKey(
        Cycle,
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.PROTECT,
        verbose_name=_("cycle"),
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="conversations",
        on_delete=models.PROTECT,
        verbose_name=_("employee"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="led_conversations",
        on_delete=models.PROTECT,
        verbose_name=_("leader"),
    )
    unit = models.ForeignKey(
        "organization.OrgUnit",
        null=True,
        blank=True,
        related_name="conversations",
        on_delete=models.PROTECT,
        verbose_name=_("unit"),
    )
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    # The FIRST confirmation: set once and kept through amendments and later confirmations (what the
    # statistics' days to confirmation measure). Each confirmation's own time is
    # `Confirmation.confirmed_at`; the binding version's is the detail's `confirmed_version.confirmed_at`.
    # The API and DESIGN.md keep the name `confirmed_at`.
    confirmed_at = models.DateTimeField(_("first confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    confirmed_version = models.ForeignKey(
        "ContractVersion",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("binding version"),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["leader", "status"]),
            models.Index(fields=["employee", "status"]),
            models.Index(fields=["cycle", "unit"]),
            # For the statistics' data version of an earlier release (it now reads audit events).
            models.Index(fields=["updated_at"], name="conversation_updated_at_idx"),
        ]
        permissions = [
            (MANAGE, _("Can edit, submit, amend and close the conversation")),
            (RESPOND, _("Can confirm or request changes to the conversation")),
            (COMMENT, _("Can comment and add follow-ups")),
        ]

    def __str__(self) -> str:
        cycle = f" ({self.cycle})" if self.cycle_id else ""
        return f"{self.employee.full_name}{cycle}"

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.CHANGES_REQUESTED)

    @property
    def etag(self) -> str:
        return f'"c{self.pk}-{self.revision}"'


@audit.track()
class ConversationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Conversation, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission", "content_object"])]


@audit.track()
class ConversationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Conversation, on_delete=models.CASCADE)


class ImmutableQuerySet(models.QuerySet):
    """Refuses bulk changes: a signed record is never rewritten."""

    def update(self, **kwargs):
        raise ImmutableRecord()

    def delete(self):
        raise ImmutableRecord()

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecord()


class ImmutableModel(models.Model):
    """Rows may be inserted once; the ORM's save/update/delete paths refuse any later change.

    Deletion only happens through the cascade from the conversation (retention), which Django performs
    without calling these methods.
    """

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecord()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord()


@audit.track()
class ContractVersion(ImmutableModel):
    """A frozen snapshot of the agreement: canonical JSON and its SHA-256."""

    conversation = models.ForeignKey(Conversation, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version"))
    canonical_json = models.TextField(_("content (canonical JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, verbose_name=_("submitted by")
    )

    class Meta:
        ordering = ["conversation", "number"]
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.sha256[:12]}"

    @property
    def content(self) -> dict:
        import json

        return json.loads(self.canonical_json)


@audit.track()
class Confirmation(ImmutableModel):
    """The employee's signature on one exact version."""

    version = models.OneToOneField(ContractVersion, related_name="confirmation", on_delete=models.CASCADE)
    conversation = models.ForeignKey(Conversation, related_name="confirmations", on_delete=models.CASCADE)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, verbose_name=_("confirmed by")
    )

    class Meta:
        ordering = ["confirmed_at"]
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")

    def __str__(self) -> str:
        return f"{self.version} @ {self.confirmed_at:%Y-%m-%d %H:%M}"


class ItemReference(models.Model):
    """An optional pointer to one contract item (at most one of goal, task, expectation)."""

    goal = models.ForeignKey("goals.Goal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    task = models.ForeignKey("goals.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    expectation = models.ForeignKey(
        "goals.Expectation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def item(self):
        return self.goal or self.task or self.expectation


def _at_most_one_item(name: str) -> models.CheckConstraint:
    one = Q(goal__isnull=True) | (Q(task__isnull=True) & Q(expectation__isnull=True))
    two = Q(task__isnull=True) | Q(expectation__isnull=True)
    return models.CheckConstraint(condition=one & two, name=name)


@audit.track()
class Comment(ItemReference):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("Kommentar")
        CHANGE_REQUEST = "change_request", _("Ønske om endring")
        STATEMENT = "statement", _("Tilleggsmerknad")

    conversation = models.ForeignKey(Conversation, related_name="comments", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [_at_most_one_item("comment_at_most_one_item")]

    def __str__(self) -> str:
        return self.text[:60]


@audit.track()
class AgendaPoint(models.Model):
    """A point for the meeting. Unshared points are the author's private preparation."""

    conversation = models.ForeignKey(Conversation, related_name="agenda_points", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    hint = models.TextField(_("hint"), blank=True, max_length=TEXT_MAX)
    shared = models.BooleanField(_("shared"), default=True)
    from_template = models.BooleanField(_("from the cycle's template"), default=False)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["order", "created_at", "id"]
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")

    def __str__(self) -> str:
        return self.text[:60]


@audit.track()
class ItemResponse(ItemReference):
    """The employee's stance on one item of one submitted version."""

    class Stance(models.TextChoices):
        AGREE = "agree", _("Enig")
        AGREE_WITH_COMMENT = "agree_with_comment", _("Enig med kommentar")
        DISAGREE = "disagree", _("Uenig")

    conversation = models.ForeignKey(Conversation, related_name="responses", on_delete=models.CASCADE)
    version = models.ForeignKey(ContractVersion, related_name="responses", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    stance = models.CharField(_("stance"), max_length=24, choices=Stance.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("item response")
        verbose_name_plural = _("item responses")
        constraints = [
            _at_most_one_item("response_at_most_one_item"),
            models.UniqueConstraint(fields=["version", "goal"], name="response_unique_goal"),
            models.UniqueConstraint(fields=["version", "task"], name="response_unique_task"),
            models.UniqueConstraint(fields=["version", "expectation"], name="response_unique_expectation"),
        ]

    def __str__(self) -> str:
        return self.stance


@audit.track()
class FollowUp(ItemReference):
    """A dated dialogue entry after confirmation: "Er vi på rett vei?"."""

    class ItemStatus(models.TextChoices):
        ON_TRACK = "on_track", _("På rett vei")
        AT_RISK = "at_risk", _("I fare")
        OFF_TRACK = "off_track", _("Ikke på rett vei")
        ACHIEVED = "achieved", _("Oppnådd")

    class Kind(models.TextChoices):
        NOTE = "note", _("Oppfølging")
        QUESTION = "question", _("Spørsmål")
        ANSWER = "answer", _("Svar")
        KEPT = "kept", _("Holdt")
        NOT_KEPT = "not_kept", _("Ikke holdt")

    class Answer(models.TextChoices):
        ON_TRACK = "on_track", _("Ja, dere er på rett vei")
        ADJUST = "adjust", _("Juster kursen")
        TALK = "talk", _("La oss snakke")

    conversation = models.ForeignKey(Conversation, related_name="follow_ups", on_delete=models.CASCADE)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT)
    text = models.TextField(_("text"), max_length=TEXT_MAX)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    item_status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NOTE)
    # One answer per question: the database refuses a second one.
    answers = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        related_name="answered_by",
        on_delete=models.CASCADE,
        verbose_name=_("answers the question"),
    )
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            _at_most_one_item("followup_at_most_one_item"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100), name="followup_progress"
            ),
            # An answer, and only an answer, names its question and one of the three answers.
            models.CheckConstraint(
                condition=(Q(kind="answer") & Q(answers__isnull=False) & ~Q(answer=""))
                | (~Q(kind="answer") & Q(answers__isnull=True) & Q(answer="")),
                name="followup_answer_names_question",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"]),
            models.Index(fields=["conversation", "kind"], name="followup_conversation_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        """A question is open until it is answered (read through `answered_by`: select it with the row)."""
        if self.kind != self.Kind.QUESTION:
            return False
        try:
            self.answered_by  # noqa: B018 - the reverse one-to-one, loaded or looked up
        except FollowUp.DoesNotExist:
            return True
        return False


class DeputyGrantQuerySet(models.QuerySet):
    def active(self, day=None):
        """The grants that give access on `day` (today): not ended, not past their date, and to a deputy
        who leads now (`organization.selectors.leaders`; DESIGN: a deputy is another leader). A grant made
        before that rule to someone who is no leader, or to a leader who has since stopped leading, gives
        no access; `services.expire_grants` ends it."""
        from organization.selectors import leaders  # noqa: PLC0415 - organization imports this app's models

        day = day or timezone.localdate()
        return self.filter(ended_at__isnull=True, until__gte=day).filter(
            models.Exists(leaders().filter(pk=models.OuterRef("deputy")))
        )


@audit.track()
class DeputyGrant(models.Model):
    """A leader lets a deputy see and follow up one or all of their conversations until a date."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="deputy_grants_given", on_delete=models.CASCADE
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="deputy_grants_received", on_delete=models.CASCADE
    )
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, related_name="deputy_grants", on_delete=models.CASCADE
    )
    until = models.DateField(_("until"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = DeputyGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("deputy grant")
        verbose_name_plural = _("deputy grants")
        indexes = [models.Index(fields=["deputy", "ended_at", "until"])]

    def __str__(self) -> str:
        return f"{self.deputy} ← {self.leader} ({self.until})"

    def is_active_on(self, day) -> bool:
        return self.ended_at is None and self.until >= day


class HistoryEntry(models.Model):
    """One transition or content change: who, when, what. Shown to both parties."""

    conversation = models.ForeignKey(Conversation, related_name="history", on_delete=models.CASCADE)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    action = models.CharField(_("action"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"


class AccessLogEntry(models.Model):
    """Who opened a conversation, when, and through what."""

    conversation = models.ForeignKey(Conversation, related_name="access_log", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+", on_delete=models.SET_NULL)
    channel = models.CharField(_("channel"), max_length=16)
    accessed_at = models.DateTimeField(_("accessed at"), default=timezone.now)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["conversation", "accessed_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.channel} {self.accessed_at:%Y-%m-%d %H:%M}"


class Reminder(models.Model):
    """A reminder e-mail that was sent, so the same reminder is never sent twice."""

    class Kind(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Waiting for confirmation")
        GOAL_WITHOUT_FOLLOW_UP = "goal_without_follow_up", _("Goal without follow-up")
        CHECK_IN = "check_in", _("No follow-up for longer than the check-in interval")

    conversation = models.ForeignKey(Conversation, related_name="reminders", on_delete=models.CASCADE)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    key = models.CharField(_("what it was about"), max_length=100)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
