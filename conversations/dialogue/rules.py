"""The rules of the year-round dialogue: who answers a question and who marks a promise.

Each party has a side: the employee, or the leader's side (the leader and any deputy). A question
waits on the other side; a promise (an expectation) is judged by the side it was made to."""

from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation, FollowUp
from core.errors import InvalidInput, InvalidTransition, NotAllowed
from goals.models import Expectation

EMPLOYEE_SIDE = "employee"
LEADER_SIDE = "leader"

# The direction of the expectations each side judges: the promises the other side made to it.
JUDGED_DIRECTION = {
    EMPLOYEE_SIDE: Expectation.Direction.EMPLOYEE_TO_LEADER,
    LEADER_SIDE: Expectation.Direction.LEADER_TO_EMPLOYEE,
}
MARK_KINDS = (FollowUp.Kind.KEPT, FollowUp.Kind.NOT_KEPT)


def side_of(user_id: int, conversation: Conversation) -> str:
    """The employee's side or the leader's (the leader and deputies) for someone taking part."""
    return EMPLOYEE_SIDE if user_id == conversation.employee_id else LEADER_SIDE


def check_answer(conversation: Conversation, actor, question: FollowUp | None, answer: str) -> None:
    """An answer must name an open question of this conversation asked by the other side, and say
    one of the three answers."""
    if answer not in FollowUp.Answer.values:
        raise InvalidInput(_("Choose an answer: on track, adjust or talk."))
    if (
        question is None
        or question.conversation_id != conversation.pk
        or question.kind != FollowUp.Kind.QUESTION
    ):
        raise InvalidInput(_("Choose the question you are answering."))
    if side_of(actor.pk, conversation) == side_of(question.author_id, conversation):
        raise NotAllowed(_("The question waits on the other party; only they can answer it."))
    if FollowUp.objects.filter(answers=question).exists():
        raise InvalidTransition(_("The question has already been answered."))


def check_mark(conversation: Conversation, actor, expectation: Expectation | None) -> None:
    """A promise is marked kept or not by the party it was made to."""
    if expectation is None:
        raise InvalidInput(_("Choose the expectation you are marking as kept or not kept."))
    if expectation.direction != JUDGED_DIRECTION[side_of(actor.pk, conversation)]:
        raise NotAllowed(_("You can mark only the expectations the other party meets for you."))
