"""Roles: staff commands are invisible to everyone else; admins manage staff with /staf."""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import FakeClock
from bot.config import Settings
from sakpore_sim.harness import Harness, UserDriver
from tests.conftest import ADMIN_ID

STAFF_ID = 2001
STAFF_COMMANDS = ["/siaran", "/siaran_daftar", "/staf", "/staf tambah 1001", "/staf hapus 2001"]
STAFF_BUTTONS = [
    "bc:now",
    "bc:cancel",
    "bc:aud:all",
    "bc:stop:1",
    "bc:stopok:1",
    "staf:add",
    "staf:rm:2001",
    "staf:rmok:2001",
]


async def unknown_reply(user: UserDriver, command: str) -> tuple[str, list[str]]:
    """What the bot answers to a command it really does not have, named `command`."""
    [message] = await user.send("/tidakada")
    return message.plain.replace("/tidakada", command.split()[0]), message.buttons


async def add_staff(h: Harness, staff_id: int = STAFF_ID, name: str = "Sari") -> UserDriver:
    admin = h.user(ADMIN_ID, "Admin")
    member = h.user(staff_id, name)
    await member.send("/start")
    await admin.send(f"/staf tambah {staff_id}")
    assert f"{name} ({staff_id})" in admin.last().plain
    return member


async def test_staff_commands_answer_others_like_unknown_commands(harness: Harness) -> None:
    member = await add_staff(harness)
    budi = harness.user(1001)
    await budi.send("/start")
    for command in STAFF_COMMANDS:
        expected = await unknown_reply(budi, command)
        replies = await budi.send(command)
        assert [(m.plain, m.buttons) for m in replies] == [expected], command
    # A staff member who is not an admin does not get /staf either.
    for command in ["/staf", "/staf tambah 1001", "/staf hapus 2001"]:
        expected = await unknown_reply(member, command)
        replies = await member.send(command)
        assert [(m.plain, m.buttons) for m in replies] == [expected], command
    assert await harness.deps.staff.repo.ids() == {STAFF_ID}
    assert await harness.deps.staff.dialog(1001) is None


async def test_forged_staff_buttons_do_nothing(harness: Harness) -> None:
    budi = harness.user(1001)
    await budi.send("/start")
    await budi.press_data("zz:unknown")
    stale = budi.callback_answer()
    assert stale
    sent_before = harness.sim.sent_count()
    for data in STAFF_BUTTONS:
        new = await budi.press_data(data)
        assert new == [], data
        assert budi.callback_answer() == stale, data
    assert harness.sim.sent_count() == sent_before
    assert await harness.deps.staff.repo.ids() == set()
    assert await harness.deps.broadcaster.repo.recent() == []
    assert await harness.deps.staff.audit_log() == []


async def test_menus_only_for_staff_and_admins(harness: Harness) -> None:
    commands = harness.sim.commands
    admin_menu = [c["command"] for c in commands[f"chat:{ADMIN_ID}|"]]
    assert {"siaran", "siaran_daftar", "staf", "start"} <= set(admin_menu)
    default = [c["command"] for c in commands["default|"]]
    assert "siaran" not in default and "staf" not in default
    await add_staff(harness)
    staff_menu = [c["command"] for c in commands[f"chat:{STAFF_ID}|"]]
    assert {"siaran", "siaran_daftar"} <= set(staff_menu)
    assert "staf" not in staff_menu
    assert "siaran" in [c["command"] for c in commands[f"chat:{STAFF_ID}|en"]]
    # Removed: the menu goes.
    admin = harness.user(ADMIN_ID, "Admin")
    await admin.send(f"/staf hapus {STAFF_ID}")
    assert f"chat:{STAFF_ID}|" not in commands
    assert f"chat:{STAFF_ID}|en" not in commands


async def test_admin_adds_lists_and_removes_staff(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, "Admin")
    await admin.send("/start")
    await admin.send("/staf")
    assert "Belum ada staf" in admin.last().plain
    member = await add_staff(harness)
    await admin.send("/staf tambah 2001")
    assert "sudah menjadi staf" in admin.last().plain
    await admin.send(f"/staf tambah {ADMIN_ID}")
    assert "sudah admin" in admin.last().plain

    await admin.send("/staf daftar")
    listing = admin.last()
    assert "Sari (2001)" in listing.plain
    assert str(ADMIN_ID) in listing.plain
    # The new member can use staff commands now.
    await member.send("/siaran")
    assert "Pengumuman baru" in member.last().plain
    await member.send("/batal")

    # Remove with the button, confirmed.
    await admin.press("Hapus Sari", listing)
    assert "Hapus Sari (2001) dari staf?" in admin.last().plain
    await admin.press("Ya, hapus")
    assert "tidak lagi menjadi staf" in admin.last().plain
    assert await harness.deps.staff.repo.ids() == set()
    expected = await unknown_reply(member, "/siaran")
    [answer] = await member.send("/siaran")
    assert (answer.plain, answer.buttons) == expected
    await admin.send(f"/staf hapus {ADMIN_ID}")
    assert "ADMIN_IDS" in admin.last().plain

    log = await harness.deps.staff.audit_log()
    assert [(e.action, e.actor_id, e.target) for e in reversed(log)] == [
        ("staff_add", ADMIN_ID, "2001"),
        ("staff_remove", ADMIN_ID, "2001"),
    ]
    assert all(e.at == harness.clock.now() for e in log)


async def test_add_staff_by_forwarding_a_message(harness: Harness) -> None:
    admin = harness.user(ADMIN_ID, "Admin")
    await admin.send("/start")
    await admin.send("/staf tambah")
    assert "Teruskan" in admin.last().plain
    origin = {
        "type": "user",
        "date": 1,
        "sender_user": {"id": 3003, "is_bot": False, "first_name": "Wati"},
    }
    await admin.send_content(text="halo", forward_origin=origin)
    assert "Wati (3003)" in admin.last().plain
    assert "menjadi staf" in admin.last().plain
    assert await harness.deps.staff.repo.ids() == {3003}
    # A hidden sender cannot be added; the dialogue explains what to do instead.
    await admin.send("/staf tambah")
    hidden = {"type": "hidden_user", "date": 1, "sender_user_name": "Anon"}
    await admin.send_content(text="halo", forward_origin=hidden)
    assert "privasi" in admin.last().plain
    await admin.send("4004")
    assert await harness.deps.staff.repo.ids() == {3003, 4004}


# ---- rights re-checked at every step (issue 14, item 10) ------------------------------------

DEMOTED_ID = 9002
RIGHTS_GONE = "Hak petugas Anda sudah berubah"


async def test_demoted_admin_cannot_finish_staf_tambah(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    """An admin opens /staf tambah; the operator takes them out of ADMIN_IDS and restarts, and
    another admin keeps them on as staff. Their next message must not add anyone."""
    two_admins = make_settings(admin_ids=frozenset({ADMIN_ID, DEMOTED_ID}))
    async with Harness.create(two_admins, clock) as h:
        rina = h.user(DEMOTED_ID, "Rina")
        await rina.send("/start")
        await rina.send("/staf tambah")
        assert "Teruskan" in rina.last().plain
    async with Harness.create(make_settings(), clock) as h:
        await h.user(ADMIN_ID, "Admin").send(f"/staf tambah {DEMOTED_ID}")
        rina = h.user(DEMOTED_ID, "Rina")
        [answer] = await rina.send("4004")
        assert RIGHTS_GONE in answer.plain
        assert "Tidak ada yang dikirim atau diubah" in answer.plain
        assert await h.deps.staff.repo.ids() == {DEMOTED_ID}
        assert await h.deps.staff.dialog(DEMOTED_ID) is None
        # A forwarded message (the dialogue's other way to name someone) adds nobody either.
        await rina.send("/staf tambah")
        origin = {
            "type": "user",
            "date": 1,
            "sender_user": {"id": 3003, "is_bot": False, "first_name": "Wati"},
        }
        await rina.send_content(text="halo", forward_origin=origin)
        assert await h.deps.staff.repo.ids() == {DEMOTED_ID}


async def test_admin_removed_from_admin_ids_mid_siaran_is_told_and_sends_nothing(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    two_admins = make_settings(admin_ids=frozenset({ADMIN_ID, DEMOTED_ID}))
    async with Harness.create(two_admins, clock) as h:
        rina = h.user(DEMOTED_ID, "Rina")
        await rina.send("/start")
        await rina.send("/siaran")
        assert "Pengumuman baru" in rina.last().plain
    async with Harness.create(make_settings(), clock) as h:
        rina = h.user(DEMOTED_ID, "Rina")
        [answer] = await rina.send("Besok kantor tutup.")
        assert RIGHTS_GONE in answer.plain
        assert await h.deps.staff.dialog(DEMOTED_ID) is None
        assert await h.deps.broadcaster.repo.recent() == []
        # Afterwards they are an ordinary user: a command works as for anyone.
        [again] = await rina.send("/start")
        assert "Halo, Rina" in again.plain
