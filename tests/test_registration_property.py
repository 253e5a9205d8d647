"""Property-based tests (hypothesis): arbitrary text, unicode and markup at every step of the
registration dialogue never crash the bot, never produce a message Telegram would reject
(the simulator validates HTML and lengths), always get an answer, and every stored row stays
valid."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.registration import (
    BPJS_ANSWERS,
    OTHER_OCCUPATION,
    OUTSIDE_CITY,
    Step,
    parse_nik,
    parse_phone,
    validate_free_text,
    validate_name,
)
from sakpore_sim.harness import Harness, UserDriver
from tests.conftest import STAFF_CHAT_ID

NIKS = ["3375014501900012", "3326011203850001", "3175072902000001"]
FAST = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_ids = itertools.count(50_000)


def unique_nik(user_id: int) -> str:
    """A valid NIK no other test user of this module has (serial from the user id)."""
    return f"3375014501900{user_id % 1000:03d}" if user_id % 1000 else "3375014501901000"


markup = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<i>x</i>",
        "&",
        "&amp;",
        "&#0;",
        "<a href='javascript:x'>y</a>",
        "<script>alert(1)</script>",
        "> quote",
        "{name}",
        "{0}",
        "%s",
        "' OR 1=1; --",
        "😀" * 50,
        "x" * 5000,
        "\u202e\u200b\ufeff",
        "Ｓｉｔｉ",
        "3375 0145 0190 0012",
        "+62 812-3456-7890",
        "setuju",
        "kirim",
        "/batal",
    ]
)
arbitrary_text = st.one_of(
    st.text(min_size=1, max_size=200),
    markup,
    st.lists(st.one_of(markup, st.text(max_size=20)), min_size=1, max_size=5).map("".join),
).filter(lambda t: t.strip() != "")


async def _drive_to(u: UserDriver, step: str) -> None:
    """Answer validly until the dialogue is at `step` (a Step value, or 'edit_<field>')."""
    if step.startswith("edit_"):
        await _register(u)
        await u.send("/ubahdata")
        await u.press_data(_data(u, "field", step.removeprefix("edit_")))
        return
    await u.send("/daftar")
    plan: list[tuple[str, Any]] = [
        ("consent", ("press", "consent", "yes")),
        ("name", ("send", "Siti Aminah")),
        ("nik", ("send", unique_nik(u.id))),
        ("phone", ("send", "081234567890")),
        ("occupation", ("press", "occupation", OTHER_OCCUPATION)),
        ("occupation_other", ("send", "Penjahit")),
        ("kecamatan", ("press", "kecamatan", OUTSIDE_CITY)),
        ("place_other", ("send", "Kabupaten Batang")),
        ("bpjs", ("press", "bpjs", "belum")),
        ("summary", ("press", "summary", "edit")),
        ("field", ("press", "field", "place")),
        ("kecamatan", ("press", "kecamatan", "pekalongan_barat")),
        ("kelurahan", None),
    ]
    for current, action in plan:
        if current == step or action is None:
            return
        if action[0] == "send":
            await u.send(action[1])
        else:
            await u.press_data(_data(u, action[1], action[2]))


def _data(u: UserDriver, step: str, value: str) -> str:
    for message in reversed(u.messages()):
        for button in message.inline_buttons:
            data = str(button.get("callback_data", ""))
            if data.startswith("rg:") and data.endswith(f":{step}:{value}"):
                return data
    raise AssertionError(f"no button {step}:{value}")


async def _register(u: UserDriver) -> None:
    await _drive_to(u, "summary")
    await u.press_data(_data(u, "summary", "send"))


async def check_invariants(h: Harness, calls_before: int) -> None:
    """No rejected API call, no error report, every stored row valid."""
    rejected = [c for c in h.sim.calls[calls_before:] if not c.ok]
    assert not rejected, [(c.method, c.error) for c in rejected]
    errors = [m for m in h.sim.bot_messages(STAFF_CHAT_ID) if m.plain.startswith("⚠️ Error")]
    assert not errors, errors[-1].plain
    svc = h.deps.registrations
    catalog = svc.catalog
    today = svc.today()
    registrations = [svc._decrypt(row) for row in await svc.repo.list_all()]
    # a NIK registered from another account is taken and marked a duplicate of the
    # registration that has it (issue 14, item 9: the person is not told); every other NIK
    # is registered once
    niks = {reg.id: reg.nik for reg in registrations}
    originals = [reg.nik for reg in registrations if reg.duplicate_of is None]
    assert len(originals) == len(set(originals))
    for reg in registrations:
        assert validate_name(reg.full_name) == reg.full_name
        assert parse_nik(reg.nik, today) == reg.nik
        if reg.duplicate_of is not None:
            assert niks.get(reg.duplicate_of, reg.nik) == reg.nik
        assert parse_phone(reg.phone) == reg.phone
        if reg.occupation == OTHER_OCCUPATION:
            assert reg.occupation_other is not None
            assert validate_free_text(reg.occupation_other) == reg.occupation_other
        else:
            assert catalog.occupation(reg.occupation) is not None
            assert reg.occupation_other is None
        if reg.kecamatan == OUTSIDE_CITY:
            assert validate_free_text(reg.kelurahan) == reg.kelurahan
        else:
            kec = catalog.find_kecamatan(reg.kecamatan)
            assert kec is not None and reg.kelurahan in [k.name for k in kec.kelurahan]
        assert reg.bpjs in BPJS_ANSWERS
        assert reg.status == "baru"
    drafts = await h.deps.db.fetchall(
        "SELECT user_id FROM dialogs WHERE kind IN ('registration', 'registration_edit')"
    )
    for draft_row in drafts:
        current = await svc.current(int(draft_row["user_id"]))
        draft = current.draft
        assert draft is not None and draft.step in {s.value for s in Step}
        data = draft.state
        if data.name is not None:
            assert validate_name(data.name) == data.name
        if data.nik is not None:
            assert parse_nik(data.nik, today) == data.nik
        if data.phone is not None:
            assert parse_phone(data.phone) == data.phone


STEPS = [
    "consent",
    "name",
    "nik",
    "phone",
    "occupation",
    "occupation_other",
    "kecamatan",
    "kelurahan",
    "place_other",
    "bpjs",
    "summary",
    "field",
    "edit_name",
    "edit_nik",
    "edit_phone",
    "edit_place",
]


async def test_a_nik_from_another_account_keeps_every_row_valid(harness: Harness) -> None:
    """Two accounts that change their NIK to the same one: the second registration is kept and
    marked a duplicate of the first. The invariants below allowed no repeated NIK, so the
    property test failed when its examples typed the same NIK twice in one run."""
    before = len(harness.sim.calls)
    for _ in range(2):
        u = harness.user(next(_ids))
        await _drive_to(u, "edit_nik")
        await u.send("3375 0145 0190 0012")
    rows = await harness.deps.registrations.repo.list_all()
    assert [harness.deps.registrations._decrypt(r).duplicate_of is not None for r in rows] == [
        False,
        True,
    ]
    await check_invariants(harness, before)


@pytest.mark.parametrize("step", STEPS)
@FAST
@given(text=arbitrary_text)
async def test_arbitrary_text_at_every_step(harness: Harness, step: str, text: str) -> None:
    u = harness.user(next(_ids), first_name="<b>Budi & co")
    await _drive_to(u, step)
    before = len(harness.sim.calls)
    new = await u.send(text)
    assert new, "the bot must always answer"
    await check_invariants(harness, before)


actions = st.one_of(
    st.tuples(st.just("text"), arbitrary_text),
    st.tuples(st.just("valid"), st.integers(0, 2)),
    st.tuples(st.just("press"), st.integers(0, 30)),
    st.tuples(st.just("old_button"), st.integers(0, 200)),
    st.tuples(
        st.just("command"),
        st.sampled_from(
            [
                "/daftar",
                "/batal",
                "/datasaya",
                "/ubahdata",
                "/hapusdata",
                "/bantuan",
                "/start",
                "/start daftar_poster1",
            ]
        ),
    ),
    st.tuples(st.just("other"), st.sampled_from(["sticker", "photo", "own", "foreign"])),
    st.tuples(st.just("forged"), st.text(max_size=64)),
)

VALID = {
    "name": ["Siti Aminah", "Budi", "H. Nur'aini"],
    "nik": NIKS,
    "phone": ["081234567890", "+6281398765432", "0285 421234"],
    "occupation_other": ["Penjahit", "Tukang sayur", "Nelayan"],
    "place_other": ["Batang", "Kabupaten Pekalongan", "Kendal"],
}


async def _act(h: Harness, u: UserDriver, action: tuple[str, Any]) -> None:
    kind, arg = action
    if kind == "text":
        await u.send(arg)
    elif kind == "valid":
        draft = (await h.deps.registrations.current(u.id)).draft
        choices = VALID.get(draft.step) if draft else None
        if choices:
            await u.send(choices[arg % len(choices)])
        else:
            await u.send("/daftar")
    elif kind in ("press", "old_button"):
        buttons = [(m, b) for m in u.messages() for b in m.inline_buttons if "callback_data" in b]
        if not buttons:
            await u.send("/daftar")
            return
        if kind == "press":
            message = next(m for m in reversed(u.messages()) if m.inline_buttons)
            options = [b for b in message.inline_buttons if "callback_data" in b]
            await u.press_data(options[arg % len(options)]["callback_data"], message)
        else:
            message, button = buttons[arg % len(buttons)]
            await u.press_data(button["callback_data"], message)
    elif kind == "command":
        await u.send(arg)
    elif kind == "other":
        if arg == "sticker":
            await u.send_sticker()
        elif arg == "photo":
            await u.send_photo()
        elif arg == "own":
            await u.send_contact("6281234567890")
        else:
            await u.send_contact("6281234567890", user_id=4242)
    elif kind == "forged":
        data = arg.encode()[:64].decode(errors="ignore") or "x"
        await u.press_data(data, u.messages()[-1] if u.messages() else None)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(actions, min_size=1, max_size=25))
async def test_random_walks_through_the_dialogue(
    harness: Harness, steps: list[tuple[str, Any]]
) -> None:
    u = harness.user(next(_ids), first_name="Siti")
    await u.send("/daftar")
    for action in steps:
        before = len(harness.sim.calls)
        await _act(harness, u, action)
        await check_invariants(harness, before)
    regs = await harness.deps.db.fetchall(
        "SELECT COUNT(*) AS n FROM registrations WHERE user_id = :u", {"u": u.id}
    )
    assert int(regs[0]["n"]) <= 1
