"""Every code, seed file and linking note of the Seoul data has a readable label, so no
page falls back to showing a developer's code (issue 7 item 15)."""

from __future__ import annotations

import csv
from importlib import resources

from seonggwa.data.seoul import labels, reader


def _csv(name: str) -> list[dict]:
    text = (resources.files(reader.DATA_PACKAGE) / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_every_metric_has_a_korean_and_an_english_name():
    metrics = {f.metric for f in reader.load_facts()}
    assert metrics <= set(labels.METRICS), metrics - set(labels.METRICS)
    for code in metrics:
        ko, en = labels.metric_label(code), labels.metric_label(code, "en")
        assert ko != code and en != code and "_" not in ko + en


def test_every_linking_note_reads_in_korean():
    for row in _csv(reader.LINKS_FILE):
        if row["reason"]:
            korean = labels.link_reason(row["reason"])
            assert korean != row["reason"], row["reason"]
            assert not any(w in korean for w in ("same ", "suffix", "spelling", " vs "))


def test_every_source_file_is_cited_by_title_and_section():
    files = {r["source_file"] for name in (reader.RESULTS_FILE, reader.FACTS_FILE,
                                           reader.EXCLUSIONS_FILE) for r in _csv(name)}
    files |= {s.source_file for s in reader.load_rounds()}
    for f in reader.load_facts():
        cited = labels.citation(f.source_file, f.source_line)
        assert cited.startswith("「") and ".txt" not in cited
    for name in files:
        assert labels.document_title(name), name
        assert labels.document_title(name, "en"), name
    assert labels.citation("001_260a3710e46fb5ca.txt", 38) == (
        "「2023년 제2차 민간위탁 종합성과평가 결과 보고」 · 사무별 주요성과 및 과제")


def test_precision_of_each_published_figure_comes_from_its_text():
    printed = labels.published_precision()
    assert printed[(2022, 3)] == {"average": 2, "below_share": 0, "previous_average": 2,
                                  "change_vs_previous": 1, "multi_year_average": 2,
                                  "change_vs_multi_year": 2}
    assert printed[(2023, 2)]["below_share"] == 1
    for s in reader.load_rounds():  # each figure's decimals are those of its printed text
        for yaml_name, name in labels.SUMMARY_FIELDS.items():
            figure = getattr(s, yaml_name)
            if figure.stated:
                digits = str(figure.value).lstrip("-")
                assert printed[(s.year, s.round)][name] == (
                    len(digits.split(".")[1]) if "." in digits else 0)
                assert digits in figure.text
