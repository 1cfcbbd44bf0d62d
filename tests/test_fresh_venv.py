"""A fresh virtual environment with only the declared dependencies (issue 9).

A green run in a developer's environment can hide an undeclared dependency
(``rapidfuzz.process.cdist`` needs numpy, which mtlint never declared, and a
folder of a few hundred articles crashed).  This test builds a new venv,
installs this checkout with ``pip install <checkout>`` (declared dependencies
only), writes a folder of 500 generated articles full of names (text written
by the generator below, in all three input formats), and runs ``mtlint check``
(the default rules, so every import a default run makes) and ``mtlint names``
on it: exit 0 or 1, no traceback; ``import mtlint`` works from the wheel.  It takes about a minute, most of it pip.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

GIVEN = ["Khalifa", "Muammar", "Sergei", "Mohamed", "Volodymyr", "Fayez", "Aguila", "Recep Tayyip", "Abdel-Fattah",
         "Elena", "Olaf", "Martin", "Martyn", "Dustin", "Eliot", "Jamel", "Bashar", "Ingrid", "Tomasz", "Akira"]
SURNAMES = [["Haftar", "Hifter", "Hafter"], ["Gaddafi", "Qaddafi", "Kadhafi", "Gadhafi"], ["Lavrov"],
            ["Gnunu"], ["Zelensky", "Zelenskyy"], ["al-Sarraj", "el-Sarraj", "Al Sarraj"], ["Saleh"], ["Erdoğan", "Erdogan"],
            ["el-Sisi", "al-Sisi"], ["Scholl"], ["Williams"], ["Hoffman", "Hoffmann"], ["Spitzer"], ["Bouras"],
            ["al-Assad"], ["van der Berg", "van den Berg"], ["de Gaulle"], ["O'Neill"], ["Johansson", "Johnson"],
            ["Paterson", "Patterson"]]
PLACES = ["Tripoli", "Sirte", "Benghazi", "Misrata", "Kyiv", "Ankara", "Cairo", "Tobruk", "Jufra", "Wadi al-Jarf", "Leeds",
          "Shanxi", "Shaanxi", "Iran", "Iraq", "Niger", "Nigeria", "Austria", "Australia"]
WORDS = ["the School", "the Court", "Human Rights Watch", "the Queen", "a Rally", "the Count", "Pops"]
TEMPLATES = [
    "{p1} met {p2} in {place} on Monday, officials said.",
    "Forces loyal to {p1} advanced towards {place}, while {s2} said the talks had failed.",
    "\"We will not accept this,\" {s1}'s spokesman told reporters outside {w}.",
    "President {p2} later called {s1}, according to a statement from {place}.",
    "Supporters of {s2} gathered near {w} in {place}; {s1} did not comment.",
    "{s1} and {s2} are expected to meet again in {place} next week, diplomats in {place2} said.",
]


def _syllable_surnames(rnd: random.Random, n: int) -> list[str]:
    """Many close invented surnames on a few consonant frames, so the clustering meets
    blocks of well over 40 spellings (the size at which the old code called numpy)."""
    frames = [("k", "r", "m", "n"), ("b", "s", "t", "r"), ("d", "l", "k", "h"), ("m", "r", "t", "z")]
    vowels = ["a", "i", "ou", "u", "e", "ai", "o", "ee"]
    out = set()
    while len(out) < n:
        frame = rnd.choice(frames)
        out.add("".join(c + rnd.choice(vowels) for c in frame[:3]).capitalize() + frame[3])
    return sorted(out)


def _article(rnd: random.Random, extra: list[str]) -> str:
    def person() -> tuple[str, str]:
        surname = rnd.choice(rnd.choice(SURNAMES) if rnd.random() < 0.5 else [rnd.choice(extra)])
        return f"{rnd.choice(GIVEN)} {surname}", surname

    sentences = []
    for _ in range(rnd.randint(6, 12)):
        (p1, s1), (p2, s2) = person(), person()
        sentences.append(rnd.choice(TEMPLATES).format(
            p1=p1, p2=p2, s1=s1, s2=s2, place=rnd.choice(PLACES), place2=rnd.choice(PLACES), w=rnd.choice(WORDS)))
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return f"{rnd.choice(PLACES)} Talks Stall as {person()[1]} Visits\n\n" + "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, n: int = 500, seed: int = 2024) -> None:
    rnd = random.Random(seed)
    extra = _syllable_surnames(rnd, 400)
    for i in range(n):
        text = _article(rnd, extra)
        kind = i % 10
        if kind == 8:
            head, _, body = text.partition("\n\n")
            (folder / f"a{i:03d}.md").write_text(f"# {head}\n\n{body}", encoding="utf-8")
        elif kind == 9:
            paras = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n")[1:])
            (folder / f"a{i:03d}.html").write_text(f"<html><body><h1>{text.splitlines()[0]}</h1>\n{paras}</body></html>\n", encoding="utf-8")
        else:
            (folder / f"a{i:03d}.txt").write_text(text, encoding="utf-8")


def test_fresh_venv_with_only_declared_dependencies_checks_500_articles(tmp_path):
    venv = tmp_path / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, timeout=300)
    if made.returncode != 0:
        pytest.skip(f"cannot create a virtual environment with {sys.executable} -m venv: {made.stderr.strip()[-300:]}")
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", NO_COLOR="1")
    pip = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(ROOT)],
                         capture_output=True, text=True, env=env, timeout=1800, cwd=str(tmp_path))
    assert pip.returncode == 0, pip.stdout[-2000:] + pip.stderr[-4000:]

    folder = tmp_path / "articles"
    folder.mkdir()
    write_articles(folder)
    mtlint = str(bindir / "mtlint")
    for args in (["check", "--format", "json", "-o", str(tmp_path / "report.json"), str(folder)], ["names", str(folder)]):
        proc = subprocess.run([mtlint, *args], capture_output=True, text=True, env=env, timeout=1200, cwd=str(tmp_path))
        assert proc.returncode in (0, 1), (args[0], proc.returncode, proc.stderr[-4000:])
        assert "Traceback" not in proc.stderr and "rule-crash" not in proc.stdout, proc.stderr[-4000:]
    report = (tmp_path / "report.json").read_text(encoding="utf-8")
    assert '"rule-crash"' not in report and '"files": [' in report
    assert report.count('"path":') >= 500
    # doctor in the same environment: every library a default run needs is importable
    doctor = subprocess.run([mtlint, "doctor"], capture_output=True, text=True, env=env, timeout=300, cwd=str(tmp_path))
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "missing" not in doctor.stdout, doctor.stdout
    # the wheel ships the public API package beside checker (docs/api.md), typed
    api = subprocess.run(
        [str(bindir / "python"), "-c",
         "import importlib.resources as r, checker.api, mtlint; assert mtlint.Checker is checker.api.Checker; "
         "assert r.files('mtlint').joinpath('py.typed').is_file(); "
         "print(len(mtlint.Checker().check_text('They destroyed Hausers.').findings))"],
        capture_output=True, text=True, env=env, timeout=300, cwd=str(tmp_path))
    assert api.returncode == 0 and int(api.stdout) >= 1, api.stdout + api.stderr[-4000:]
