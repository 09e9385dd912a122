"""People, org units and reporting lines."""

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import audit

PATH_SEPARATOR = "/"


@audit.track()
class OrgUnit(models.Model):
    """A node in the organisation tree. `path` is the full name path and makes subtree queries cheap."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
        verbose_name=_("parent"),
    )
    path = models.CharField(_("path"), max_length=1000, unique=True)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="orgunit_unique_name_per_parent"),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def subtree_prefix(self) -> str:
        return self.path + PATH_SEPARATOR


class SamtaleUserManager(UserManager):
    def _new_user(self, employee_id, email, password, **extra_fields):
        email = self.normalize_email(email)
        user = self.model(employee_id=employee_id, email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, employee_id, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._new_user(employee_id, email, password, **extra_fields)

    def create_superuser(self, employee_id, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._new_user(employee_id, email, password, **extra_fields)


@audit.track(exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person in the organisation. The HR system's employee id is the username."""

    class Language(models.TextChoices):
        BOKMAL = "nb", _("Norsk bokmål")
        NYNORSK = "nn", _("Norsk nynorsk")
        ENGLISH = "en", _("English")

    employee_id = models.CharField(_("employee id"), max_length=64, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        related_name="members",
        on_delete=models.PROTECT,
        verbose_name=_("unit"),
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="reports",
        on_delete=models.SET_NULL,
        verbose_name=_("manager"),
    )
    is_leader = models.BooleanField(_("leader"), default=False)
    is_hr = models.BooleanField(_("HR"), default=False)
    shares_history = models.BooleanField(
        _("shares closed conversations with the current leader"), default=False
    )
    email_digest = models.BooleanField(
        _("én samlemelding om dagen i stedet for én e-post per hendelse"), default=False
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.BOKMAL
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)

    objects = SamtaleUserManager()

    USERNAME_FIELD = "employee_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["manager", "is_active"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_id})"

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.employee_id

    @property
    def roles(self) -> list[str]:
        roles = ["employee"]
        if self.is_leader:
            roles.append("leader")
        if self.is_hr:
            roles.append("hr")
        return roles


# Group memberships and direct permission grants (the admin can change both) are part of the trail too:
# pgtrigger reaches Django's automatic many-to-many tables through proxy models.
@audit.track(obj_field=None)
class UserGroups(User.groups.through):
    class Meta:
        proxy = True


@audit.track(obj_field=None)
class UserUserPermissions(User.user_permissions.through):
    class Meta:
        proxy = True
