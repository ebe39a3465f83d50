"""Editor token: trimmed, compared in constant time, and guessing is locked out per session."""

from fusion_partners.workspace import access
from fusion_partners.workspace.access import LOCK_SECONDS, MAX_TRIES, check_token, tokens_match

TOKEN = "s3cret-editor-token"


def test_surrounding_spaces_and_line_breaks_are_ignored():
    assert tokens_match("  s3cret-editor-token\n", TOKEN)
    assert check_token(" s3cret-editor-token ", TOKEN, {}, 0.0).status == "ok"


def test_the_comparison_is_constant_time(monkeypatch):
    calls = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(
        access.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b)
    )
    assert not tokens_match("s3cret-editor-tokem", TOKEN)
    assert calls == [(b"s3cret-editor-tokem", TOKEN.encode())]


def test_an_empty_token_never_matches():
    assert not tokens_match("", "")
    assert check_token("", TOKEN, {}, 0.0).status == "empty"


def test_repeated_wrong_tokens_lock_the_check_even_for_the_right_one():
    state: dict = {}
    verdicts = [check_token(f"guess-{i}", TOKEN, state, 100.0) for i in range(MAX_TRIES)]
    assert [v.status for v in verdicts] == ["wrong"] * (MAX_TRIES - 1) + ["locked"]
    assert verdicts[0].tries_left == MAX_TRIES - 1
    assert check_token(TOKEN, TOKEN, state, 101.0).status == "locked"
    assert check_token(TOKEN, TOKEN, state, 100.0 + LOCK_SECONDS).status == "ok"


def test_each_further_lockout_lasts_twice_as_long():
    state: dict = {}
    now = 0.0
    lengths = []
    for _ in range(3):
        for i in range(MAX_TRIES):
            verdict = check_token(f"guess-{now}-{i}", TOKEN, state, now)
        lengths.append(verdict.seconds)
        now += verdict.seconds
    assert lengths == [LOCK_SECONDS, 2 * LOCK_SECONDS, 4 * LOCK_SECONDS]


def test_the_same_wrong_value_checked_again_on_a_rerun_counts_once():
    state: dict = {}
    for _ in range(10):
        verdict = check_token("guess", TOKEN, state, 0.0)
    assert verdict.status == "wrong" and verdict.tries_left == MAX_TRIES - 1
