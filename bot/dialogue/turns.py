"""What the bot does next, decided before Rasa's rules, from a small picture of the conversation.

Rasa's RulePolicy plays the ordinary flows (a concern starts the hand-off, the forms ask their
questions). Some decisions cannot be written as rules without one rule per intent and per form,
and they are the ones that matter most, so they are made here, in one pure function:

- **Danger first.** An emergency or a crisis (the safety layer's verdict) gets its safety answer
  in any state; a form that was asking is paused, so the safety answer is the last message.
- **Staying with the resident after a safety answer.** Until they go back to a matter, ask a
  common question or stop, whatever they write ("what do I do now?", "they are coming") gets a
  short answer that keeps 112 or the crisis line in front.
- **Going back to the matter.** A request to be contacted, "yes" to the offer of contact, "let's
  go back to …", or an answer to the question that was pending resumes the hand-off with
  everything said so far.
- **Offers kept.** "Yes" after an answer that offered contact starts the hand-off; a common
  question that also asks for a call gets the answer and then the hand-off.
- **A common question in the middle of a form** is answered, and the form asks its question again.
- **Stop** stops whatever is going on (a declined name is an answer, not a stop).
- **Status in the conversation that made the ticket** needs no reference.

`None` leaves the decision to Rasa's rules and forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LISTEN = "action_listen"
SAFETY_ANSWER = "action_safety_answer"
SAFETY_FOLLOWUP = "action_safety_followup"
START_HANDOFF = "action_start_handoff"
ANSWER_FAQ = "action_answer_faq"
STOP = "action_stop_handoff"
TICKET_STATUS = "action_ticket_status"
CREATE_TICKET = "action_create_ticket"
NEED_FORM = "need_form"
HANDOFF_FORM = "handoff_form"

DANGER = ("emergency", "crisis")
# Said with a safety answer pending, these are the resident's own next step, not a follow-up
# (thanks get the follow-up: it keeps the numbers in front and the offer of a call).
OWN_ANSWER = ("goodbye", "ticket_status", "bot_challenge")
# Actions of this module after which the bot waits for the resident.
ENDS_TURN = (SAFETY_ANSWER, SAFETY_FOLLOWUP, STOP, TICKET_STATUS, CREATE_TICKET)


@dataclass(frozen=True)
class Turn:
    """What the decision needs to know of the conversation."""

    latest_action: str
    intent: str = ""
    entities: frozenset[str] = field(default_factory=frozenset)
    active_loop: str | None = None
    requested_slot: str | None = None
    # "emergency" or "crisis" while the bot stays with the resident after a safety answer
    after_safety: str | None = None
    # the question (a form's slot) a safety answer paused
    paused_form: str | None = None
    # the bot's previous message offered to have a worker contact the resident
    offered_contact: bool = False
    # the common question is the model's confident reading (not a guess)
    faq_confident: bool = False
    # the reference of the ticket this conversation created
    ticket_reference: str | None = None
    # the topic of a common question (faq/<topic>)
    faq_topic: str = ""
    # the message also asks a common question the model is fairly sure of (its topic), although
    # its intent is another: "va kostar hemvården? kan nån ringa mej om henne"
    also_faq: bool = False
    # whom the message says the matter concerns (self, close_person, other), if it says
    whom: str | None = None
    # the message as typed
    text: str = ""
    # a yes the NLU is sure of (a short reply from the curated list, or a confident model):
    # after a safety answer only such a yes goes back to the matter
    affirm_sure: bool = True

    @property
    def wants_contact(self) -> bool:
        return self.intent == "request_human" or "contact_request" in self.entities

    @property
    def answers_question(self) -> bool:
        """The message carries an answer to the question the form is asking."""
        if self.requested_slot == "status_phone_last4":
            return LAST_DIGITS.fullmatch(self.text) is not None
        return bool(self.entities & ANSWERS.get(self.requested_slot or "", set()))

    @property
    def own_status(self) -> bool:
        """A status question, in the conversation that made a ticket, naming no other reference."""
        return (
            self.intent == "ticket_status"
            and self.ticket_reference is not None
            and "reference" not in self.entities
        )

    @property
    def declines_name(self) -> bool:
        return self.requested_slot == "contact_name" and (
            "decline" in self.entities or self.intent in ("deny", "skip")
        )


# What a message carries when it answers the question a safety answer paused (the form's slot →
# the entities of an answer). "I" is read from almost any message, so only the paused question's
# own answer counts.
ANSWERS = {
    "concerns": {"concerns"},
    "service_area": {"service_area"},
    "municipality": {"municipality"},
    "handoff_consent": {"contact_request"},
    "contact_phone": {"phone"},
    "contact_time": {"contact_time"},
    "contact_name": {"contact_name", "decline"},
    "status_reference": {"reference"},
}
# Four digits answer the status question about the phone's last digits ("1111" is no question
# about 112).
LAST_DIGITS = re.compile(r"\D*\d{4}\D*")


def next_action(turn: Turn, *, safety_topics: tuple[str, ...] = ()) -> str | None:
    """The next action, or None for Rasa's rules and forms to decide. After a safety answer, a
    common question on one of `safety_topics` (112, the crisis lines) gets the follow-up, which
    keeps those numbers in front, rather than the general answer."""
    if turn.latest_action == LISTEN:
        return _answer_to(turn, safety_topics)
    return _after(turn)


def _answer_to(turn: Turn, safety_topics: tuple[str, ...]) -> str | None:
    if turn.intent in DANGER:
        return SAFETY_ANSWER
    if turn.intent == "stop" and not turn.declines_name:
        return STOP
    if turn.after_safety:
        return _after_safety(turn, safety_topics)
    if turn.active_loop:
        if turn.intent == "faq" and turn.faq_confident and not turn.answers_question:
            return ANSWER_FAQ
        return None
    if turn.own_status:
        return TICKET_STATUS
    if turn.intent == "faq":
        return None  # answered by the rule; a request for contact in it follows (see _after)
    if turn.wants_contact and turn.also_faq:
        return ANSWER_FAQ  # the answer first, then the hand-off (see _after)
    if turn.wants_contact or (turn.offered_contact and turn.intent in ("affirm", "concern")):
        return START_HANDOFF  # with what the common question before it told
    if turn.intent in ("inform", "nlu_fallback") and turn.whom in ("close_person", "other"):
        # "ja skulle behöva hjälp me en grej som gäller farsan": a matter about someone, told
        # in words the model could not place; the hand-off asks what is still unknown
        return START_HANDOFF
    return None


def _after_safety(turn: Turn, safety_topics: tuple[str, ...]) -> str | None:
    paused = turn.paused_form is not None
    resumes = (
        turn.wants_contact
        or "resume" in turn.entities
        or (
            turn.intent == "affirm"
            and turn.affirm_sure
            and (turn.offered_contact or turn.paused_form == "handoff_consent")
        )
        or (paused and bool(turn.entities & ANSWERS.get(turn.paused_form or "", set())))
    )
    if resumes:
        return START_HANDOFF
    if turn.intent == "faq" and turn.faq_confident and turn.faq_topic not in safety_topics:
        return ANSWER_FAQ
    if turn.own_status:
        return TICKET_STATUS
    if turn.intent in OWN_ANSWER:
        return None
    return SAFETY_FOLLOWUP


def _after(turn: Turn) -> str | None:
    if turn.latest_action in ENDS_TURN:
        return LISTEN
    if turn.latest_action == START_HANDOFF:
        return NEED_FORM
    if turn.latest_action == NEED_FORM and turn.active_loop is None:
        return HANDOFF_FORM
    if turn.latest_action == HANDOFF_FORM and turn.active_loop is None:
        return CREATE_TICKET
    if turn.latest_action == ANSWER_FAQ and turn.active_loop is None:
        return START_HANDOFF if turn.wants_contact else LISTEN
    return None
