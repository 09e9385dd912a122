"""The routes of the HTML pages (bokmål paths, as the users see them)."""

from django.urls import include, path

from conversations.web.views import actions, comments, conversation, home, records, responses

app_name = "web"

conversation_patterns = [
    path("", conversation.conversation_detail, name="conversation"),
    path("tidspunkt/", actions.meeting_time, name="meeting_time"),
    path("tema/", comments.agenda_add, name="agenda_add"),
    path("tema/<id:point_pk>/del/", comments.agenda_share, name="agenda_share"),
    path("punkter/<str:kind>/", actions.item_add, name="item_add"),
    path("punkter/<str:kind>/<id:item_pk>/", actions.item_edit, name="item_edit"),
    path("punkter/<str:kind>/<id:item_pk>/slett/", actions.item_delete, name="item_delete"),
    path("handling/<str:name>/", actions.transition, name="transition"),
    path("bekreft/", responses.confirm, name="confirm"),
    path("be-om-endringer/", responses.request_changes, name="request_changes"),
    path("svar/", responses.respond_all, name="respond_all"),
    path("svar/<str:item_key>/", responses.respond, name="respond"),
    path("kommentarer/", comments.comment, name="comment"),
    path("kommentarer/<str:item_key>/", comments.comment, name="item_comment"),
    path("tilleggsmerknad/", responses.statement, name="statement"),
    path("oppfolging/", comments.follow_up, name="follow_up"),
    path("oppfolging/<int:question_pk>/svar/", comments.follow_up_answer, name="follow_up_answer"),
    path("forslag/", actions.proposal_add, name="proposal_add"),
    path("forslag/<id:proposal_pk>/godta/", actions.proposal_accept, name="proposal_accept"),
    path("forslag/<id:proposal_pk>/avsla/", actions.proposal_decline, name="proposal_decline"),
    path("historikk/", records.history, name="history"),
    path("innsynslogg/", records.access_log, name="access_log"),
    path("sammenlign/", records.compare, name="compare"),
    path("kalender.ics", records.calendar, name="calendar"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("venter/", home.waiting_page, name="waiting"),
    path("epost/", home.email_digest, name="email_digest"),
    path("medarbeidere/", home.my_reports, name="my_reports"),
    path("medarbeidere/<id:employee_pk>/ny-samtale/", home.conversation_create, name="conversation_create"),
    path("samtaler/", home.my_conversations, name="my_conversations"),
    path("samtaler/del-historikk/", home.share_history, name="share_history"),
    path("samtaler/<id:pk>/", include(conversation_patterns)),
    path("stedfortredere/", home.deputies, name="deputies"),
    path("stedfortredere/sok/", home.deputy_search, name="deputy_search"),
    path("stedfortredere/<id:grant_pk>/avslutt/", home.deputy_end, name="deputy_end"),
]
