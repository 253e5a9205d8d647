"""The CLI: `ask`, `ask --jsonl`, `kb eval`, `kb tune`: no token, no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.faq.gate import LABELLED_DIR, TUNING_FILES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No token, and a database path that must stay untouched."""
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("FAQ_DIR", raising=False)
    db = tmp_path / "nowhere" / "sakpore.db"
    monkeypatch.setenv("DATABASE_PATH", str(db))
    return db


def test_ask_prints_the_answer(capsys: pytest.CaptureFixture[str], clean_env: Path) -> None:
    assert main(["ask", "nek melu program iki bayare piro?"]) == 0
    out = capsys.readouterr().out
    assert "Rp16.800" in out and "<b>" not in out
    assert not clean_env.parent.exists()  # no database was created


def test_ask_abstains_honestly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "-v", "cara daftar CPNS"]) == 0
    out = capsys.readouterr().out
    assert "belum tahu" in out and "topic=None" in out


def test_ask_needs_a_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) == 2


@pytest.mark.slow  # a process
def test_ask_jsonl_through_the_console_script(tmp_path: Path, clean_env: Path) -> None:
    questions = "\n".join(
        [
            "iuran 10 thn totalnya brp",
            "kapan BLT cair",
            "",
            "klo sy kenapa2 keluarga sy dpt apa",
            "obat batuk anak",
            "<b>halo</b> 🙏",
            "iuran sekeluarga setahun brp",
            "iuran suami istri beberapa tahun",
        ]
    )
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--jsonl"],
        input=questions,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=True,
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in records] == [
        "iuran 10 thn totalnya brp",
        "kapan BLT cair",
        "klo sy kenapa2 keluarga sy dpt apa",
        "obat batuk anak",
        "<b>halo</b> 🙏",
        "iuran sekeluarga setahun brp",
        "iuran suami istri beberapa tahun",
    ]
    for record in records:
        assert set(record) == {"question", "topic", "topics", "score", "answer", "suggestions"}
        assert isinstance(record["score"], float) and isinstance(record["answer"], str)
    assert records[0]["topic"] == "total_iuran" and "Rp2.016.000" in records[0]["answer"]
    assert records[1]["topic"] is None and "belum tahu" in records[1]["answer"]
    assert records[2]["topic"] == "manfaat"
    assert records[3]["topic"] is None
    assert records[4]["topic"] == "salam"
    # "for how many people?": each number button, with the total a tap sends
    assert records[5]["topic"] is None and "berapa orang" in records[5]["answer"]
    counts = [s for s in records[5]["suggestions"] if s["title"].endswith("orang")]
    assert [s["title"] for s in counts] == ["1 orang", "2 orang", "3 orang", "4 orang", "5 orang"]
    assert counts[2]["topic"] == "total_iuran" and "Rp604.800" in counts[2]["answer"]
    # "for how many months or years?" (two people): each duration button, with its total
    spans = records[6]["suggestions"]
    assert [s["title"] for s in spans] == ["3 bulan", "6 bulan", "1 tahun", "2 tahun"]
    assert spans[2]["topic"] == "total_iuran" and "Rp403.200" in spans[2]["answer"]
    assert not clean_env.parent.exists()


def test_jsonl_topic_is_null_exactly_when_abstaining(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    tuning = (LABELLED_DIR / "faq_tuning.csv").read_text(encoding="utf-8")
    lines = [row.split(",")[0] for row in tuning.splitlines()[1:40]]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines)))
    assert main(["ask", "--jsonl"]) == 0
    for line in capsys.readouterr().out.splitlines():
        record = json.loads(line)
        answer = record["answer"]
        abstained = any(words in answer for words in ("belum tahu", "ketik pertanyaan"))
        assert (record["topic"] is None) == abstained, record


def test_kb_eval(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "eval", str(DATA / "faq_heldout.csv")]) == 0
    out = capsys.readouterr().out
    assert "in-scope accuracy:" in out and "abstention rate:" in out
    assert main(["kb", "eval", "--json", str(DATA / "faq_heldout.csv")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["questions"] == 116 and "most_confused" in report


def test_a_button_under_a_question_back_is_one_tap_in_kb_eval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row asked back about is reached in one tap when a button under the question back
    (a duration, a number of people) sends a total with its key facts: "1 tahun" for the two
    of them is Rp403.200; no button gives Rp2.016.000 (five years)."""
    out = kb_eval(
        tmp_path,
        capsys,
        "question,expected_topic,kind,must\n"
        "iuran suami istri beberapa tahun,total_iuran,,403200\n"
        "iuran suami istri beberapa tahun,total_iuran,,2016000\n"
        "anak 2 setahun berapa,total_iuran,,806400\n",
    )
    assert "at most one tap:    66.7% (2/3 " in out


def kb_eval(tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str) -> str:
    """What `kb eval` prints for a labelled file of `rows`."""
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(rows, encoding="utf-8")
    assert main(["kb", "eval", str(labelled)]) == 0
    return capsys.readouterr().out


def test_kb_eval_reports_confusions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = kb_eval(
        tmp_path,
        capsys,
        "question,expected_topic\n"
        "iurannya berapa sebulan,iuran\n"
        "iurannya berapa sebulan,perda\n"
        "cara daftar CPNS,-\n"
        "cara daftar CPNS,daftar\n",
    )
    assert "in-scope accuracy:  33.3% (1/3" in out
    assert "abstention rate:    100.0% (1/1" in out
    assert "perda -> iuran" in out and "daftar -> -" in out


def test_kb_eval_checks_the_key_facts_of_each_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The `must` column: the facts a right answer says, searched in its text with the dots
    between digits removed ("Rp50.400" -> "rp50400") and lowercased; a key fact written with
    such a dot ("16.800") is read without it too (it never matched), and in the text a person
    reads: "baru <b>4 kota/kabupaten</b>" says "baru 4 kota/kabupaten" (the tags became spaces
    until December 2026)."""
    labelled = tmp_path / "facts.csv"
    labelled.write_text(
        "question,expected_topic,must\n"
        "iuran 3 bulan berapa,total_iuran,50400\n"
        "iuran 3 bulan berapa,total_iuran,50400 && aplikasi jmo\n"  # not said in a total
        "iuran 3 bulan berapa,total_iuran,50400&&3 bulan\n"  # "&&" without spaces: two facts
        "iurannya berapa sebulan,iuran,rp ?16800\n"
        "iurannya berapa sebulan,iuran,16.800\n"
        "iurannya berapa sebulan,iuran,\n"  # no key facts: not counted
        "perda sakpore itu apa,perda,baru 4 kota/kabupaten\n"
        "cara daftar CPNS,-,-\n",
        encoding="utf-8",
    )
    assert main(["kb", "eval", str(labelled)]) == 0
    out = capsys.readouterr().out
    assert "key facts:          83.3% (5/6 in-scope questions" in out
    assert main(["kb", "eval", "--json", str(labelled)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["facts_checked"] == 6 and report["facts_rate"] == 0.8333
    broken = tmp_path / "broken.csv"
    broken.write_text("question,expected_topic,must\nhalo,salam,(unclosed\n", encoding="utf-8")
    assert main(["kb", "eval", str(broken)]) == 1
    assert "key fact does not compile" in capsys.readouterr().err
    # thanks, then a question: the thanks has no key fact, and a "-" would ask for a hyphen
    broken.write_text(
        "question,expected_topic,must\nmakasih. nomor petugas?,terima_kasih+kontak,- && petugas\n",
        encoding="utf-8",
    )
    assert main(["kb", "eval", str(broken)]) == 1
    assert "a key fact of '-'" in capsys.readouterr().err


def test_kb_eval_rejects_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("q,topic\nhalo,salam\n", encoding="utf-8")
    assert main(["kb", "eval", str(bad)]) == 1
    assert "question,expected_topic" in capsys.readouterr().err


def test_saved_parameters_are_the_tuned_ones(capsys: pytest.CaptureFixture[str]) -> None:
    """faq_matching.toml is what `kb tune` finds on the tuning half: not picked by hand, and
    re-tuned after every change to the knowledge base or the lexicon."""
    from bot.config import LOCALES_DIR
    from bot.faq.matcher import MATCHING_FILE, MatchParams

    files = [str(LABELLED_DIR / name) for name in TUNING_FILES]
    assert main(["kb", "tune", *files]) == 0
    out = capsys.readouterr().out
    saved = MatchParams.load(LOCALES_DIR / MATCHING_FILE)
    assert (
        f"threshold = {saved.threshold}, margin = {saved.margin}, "
        f"suggest_floor = {saved.suggest_floor}, unknown_weight = {saved.unknown_weight}, "
        f"ordinary_weight = {saved.ordinary_weight}, answer_weight = {saved.answer_weight}, "
        f"entry_weight = {saved.entry_weight}"
    ) in out
    assert f"kb tune {' '.join(f'locales/labelled/{n}' for n in TUNING_FILES)} --write" in (
        LOCALES_DIR / MATCHING_FILE
    ).read_text(encoding="utf-8")
