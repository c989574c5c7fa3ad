"""One message at a time per conversation, in arrival order; other conversations go on."""

import threading
import time

import pytest

from handoff.conversations.turns import ConversationTurns


def test_messages_of_one_conversation_take_turns_in_arrival_order() -> None:
    turns = ConversationTurns()
    done: list[int] = []
    inside = threading.Semaphore(0)
    first = turns.turn("c")
    first.__enter__()

    def message(number: int) -> None:
        with turns.turn("c"):
            inside.release()
            done.append(number)

    threads = []
    for number in range(1, 6):
        thread = threading.Thread(target=message, args=(number,))
        thread.start()
        threads.append(thread)
        time.sleep(0.02)  # arrival order 1, 2, 3, 4, 5
    assert not inside.acquire(timeout=0.2), "a message went ahead of the one being answered"
    first.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)
    assert done == [1, 2, 3, 4, 5]
    assert turns.lines() == 0


def test_another_conversation_is_not_held_up() -> None:
    turns = ConversationTurns()
    with turns.turn("a"), turns.turn("b", timeout=0.5):
        pass


def test_a_message_that_gives_up_waiting_does_not_block_the_next() -> None:
    turns = ConversationTurns()
    holder = turns.turn("c")
    holder.__enter__()
    with pytest.raises(TimeoutError), turns.turn("c", timeout=0.05):
        pass
    later: list[str] = []

    def after() -> None:
        with turns.turn("c", timeout=2):
            later.append("answered")

    thread = threading.Thread(target=after)
    thread.start()
    holder.__exit__(None, None, None)
    thread.join(3)
    assert later == ["answered"]


def test_an_error_in_a_turn_releases_it() -> None:
    turns = ConversationTurns()
    with pytest.raises(RuntimeError), turns.turn("c"):
        raise RuntimeError("the bot failed")
    with turns.turn("c", timeout=0.5):
        pass
