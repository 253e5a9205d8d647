"""Issue 16, storage and merge rule: staff changes are versions in SQLite, applied as a layer
over the shipped faq.toml; conflicts with a later release are listed; backups keep them."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.config import LOCALES_DIR
from bot.faq.gate import LABELLED_DIR, LABELLED_FILES, TUNING_FILES, shipped_labels
from bot.faq.kb import FAQ_FILE, Entry, KnowledgeBase, parse_file
from bot.faq.layer import Change, Version, apply_layer, conflicts, entry_hash
from bot.faq.training import SELECTION_FILES
from bot.faq.tuning import read_labelled
from bot.ops import backup_database
from sakpore_sim.harness import Harness
from tests.conftest import ADMIN_ID

PHRASE = "setoran rutin tiap purnama"  # a wording the knowledge base does not know


def shipped(locale: str = "id", directory: Path = LOCALES_DIR) -> KnowledgeBase:
    kb, problems = parse_file(directory / locale / FAQ_FILE, locale)
    assert not problems
    return kb


def entry_of(kb: KnowledgeBase, entry_id: str) -> Entry:
    found = kb.get(entry_id)
    assert found is not None, entry_id
    return found


def test_layer_overrides_fields_adds_phrasings_and_entries() -> None:
    kb = shipped()
    iuran = entry_of(kb, "iuran")
    versions = [
        Version(1, "id", "iuran", Change(add_phrasings=(PHRASE,)), entry_hash(iuran)),
        Version(2, "id", "iuran", Change(set={"source_line": "kantor kelurahan"})),
        Version(3, "id", "iuran", Change(remove_phrasings=(iuran.phrasings[0],))),
    ]
    out, problems = apply_layer(kb, versions)
    assert problems == []
    entry = entry_of(out, "iuran")
    assert PHRASE in entry.phrasings and iuran.phrasings[0] not in entry.phrasings
    assert entry.source_line == "kantor kelurahan" and entry.answer == iuran.answer
    assert entry_of(kb, "iuran") is iuran  # the shipped knowledge base is not changed
    # the same checks as `kb check`: a typed contribution amount is refused
    bad = Version(4, "id", "iuran", Change(set={"answer": "Iurannya Rp16.800 sebulan."}))
    _, problems = apply_layer(kb, [bad])
    assert any("contribution amount typed by hand" in p.message for p in problems)


def test_a_release_changing_an_entry_keeps_the_staff_change_and_lists_a_conflict(
    tmp_path: Path,
) -> None:
    kb = shipped()
    version = Version(
        7, "id", "iuran", Change(add_phrasings=(PHRASE,)), entry_hash(entry_of(kb, "iuran"))
    )
    assert conflicts({"id": kb}, [version]) == []
    # the next release ships another answer for "iuran"
    for name in ("id/faq.toml",):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(LOCALES_DIR / name, tmp_path / name)
    path = tmp_path / "id" / FAQ_FILE
    text = path.read_text(encoding="utf-8")
    answer = entry_of(kb, "iuran").answer.splitlines()[0]
    path.write_text(text.replace(answer, answer + " Dibayar tiap bulan.", 1), encoding="utf-8")
    released = shipped("id", tmp_path)
    assert entry_of(released, "iuran").answer != entry_of(kb, "iuran").answer
    [conflict] = conflicts({"id": released}, [version])
    assert (conflict.version, conflict.entry_id, conflict.reason) == (7, "iuran", "changed")
    out, problems = apply_layer(released, [version])
    assert not problems and PHRASE in entry_of(out, "iuran").phrasings
    assert "Dibayar tiap bulan." in entry_of(out, "iuran").answer


def test_the_labelled_questions_shipped_are_the_development_files_never_a_held_out_one() -> None:
    shipped_files = {p.name for p in LABELLED_DIR.iterdir() if p.is_file()}
    assert shipped_files == set(LABELLED_FILES)
    assert set(TUNING_FILES) <= shipped_files  # `kb tune`'s files are labelled files too
    # and the selection files that choose the question classifier's parameters (kb train)
    selection = {str(p.relative_to(LABELLED_DIR)) for p in LABELLED_DIR.glob("*/*")}
    assert selection == set(SELECTION_FILES)
    shipped_files |= {Path(name).name for name in selection}
    # the held-out files and round 3's check file stay in tests/data, unread by the bot
    assert not any("heldout" in name or "check" in name for name in shipped_files)
    tests_data = {p.name for p in (Path(__file__).parent / "data").iterdir()}
    assert not shipped_files & tests_data  # one file each, no copies
    assert len(shipped_labels()) > 1500
    # KB_GATE_FILES: the gate answers the files named, each with the language it is in
    some = shipped_labels(names=("faq_tuning.csv", "faq_en_dev_2026-12.csv"))
    assert len(some) == len(read_labelled(LABELLED_DIR / "faq_tuning.csv")) + len(
        read_labelled(LABELLED_DIR / "faq_en_dev_2026-12.csv")
    )
    assert {label.locale for label in some} == {"id", "en"}


async def test_a_backup_restores_the_staff_changes(
    make_settings: Any, clock: FakeClock, tmp_path: Path
) -> None:
    settings = make_settings()
    async with Harness.create(settings, clock) as h:
        budi = h.user(1001)
        await budi.send(PHRASE)
        assert "Rp16.800" not in budi.last().plain
        outcome = await h.deps.kb.propose(
            h.deps,
            actor_id=ADMIN_ID,
            locale="id",
            entry_id="iuran",
            change=Change(add_phrasings=(PHRASE,)),
            kind="add_phrasing",
        )
        assert outcome.status == "live", outcome
        await budi.send(PHRASE)
        assert "Rp16.800" in budi.last().plain
        backup = tmp_path / "backup.db"
        backup_database(settings.database_path, backup)
    # the restore: the backup replaces the database (the key file stays where it was)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{settings.database_path}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, settings.database_path)
    async with Harness.create(settings, clock) as h:
        await h.user(1002).send(PHRASE)
        assert "Rp16.800" in h.user(1002).last().plain


async def test_a_typed_computed_amount_is_refused(harness: Harness) -> None:
    for typed, placeholder in (("Rp201.600", "{yearly}"), ("Rp 5,040,000", "{total_25y}")):
        outcome = await harness.deps.kb.propose(
            harness.deps,
            actor_id=ADMIN_ID,
            locale="id",
            entry_id="iuran",
            change=Change(set={"answer": f"Setahun {typed}."}),
            kind="edit",
        )
        assert outcome.status == "invalid"
        assert f"write {placeholder} instead" in outcome.problems[0].message
    assert await harness.deps.kb.repo.count() == 0


def test_the_gate_scores_a_knowledge_base_once_however_often_it_is_loaded(
    tmp_path: Path,
) -> None:
    """Every bot of a process shares the gate's scores of a knowledge base loaded from the same
    files (the tests run dozens of bots in one process; a bot reloads the shipped files when
    staff changes are undone); one loaded from other files, or built by hand, is scored anew."""
    import dataclasses
    from zoneinfo import ZoneInfo

    from bot.faq.gate import Scorer
    from bot.faq.layer import Label
    from bot.faq.service import FaqService, load_knowledge
    from bot.i18n import I18n

    i18n = I18n("id", ZoneInfo("Asia/Jakarta"))
    labels = [Label("iuran sebulan berapa", "iuran", "id"), Label("cuaca besok", None, "id")]
    directory = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, directory)
    first = load_knowledge(directory)
    other = load_knowledge(LOCALES_DIR)  # loading other files evicts `first` from the cache
    again = load_knowledge(directory)
    assert again is not first and again.key == first.key
    scores = Scorer(i18n).score(FaqService(knowledge=first, monthly=16800), labels)
    assert scores == {labels[0]: True, labels[1]: True}
    assert Scorer(i18n).score(FaqService(knowledge=again, monthly=16800), []) is scores
    assert Scorer(i18n).score(FaqService(knowledge=other, monthly=16800), []) is not scores
    by_hand = dataclasses.replace(first, key=())
    assert Scorer(i18n).score(FaqService(knowledge=by_hand, monthly=16800), []) == {}


def test_a_question_marked_out_of_scope_leaves_the_knowledge_base_as_it_is() -> None:
    """ "Abaikan" labels a question, it does not change an entry: the layer's key (the loader's
    cache, the accuracy gate's scores) stays, so the gate scores that one question, not all
    2,700 again. A change to an entry changes the key, whatever its version number."""
    from bot.faq.layer import NO_ENTRY, Label, Layer

    ignored = Version(
        7, "id", NO_ENTRY, Change(labels=(Label("resep soto tauto", None, "id"),), group_key="g")
    )
    added = Version(8, "id", "iuran", Change(add_phrasings=(PHRASE,)))
    assert Layer([ignored]).key == Layer().key == ""
    assert Layer([added, ignored]).key == Layer([added]).key != ""
    renumbered = Version(9, "id", "iuran", Change(add_phrasings=(PHRASE,)))
    assert Layer([renumbered]).key == Layer([added]).key
    assert Layer([Version(8, "en", "iuran", added.change)]).key != Layer([added]).key


def test_a_staff_change_reads_texts_through_the_cache_of_the_knowledge_base_in_use() -> None:
    """The accuracy gate reads every labelled question with a change's knowledge base: when
    the change leaves the words of the phrasings alone (a new answer, a source), that base
    normalises texts as the one in use does and shares its cache; a phrasing with a new word
    teaches the normaliser that word, so it keeps its own."""
    import dataclasses

    from bot.faq.service import load_knowledge

    def new_answer(kb: KnowledgeBase) -> tuple[KnowledgeBase, list[Any]]:
        entry = kb.entries["iuran"]
        kb.entries["iuran"] = dataclasses.replace(entry, answer=entry.answer + " Ya.")
        return kb, []

    def new_word(kb: KnowledgeBase) -> tuple[KnowledgeBase, list[Any]]:
        entry = kb.entries["iuran"]
        phrasings = (*entry.phrasings, "iuran bulanan zupergede berapa")
        kb.entries["iuran"] = dataclasses.replace(entry, phrasings=phrasings)
        return kb, []

    in_use = load_knowledge(LOCALES_DIR).for_locale("id").normaliser
    answer = load_knowledge(LOCALES_DIR, layer=new_answer, layer_key="answer")
    words = load_knowledge(LOCALES_DIR, layer=new_word, layer_key="word")
    assert answer.for_locale("id").normaliser._cache is in_use._cache
    assert words.for_locale("id").normaliser._cache is not in_use._cache
    assert "zupergede" in words.for_locale("id").normaliser.known
    assert "zupergede" not in in_use.known
