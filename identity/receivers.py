"""Whatever marks a person as having left (the import, SCIM, the admin) ends their access at once."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from identity import language, services
from organization.signals import people_left


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    services.session_remember(user=user, session=request.session)


@receiver(user_logged_in)
def activate_language(sender, request, user, **kwargs):
    language.activate_on_sign_in(request, user)


@receiver(people_left)
def end_access_of_leavers(sender, user_ids, **kwargs):
    services.access_end(user_ids=user_ids)


@receiver(post_save, sender=get_user_model())
def end_access_when_saved_as_left(sender, instance, created, **kwargs):
    # The admin (and any other save) marks someone as having left by switching off `is_active` or by
    # setting `left_on`; a save of someone active is the common case and costs nothing here.
    if not created and (
        not instance.is_active or (instance.left_on and instance.left_on <= timezone.localdate())
    ):
        services.access_end(user_ids=[instance.pk])


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and request.session.session_key:
        services.session_forget(session_key=request.session.session_key)
