"""End to end through the real Application and the simulated Telegram: what the user sees and
what is stored."""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import FakeClock
from bot.config import Settings
from bot.store.questions import Question
from sakpore_sim.harness import Harness, UserDriver
from sakpore_sim.simulator import SimMessage


def callbacks(message: SimMessage) -> list[str]:
    return [b["callback_data"] for b in message.inline_buttons]


def vote_data(message: SimMessage, sign: str) -> str:
    return next(d for d in callbacks(message) if d.startswith("faq:v:") and d.endswith(sign))


async def ask(user: UserDriver, text: str) -> SimMessage:
    new = await user.send(text)
    assert len(new) == 1, [m.plain for m in new]
    return new[0]


async def press_for_total(
    harness: Harness, user: UserDriver, asked: SimMessage, label: str, total: str
) -> None:
    """A tap on a button under a question back ("4 orang", "1 tahun") sends one answer with
    `total`, which can be voted on and has no such button; the tap is logged as the person's
    reply to the question, answered; a second tap sends nothing more."""
    sent = await user.press(label, asked)
    assert len(sent) == 1
    assert total in sent[0].plain, sent[0].plain
    assert "👍 Membantu" in sent[0].buttons and label not in sent[0].buttons
    rows = await harness.deps.questions.for_user(user.user.id)
    assert rows[0].text == label and rows[0].parent_id == rows[1].id
    assert rows[0].method == "totals" and rows[0].answered
    assert await user.press(label, asked) == []  # a double tap


async def test_free_text_is_answered_with_votes_and_back_button(harness: Harness) -> None:
    budi = harness.user(1001)
    answer = await ask(budi, "nek melu program iki bayare piro?")
    assert "Rp16.800 per bulan" in answer.plain
    assert "👍 Membantu" in answer.buttons and "👎 Kurang membantu" in answer.buttons
    assert "📚 Kembali ke topik" in answer.buttons
    assert all(len(d.encode()) <= 64 for d in callbacks(answer))

    rows = await harness.deps.questions.for_user(1001)
    assert len(rows) == 1
    row = rows[0]
    assert row.text == "nek melu program iki bayare piro?"
    assert row.normalised == "ikut program bayar berapa"
    assert row.entry_id == "iuran" and row.answered and row.method == "match"
    assert row.score is not None and row.score > 0.5
    assert row.kind == "text" and row.vote is None


async def test_family_question_from_the_issue(harness: Harness) -> None:
    answer = await ask(harness.user(1002), "klo sy kenapa2 keluarga sy dpt apa")
    assert "Rp42 juta" in answer.plain and "Rp174 juta" in answer.plain


async def test_back_button_opens_the_topic_menu(harness: Harness) -> None:
    budi = harness.user(1003)
    await ask(budi, "santunan kematian brp")
    new = await budi.press("Kembali ke topik")
    assert len(new) == 1
    menu = new[0]
    assert "Tanya seputar program" in menu.plain
    assert "Iuran per bulan" in menu.buttons and "Cara daftar" in menu.buttons
    assert "Salam" not in menu.buttons  # small talk is not a topic


async def test_topic_menu_from_command_and_main_menu(harness: Harness) -> None:
    budi = harness.user(1004)
    menu = (await budi.send("/topik"))[-1]
    topics = [d for d in callbacks(menu) if d.startswith("faq:t:")]
    assert len(topics) == len(harness.deps.faq.menu("id")) >= 18
    await budi.send("/start")
    new = await budi.press("Tanya program")
    assert callbacks(new[-1]) == callbacks(menu)
    opened = await budi.press("Beasiswa anak")
    assert "beasiswa sampai sarjana" in opened[-1].plain
    assert "📚 Kembali ke topik" in opened[-1].buttons
    rows = await harness.deps.questions.for_user(1004)
    assert rows[0].kind == "topic" and rows[0].entry_id == "beasiswa" and rows[0].method == "menu"


async def test_votes_are_stored_and_a_double_tap_is_harmless(harness: Harness) -> None:
    budi = harness.user(1005)
    answer = await ask(budi, "berobat ke puskesmas bayar ga")
    up = vote_data(answer, "+")
    await budi.press_data(up, answer)
    assert budi.callback_answer() == "Terima kasih atas penilaian Anda!"
    row = (await harness.deps.questions.for_user(1005))[0]
    assert row.vote == 1 and row.voted_at is not None
    edited = harness.sim.bot_messages(1005)[-1]
    assert not any(d.startswith("faq:v:") for d in callbacks(edited))  # vote buttons gone
    assert "📚 Kembali ke topik" in edited.buttons
    # a second tap on the old buttons (a quick double tap) changes nothing and raises nothing
    sent = harness.sim.sent_count(1005)
    await budi.press_data(up, answer)
    assert budi.callback_answer() == "Penilaian Anda sudah tercatat. Terima kasih!"
    assert harness.sim.sent_count(1005) == sent
    assert (await harness.deps.questions.for_user(1005))[0].vote == 1


async def test_thumbs_down_records_and_offers_a_person(harness: Harness) -> None:
    budi = harness.user(1006)
    answer = await ask(budi, "berobat ke puskesmas bayar ga")
    new = await budi.press_data(vote_data(answer, "-"), answer)
    assert (await harness.deps.questions.for_user(1006))[0].vote == -1
    assert "dicatat" in new[-1].plain and "175" in new[-1].plain


async def test_nobody_votes_on_someone_elses_question(harness: Harness) -> None:
    budi, siti = harness.user(1007), harness.user(1008, "Siti")
    answer = await ask(budi, "berobat ke puskesmas bayar ga")
    await ask(siti, "halo")
    await siti.press_data(vote_data(answer, "-"))
    assert siti.callback_answer() == "Tombol ini sudah tidak berlaku."
    assert (await harness.deps.questions.for_user(1007))[0].vote is None


async def test_unsure_reply_with_suggestions_topics_and_a_person(harness: Harness) -> None:
    budi = harness.user(1009)
    reply = await ask(budi, "cara daftar CPNS")
    assert "belum tahu" in reply.plain
    assert "Mungkin maksud Anda" in reply.plain
    assert "175" in reply.plain  # how to reach a person (no office contact configured)
    suggestions = [d for d in callbacks(reply) if d.startswith("faq:s:")]
    assert 1 <= len(suggestions) <= 3
    # "one of these" only above more than one button
    one = "Mungkin maksud Anda yang ini?" in reply.plain
    assert one == (len(suggestions) == 1), reply.plain
    assert ("salah satu ini" in reply.plain) == (len(suggestions) > 1), reply.plain
    assert "📚 Lihat semua topik" in reply.buttons
    assert not any(d.startswith("faq:v:") for d in callbacks(reply))
    row = (await harness.deps.questions.for_user(1009))[0]
    assert not row.answered and row.entry_id is None and row.method == "abstain"

    opened = await budi.press("Cara daftar")
    assert "/daftar" in opened[-1].plain
    chosen = (await harness.deps.questions.for_user(1009))[0]
    assert chosen.kind == "suggestion" and chosen.parent_id == row.id
    assert chosen.entry_id == "daftar"


async def test_look_alikes_do_not_get_a_sakpore_answer(harness: Harness) -> None:
    budi = harness.user(1010)
    look_alikes = (
        "cara daftar CPNS",
        "kapan BLT cair",
        "obat batuk anak",
        "syarat KUR BRI",
        "cara daftar BPJS Kesehatan",  # another programme: not our registration answer
        "daftar jadi ojol",  # a job, not the programme
        "santunan jasa raharja",  # road-accident insurance, not a work accident
        "usia 70 boleh ikut ga",  # an age limit: the sources give none, so never "Bisa"
        "umur berapa boleh ikut?",  # an age asked about (got who can join)
        "iuran rt sebulan brp",  # the dues of the neighbourhood (got the contribution)
        "iurane masjid saben sasi piro",
        "beasiswa prestasi buat anak smp",  # a merit scholarship (got ours)
        # an office's opening hours or address: the sources give neither (got the contacts)
        "jam buka kantor bpjs ketenagakerjaan hari senin?",
        "alamat kantor bpjstk di mana ya",
        "what are the opening hours of the bpjs office?",
        # a payment point's fee: the sources give none (got how to pay; round 76)
        "biaya admin bayar iuran di indomaret brp",
        "is there an admin fee at the minimarket",
        # another regulation than the one behind the programme (got the Perda's answer)
        "perda kawasan tanpa rokok isinya apa",
        "perwal soal parkir di alun-alun gimana",
        # how to claim, closing one's membership, which hospitals: the sources say nothing
        "syarat klaim santunan kematian apa aja ya",
        "tutup kepesertaan bpjs tk bisa?",
        "rumah sakit mana yang terima bpjs tk",
    )
    for question in look_alikes:
        reply = await ask(budi, question)
        assert "belum tahu" in reply.plain, question
    rows = await harness.deps.questions.for_user(1010)
    assert [r.answered for r in rows] == [False] * len(look_alikes)


async def test_totals_are_computed(harness: Harness) -> None:
    budi = harness.user(1011)
    reply = await ask(budi, "iuran 10 thn totalnya brp")
    assert "Rp2.016.000" in reply.plain and "120 bulan" in reply.plain
    reply = await ask(budi, "kalau bayar 2 tahun habis berapa")
    assert "Rp403.200" in reply.plain
    # a span of months by name, both ends counted (was: no duration, no answer)
    reply = await ask(budi, "bln maret smp desember 2 org brp")
    assert "Rp336.000" in reply.plain and "10 bulan" in reply.plain
    reply = await ask(budi, "iuran 25 tahun totalnya berapa")
    assert "Rp5.040.000" in reply.plain and "8 juta" not in reply.plain
    assert "👍 Membantu" in reply.buttons
    row = (await harness.deps.questions.for_user(1011))[0]
    assert row.method == "totals" and row.entry_id == "total_iuran"


async def test_totals_follow_the_setting(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    async with Harness.create(make_settings(contribution_monthly_idr=20000), clock) as h:
        reply = await ask(h.user(1012), "setaun piro")
        assert "Rp20.000" in reply.plain and "Rp240.000" in reply.plain


async def test_intents_give_the_feature_buttons(harness: Harness) -> None:
    budi = harness.user(1013)
    reply = await ask(budi, "daftarin saya min")
    assert "menu:daftar" in callbacks(reply)
    reply = await ask(budi, "tolong ingetin aku bayar iuran tiap bulan")
    assert "menu:pengingat" in callbacks(reply)
    # answers about registering and paying carry the buttons too
    assert "menu:daftar" in callbacks(await ask(budi, "piye carane ndaftar"))
    assert "menu:pengingat" in callbacks(await ask(budi, "telat bayar kena denda ga"))
    rows = await harness.deps.questions.for_user(1013)  # newest first
    assert [(r.method, r.entry_id) for r in rows] == [
        ("match", "cara_bayar"),
        ("match", "daftar"),
        ("intent", "pengingat"),
        ("intent", "daftar"),
    ]


async def test_configured_contact_is_used_never_invented(
    make_settings: Callable[..., Settings], clock: FakeClock
) -> None:
    settings = make_settings(
        contact_phone="0285-000000 (contoh)", contact_address="Jl. Contoh <1>", contact_hours=""
    )
    async with Harness.create(settings, clock) as h:
        budi = h.user(1014)
        reply = await ask(budi, "nomor telepon petugas")
        assert "0285-000000 (contoh)" in reply.plain and "Jl. Contoh <1>" in reply.plain
        unsure = await ask(budi, "obat batuk anak")
        assert "0285-000000 (contoh)" in unsure.plain
    async with Harness.create(make_settings(), clock) as h:
        reply = await ask(h.user(1015), "nomor telepon petugas")
        assert "belum diisi" in reply.plain and "175" in reply.plain


async def test_small_talk(harness: Harness) -> None:
    budi = harness.user(1016)
    assert "Halo" in (await ask(budi, "selamat pagi")).plain
    assert "Waalaikumsalam" in (await ask(budi, "Assalamu'alaikum")).plain
    assert "Sama-sama" in (await ask(budi, "makasih ya min")).plain


async def test_polite_with_long_text_emoji_and_html(harness: Harness) -> None:
    budi = harness.user(1017)
    reply = await ask(budi, "iuran " * 1000)  # 6,000 characters
    assert "panjang sekali" in reply.plain
    reply = await ask(budi, "🙏🙏👍")
    assert "ketik pertanyaan" in reply.plain
    reply = await ask(budi, "<b>halo</b> & <script>")
    assert "Halo" in reply.plain
    reply = await ask(budi, "<i>obat</i> batuk & pilek <3")
    assert "belum tahu" in reply.plain
    rows = await harness.deps.questions.for_user(1017)
    assert len(rows) == 4
    assert len(rows[-1].text) == 4096 and rows[-1].method == "too_long"
    assert rows[-2].method == "empty"


async def test_english_user_gets_english(harness: Harness) -> None:
    anne = harness.user(1018, "Anne", "en")
    reply = await ask(anne, "how much is the monthly contribution")
    assert "Rp16.800 a month" in reply.plain and "👍 Helpful" in reply.buttons
    reply = await ask(anne, "iuran sebulan berapa")  # Indonesian from an English user
    assert "Rp16.800 a month" in reply.plain


async def test_stale_and_forged_buttons(harness: Harness) -> None:
    budi = harness.user(1019)
    await budi.send("/topik")
    await budi.press_data("faq:t:does_not_exist")
    assert budi.callback_answer() == "Topik ini sudah tidak ada. Ini daftar topik yang terbaru."
    assert "Silakan pilih topik" in budi.last().plain
    await budi.press_data("faq:v:999999:+")
    assert budi.callback_answer() == "Tombol ini sudah tidak berlaku."
    await budi.press_data("faq:v:abc:+")  # not ours: the fallback answers it
    assert budi.callback_answer() is not None


async def test_other_features_keep_their_buttons(harness: Harness) -> None:
    """The free-text handler does not take commands: /bantuan still works."""
    budi = harness.user(1020)
    new = await budi.send("/bantuan")
    assert "/topik" in new[-1].plain


async def test_a_number_answers_the_question_back_about_people(
    harness: Harness, clock: FakeClock
) -> None:
    """The calculator asks "for how many people?" with the total for one person; a reply
    with just the number gets the total for them all, computed from the configured
    contribution. Only right after that question: later, or after another question, a
    number is read as a question of its own."""
    siti = harness.user(1201)
    asked = await ask(siti, "iuran sekeluarga setahun berapa")
    assert "Untuk berapa orang?" in asked.plain and "Rp201.600 per orang" in asked.plain
    total = await ask(siti, "3 orang")
    assert "Rp16.800 × 12 bulan × 3 orang = Rp604.800" in total.plain
    assert "👍 Membantu" in total.buttons
    rows = await harness.deps.questions.for_user(1201)
    assert rows[0].text == "3 orang" and rows[0].method == "totals" and rows[0].answered
    # krama, and a number alone, after the total for the two children named
    named = await ask(siti, "putra kula kalih, iuranipun kalih taun pinten")
    assert "× 24 bulan × 2 orang = Rp806.400" in named.plain
    assert "Saya hitung 2 orang yang Anda sebut" in named.plain
    assert "× 24 bulan × 3 orang = Rp1.209.600" in (await ask(siti, "tiga")).plain
    # a number after another question is not a count of people
    await ask(siti, "cara daftar gimana")
    assert "orang =" not in (await ask(siti, "3")).plain
    # nor long after the question back
    await ask(siti, "anak 2 setahun berapa")
    clock.advance(minutes=31)
    assert "orang =" not in (await ask(siti, "3 orang")).plain


async def test_the_number_of_people_is_one_tap_under_the_question_back(
    harness: Harness,
) -> None:
    """The total for the people named ("istri dan 2 anak": 3; the speaker may be one more)
    comes with buttons for 1 to 5 people: a tap gets the total, as typing the number does,
    logged as the person's reply. A double tap sends nothing more; another user's question,
    or a forged one, gets no total."""
    siti = harness.user(1208)
    asked = await ask(siti, "istri dan 2 anak setahun berapa")
    assert "Rp16.800 × 12 bulan × 3 orang = Rp604.800" in asked.plain
    assert "Saya hitung 3 orang yang Anda sebut" in asked.plain
    assert asked.buttons[:5] == ["1 orang", "2 orang", "3 orang", "4 orang", "5 orang"]
    await press_for_total(harness, siti, asked, "4 orang", "× 12 bulan × 4 orang = Rp806.400")
    # another count is another answer
    three = await siti.press("3 orang", asked)
    assert "× 12 bulan × 3 orang = Rp604.800" in three[0].plain
    # someone else's button, or one about no question back, gets no total
    other = harness.user(1206)
    plain = await ask(other, "cara daftar gimana")
    stolen = next(d for d in callbacks(asked) if d.startswith("faq:n:"))
    assert await other.press_data(stolen, plain) == []
    assert other.callback_answer() == "Tombol ini sudah tidak berlaku."
    question_id = (await harness.deps.questions.for_user(1206))[0].id
    assert await other.press_data(f"faq:n:{question_id}:2", plain) == []
    # in English
    english = harness.user(1207, "Anne", "en")
    back = await ask(english, "my wife and my 2 kids, 1 year how much")
    assert back.buttons[:2] == ["1 person", "2 people"]


async def test_a_count_the_message_says_is_one_tap_under_the_question_back(
    harness: Harness,
) -> None:
    """A family story the calculator cannot count for sure, which says "dadi pitu wong" (7),
    asks how many with "7 orang" beside 1 to 5 people; the tap gets the total for 7."""
    dewi = harness.user(1213)
    asked = await ask(
        dewi,
        "Anakku telu, loro buruh batik siji sablon. Bojoku kuli bangunan. Dadi pitu wong karo "
        "adikku. Nek mbayar dewe telung sasi entek pira?",
    )
    assert "Untuk berapa orang?" in asked.plain
    assert asked.buttons[:6] == ["1 orang", "2 orang", "3 orang", "4 orang", "5 orang", "7 orang"]
    await press_for_total(harness, dewi, asked, "7 orang", "× 3 bulan × 7 orang = Rp352.800")


async def test_the_duration_is_one_tap_under_its_question_back(harness: Harness) -> None:
    """ "iuran suami istri beberapa tahun": the people are known (two), the duration is not.
    The bot asks for it with buttons for 3 and 6 months, 1 and 2 years: a tap gets the total
    for the two, as typing the duration does, logged as the person's reply. A double tap
    sends nothing more; another user's question gets no total. In English too."""
    rina = harness.user(1212)
    asked = await ask(rina, "iuran suami istri beberapa tahun")
    assert "Untuk berapa bulan atau berapa tahun?" in asked.plain
    assert asked.buttons[:4] == ["3 bulan", "6 bulan", "1 tahun", "2 tahun"]
    await press_for_total(harness, rina, asked, "1 tahun", "× 12 bulan × 2 orang = Rp403.200")
    six = await rina.press("6 bulan", asked)
    assert "× 6 bulan × 2 orang = Rp201.600" in six[0].plain
    # a question back about the people has no duration buttons, and the reverse
    people = await ask(rina, "anak 2 setahun berapa")
    assert "1 orang" in people.buttons and "6 bulan" not in people.buttons
    assert "1 orang" not in asked.buttons
    other = harness.user(1213)
    plain = await ask(other, "cara daftar gimana")
    stolen = next(d for d in callbacks(asked) if d.startswith("faq:m:"))
    assert await other.press_data(stolen, plain) == []
    assert other.callback_answer() == "Tombol ini sudah tidak berlaku."
    english = harness.user(1214, "Anne", "en")
    back = await ask(english, "how much for me and my wife for a few years")
    assert back.buttons[:4] == ["3 months", "6 months", "1 year", "2 years"]
    two = await english.press("2 years", back)
    assert "Rp806.400" in two[0].plain


async def test_an_abstention_with_nothing_to_offer_gets_the_faint_leaning_as_a_button(
    harness: Harness,
) -> None:
    """When the bot does not know and nothing clears the usual bar for a button, the entry the
    classifier leans towards faintly (at least FAINT_FLOOR) is offered, also when the
    question names another topic (joining through a cooperative); a message about nothing of
    ours gets no button."""
    anne = harness.user(1210, "Anne", "en")
    asked = await ask(
        anne,
        "Hi, I'm an Australian volunteer working with a batik cooperative in Pekalongan. Most"
        " of the women here do piecework from home and have no employer. Would they be able"
        " to join this scheme through the cooperative?",
    )
    assert "don't know" in asked.plain or "do not know" in asked.plain
    assert "❓ Who can join" in asked.buttons
    weather = await ask(harness.user(1211), "cuaca besok")
    assert "belum tahu" in weather.plain and "Mungkin" not in weather.plain


async def test_the_other_question_is_answered_beside_the_question_back(
    harness: Harness,
) -> None:
    """ "kami sekeluarga 4 bulan totalnya berapa? bayarnya bisa di minimarket?": how many
    they are is unsaid, so the bot asks how many people; the other question (where to pay)
    is answered in the same message, not dropped, and a tap on a number gets the total.
    With the people named ("simbok karo adhiku"), the total for them comes in its place."""
    dewi = harness.user(1209)
    asked = await ask(dewi, "kami sekeluarga 4 bulan totalnya berapa? bayarnya bisa di minimarket?")
    assert "minimarket" in asked.plain and "Cara bayar iuran" in asked.plain
    assert "Untuk berapa orang?" in asked.plain
    assert asked.plain.index("Cara bayar iuran") < asked.plain.index("Untuk berapa orang?")
    assert asked.buttons[:3] == ["1 orang", "2 orang", "3 orang"]
    sent = await dewi.press("2 orang", asked)
    assert len(sent) == 1
    assert "Rp16.800 × 4 bulan × 2 orang = Rp134.400" in sent[0].plain
    named = await ask(
        dewi, "simbok karo adhiku 3 sasi totale pira? mbayare iso nang kantor pos ora?"
    )
    assert "Cara bayar iuran" in named.plain
    assert "Rp16.800 × 3 bulan × 2 orang = Rp100.800" in named.plain
    assert named.buttons[:3] == ["1 orang", "2 orang", "3 orang"]
    three = await dewi.press("3 orang", named)
    assert "Rp16.800 × 3 bulan × 3 orang = Rp151.200" in three[0].plain


async def test_a_story_with_a_count_is_asked_back_and_the_reply_gets_the_total(
    harness: Harness,
) -> None:
    """A story around the question ("Putra kula kalih, kula bayaraken ...") goes through the
    matcher, which finds the totals entry: the bot asks how many people, with the total for
    one person, instead of the table of totals, and a reply with the number gets the total
    for them all. The question back is no answer yet, as when the calculator asks without
    the matcher: no 👍/👎 under it, and the question is logged unanswered (until December
    2026 it was logged as the totals entry answered)."""
    sri = harness.user(1204)
    asked = await ask(sri, "Putra kula kalih, kula bayaraken iuranipun kalih taun pinten")
    assert "Untuk 2 tahun, iurannya Rp403.200 per orang" in asked.plain
    assert "Untuk berapa orang?" in asked.plain and "Kalau dihitung" not in asked.plain
    assert asked.buttons[:5] == ["1 orang", "2 orang", "3 orang", "4 orang", "5 orang"]
    assert "👍 Membantu" not in asked.buttons and "🙋 Tanya petugas" in asked.buttons
    rows = await harness.deps.questions.for_user(1204)
    assert rows[0].entry_id is None and not rows[0].answered
    total = await ask(sri, "tiga")
    assert "Rp16.800 × 24 bulan × 3 orang = Rp1.209.600" in total.plain


async def test_people_counted_in_another_part_are_asked_never_a_total_for_one(
    harness: Harness,
) -> None:
    """The people are counted in one part ("wong loro") and the duration in the next, and
    another sentence names more people: the bot gave the total for one person ("Rp50.400 ...
    Ini untuk 1 orang") until December 2026. It asks how many, with the total for one, and
    a tap gets the total for three."""
    joko = harness.user(1290)
    asked = await ask(
        joko,
        "aku lan bojoku, wong loro, telung sasi mbayar pira? anakku sing mbarep yo pengin melu",
    )
    assert "Untuk 3 bulan, iurannya Rp50.400 per orang" in asked.plain
    assert "Untuk berapa orang?" in asked.plain and "Ini untuk 1 orang" not in asked.plain
    sent = await joko.press("3 orang", asked)
    assert "Rp16.800 × 3 bulan × 3 orang = Rp151.200" in sent[0].plain


async def test_the_sentence_with_the_duration_counts_the_people_beside_another_question(
    harness: Harness,
) -> None:
    """The sentence that names the duration counts the people ("wong loro"), beside a second
    question in another sentence that names nobody: until December 2026 the bot asked "for
    how many people?" although the message said two. It now gives the total for two, with
    the other question's answer."""
    tini = harness.user(1291)
    answer = await ask(
        tini,
        "aku karo adhiku, wong loro, nem sasi kudu nyiapke pira? aku ora kalebu tukang becak,"
        " sing mbayari sopo",
    )
    assert "Rp16.800 × 6 bulan × 2 orang = Rp201.600" in answer.plain
    assert "Untuk berapa orang?" not in answer.plain
    assert "Siapa yang bayar iuran" in answer.plain  # the other question's answer


async def test_one_person_in_the_other_sentence_asks_the_contribution_per_person(
    harness: Harness,
) -> None:
    """The sentence with the duration counts the people ("ana 3 wong nang omah") and the
    other asks what one person pays ("siji wong"): until December 2026 the bot asked "for how
    many people?", reading "siji wong" as more people named. It gives the total for three,
    and the monthly contribution beside it."""
    darmi = harness.user(1292)
    answer = await ask(darmi, "ana 3 wong nang omah, 6 wulan totale pira? iurane siji wong piro")
    assert "Rp16.800 × 6 bulan × 3 orang = Rp302.400" in answer.plain
    assert "Untuk berapa orang?" not in answer.plain
    assert "Iuran per bulan" in answer.plain


async def assert_rest_logged(
    harness: Harness, user_id: int, message: str, rest: str
) -> list[Question]:
    """The user's last message was logged answered, and its other question (`rest`) apart,
    unanswered, under it: staff find it in /pertanyaan. The two log rows, newest first."""
    rows = await harness.deps.questions.for_user(user_id, limit=2)
    assert [(r.text, r.answered, r.parent_id) for r in rows] == [
        (rest, False, rows[1].id),
        (message, True, None),
    ]
    assert rows[0].id in {q.id for q in await harness.deps.questions.unanswered()}
    return rows


async def test_a_reply_with_the_number_and_another_question_gets_both_answers(
    harness: Harness,
) -> None:
    """ "3 orang, bayarnya dimana": the first part answers the question back, the rest is
    answered as a question of its own, in the same message. A rest that asks another total
    makes the whole reply a new question."""
    wati = harness.user(1205)
    await ask(wati, "anak 2 setahun berapa")
    both = await ask(wati, "3 orang, bayarnya dimana")
    assert "Rp16.800 × 12 bulan × 3 orang = Rp604.800" in both.plain
    assert "Cara bayar iuran" in both.plain
    rows = await harness.deps.questions.for_user(1205)
    assert rows[0].text == "3 orang, bayarnya dimana" and rows[0].entry_id == "total_iuran"
    await ask(wati, "iuran suami istri lebih dari 2 tahun berapa")
    both = await ask(wati, "1,5 tahun, daftarnya gimana?")
    assert "Rp16.800 × 18 bulan × 2 orang = Rp604.800" in both.plain
    assert "Cara daftar" in both.plain
    assert "📝 Daftar minat sekarang" in both.buttons, both.buttons  # the second answer's feature
    # a rest the knowledge base does not answer is said so, never dropped in silence
    await ask(wati, "anak 2 setahun berapa")
    unknown = await ask(wati, "3 orang, terus gimana caranya biar anak saya dapat KIP")
    assert "Rp16.800 × 12 bulan × 3 orang = Rp604.800" in unknown.plain
    assert "Untuk pertanyaan Anda yang lain: maaf, saya belum tahu jawabannya." in unknown.plain
    # ... and that question reaches staff among the unanswered ones (/pertanyaan)
    rows = await assert_rest_logged(
        harness,
        1205,
        "3 orang, terus gimana caranya biar anak saya dapat KIP",
        "terus gimana caranya biar anak saya dapat KIP",
    )
    # logged as it would be when asked alone: the same normalised text groups them in
    # /pertanyaan
    await ask(wati, "terus gimana caranya biar anak saya dapat KIP")
    alone, rest = await harness.deps.questions.for_user(1205, limit=2)
    assert rest.id == rows[0].id and not alone.answered and not rest.answered
    assert (rest.normalised, rest.method) == (alone.normalised, alone.method)
    assert rest.normalised
    await ask(wati, "anak 2 setahun berapa")
    again = await ask(wati, "3 orang. kalau 2 tahun berapa?")
    assert "× 12 bulan" not in again.plain and "× 24 bulan × 3 orang" in again.plain


async def test_a_question_beside_one_about_another_programme(harness: Harness) -> None:
    """A message that asks about the programme and about another one (PKH, BLT) gets the
    answer to its own question and honestly none to the other, which staff find among the
    unanswered questions; a question after the other programme's is its follow-up, and the
    bot answers neither, unless it names our programme by its name (December 2026)."""
    sari = harness.user(1293)
    both = await ask(sari, "Sakpore itu program apa ya? bedanya sama PKH apa?")
    assert "Pekalongan Sakpore adalah program unggulan Pemkot" in both.plain
    assert "Untuk pertanyaan Anda yang lain: maaf, saya belum tahu jawabannya." in both.plain
    await assert_rest_logged(
        harness, 1293, "Sakpore itu program apa ya? bedanya sama PKH apa?", "bedanya sama PKH apa?"
    )
    follow = await ask(sari, "PKH cair kapan? syaratnya apa aja?")
    assert "Maaf, saya belum tahu jawaban untuk pertanyaan itu." in follow.plain, follow.plain
    assert "pertanyaan Anda yang lain" not in follow.plain
    english = await ask(sari, "How much is Sakpore a month? And when is BLT paid?")
    assert "Rp16.800" in english.plain
    assert "Untuk pertanyaan Anda yang lain" in english.plain
    named = await ask(sari, "PKH bulan ini udah cair belum? kalo sakpore iurannya berapa")
    assert "Rp16.800" in named.plain
    assert "Untuk pertanyaan Anda yang lain: maaf, saya belum tahu jawabannya." in named.plain
    # ... or opens with a joining word and asks something of its own (December 7, round 75)
    joined = await ask(sari, "JHT bisa dicairin kapan? trus JKK itu apa")
    assert "JKK, JKM dan JHT" in joined.plain, joined.plain
    assert "Untuk pertanyaan Anda yang lain: maaf, saya belum tahu jawabannya." in joined.plain
    # not a joined "how much" alone, nor one that refers back, nor a scholarship after another
    for follow_up in (
        "PKH cair kapan? terus berapa?",
        "KIP kuliah daftarnya kapan? terus beasiswa anak sampai umur berapa?",
        "Is there a pension for us? and how much would it pay each month?",
    ):
        refused = await ask(sari, follow_up)
        assert "Maaf, saya belum tahu jawaban untuk pertanyaan itu." in refused.plain, follow_up


async def test_a_number_answers_the_question_back_in_english(harness: Harness) -> None:
    ann = harness.user(1202)
    await ann.send("/bahasa")
    await ann.press("English")
    asked = await ask(ann, "my 2 kids one year how much")
    assert "Rp16.800 × 12 months × 2 people = Rp403.200" in asked.plain
    assert "I counted the 2 people you named" in asked.plain
    total = await ask(ann, "3 people")
    assert "Rp16.800 × 12 months × 3 people = Rp604.800" in total.plain


async def test_a_duration_answers_the_question_back_about_it(harness: Harness) -> None:
    """When the calculator knows the people but not the duration, it asks for the duration,
    and a reply with just the duration gets the total. A question whose stray number may
    count people ("iuran 2 5 tahun": 2 people, or 2,5 years?) is not completed so."""
    rini = harness.user(1203)
    asked = await ask(rini, "iuran suami istri lebih dari 2 tahun berapa")
    assert "Cukup balas, misalnya: 2 tahun" in asked.plain
    total = await ask(rini, "3 tahun")
    assert "Rp16.800 × 36 bulan × 2 orang = Rp1.209.600" in total.plain
    asked = await ask(rini, "iuran 2 5 tahun berapa")
    assert "Cukup balas" not in asked.plain
    assert "× 60 bulan" not in (await ask(rini, "5 tahun")).plain  # the table, not a sum
