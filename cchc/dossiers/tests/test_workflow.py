from hypothesis import given
from hypothesis import strategies as st

from cchc.dossiers import workflow
from cchc.dossiers.workflow import FINAL, TRANSITIONS, Action, Position, Status, can


def position(**kw):
    base = {
        "status": Status.IN_PROGRESS,
        "step": 2,
        "step_count": 5,
        "received": True,
        "processing_supplements": 0,
        "apologized": False,
        "regime": "2025",
    }
    base.update(kw)
    return Position(**base)


def test_final_statuses_allow_no_action():
    for status in FINAL:
        assert not any(can(action, position(status=status))[0] for action in TRANSITIONS)


def test_second_supplementation_during_processing_is_refused():
    allowed, reason = can(Action.REQUEST_SUPPLEMENT, position(processing_supplements=1))
    assert not allowed and "một lần" in reason


def test_supplementation_before_reception_does_not_count_against_the_limit():
    assert can(Action.REQUEST_SUPPLEMENT, position(status=Status.SUBMITTED, received=False, step=0))[0]


def test_withdraw_only_before_the_decision():
    assert can(Action.WITHDRAW, position(status=Status.IN_PROGRESS))[0]
    assert not can(Action.WITHDRAW, position(status=Status.APPROVED, step=5))[0]


def test_stop_exists_only_under_decree_118():
    """Stopping the processing of a dossier is Decree 118/2025's (from 1 July 2025), also before its
    circular's forms (regime "2025-07"); never under Decree 61/2018."""
    assert can(Action.STOP, position(regime="2025"))[0]
    assert can(Action.STOP, position(regime="2025-07"))[0]
    allowed, reason = can(Action.STOP, position(regime="2018"))
    assert not allowed and "01/7/2025" in reason


def test_decision_only_at_the_decision_step_and_no_forward_past_it():
    assert not can(Action.APPROVE, position(step=3))[0]
    assert can(Action.APPROVE, position(step=4))[0]
    assert not can(Action.FORWARD, position(step=4))[0]


def test_apology_only_once():
    assert not can(Action.APOLOGIZE, position(apologized=True))[0]


def test_send_back_from_step_two_returns_to_reception():
    assert workflow.target_of(Action.SEND_BACK, position(step=2)) == Status.RECEIVED
    assert workflow.target_of(Action.SEND_BACK, position(step=3)) == Status.IN_PROGRESS


def test_supplement_resumes_where_it_paused():
    waiting = position(status=Status.WAITING_SUPPLEMENT)
    assert workflow.target_of(Action.SUPPLEMENT, waiting, paused_from=Status.RECEIVED) == Status.RECEIVED
    unreceived = position(status=Status.WAITING_SUPPLEMENT, received=False, step=0)
    assert workflow.target_of(Action.SUPPLEMENT, unreceived, paused_from=Status.SUBMITTED) == Status.SUBMITTED


@st.composite
def walks(draw):
    return draw(st.lists(st.sampled_from(list(TRANSITIONS)), min_size=1, max_size=40))


@given(walks(), st.integers(min_value=3, max_value=7), st.sampled_from(["2018", "2025-07", "2025"]))
def test_any_walk_through_allowed_actions_stays_coherent(actions, step_count, regime):
    """Simulate the machine: whatever the applicants and officers do, the rules hold."""
    state = Position(
        status=Status.DRAFT,
        step=0,
        step_count=step_count,
        received=False,
        processing_supplements=0,
        apologized=False,
        regime=regime,
    )
    paused_from = None
    for action in actions:
        allowed, reason = can(action, state)
        if not allowed:
            assert reason  # every refusal says why
            continue
        target = workflow.target_of(action, state, paused_from=paused_from)
        step, received, supplements, apologized = (
            state.step,
            state.received,
            state.processing_supplements,
            state.apologized,
        )
        if action == Action.RECEIVE:
            step, received = 1, True
        elif action == Action.FORWARD:
            step += 1
        elif action == Action.SEND_BACK:
            step -= 1
        elif action in (Action.APPROVE, Action.NOT_APPROVE):
            step = step_count
        elif action == Action.REQUEST_SUPPLEMENT:
            paused_from = state.status
            supplements += 1 if received else 0
        elif action == Action.APOLOGIZE:
            apologized = True
        state = Position(target, step, step_count, received, supplements, apologized, regime)
        assert state.processing_supplements <= 1
        assert 0 <= state.step <= step_count
        assert state.status in Status.values
        if state.status in (Status.APPROVED, Status.NOT_APPROVED, Status.RESULT_READY, Status.RETURNED):
            assert state.received and state.step == step_count
        if state.status == Status.STOPPED:
            assert regime in ("2025-07", "2025")
