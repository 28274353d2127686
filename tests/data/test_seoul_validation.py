"""Corrupted copies of the packaged data must fail with file, row and column named."""

import shutil
from pathlib import Path

import pytest
import yaml

from seonggwa.data.seoul import reader as sd

FILES = (sd.RESULTS_FILE, sd.EXCLUSIONS_FILE, sd.ROUNDS_FILE, sd.NARRATIVES_FILE,
         sd.LINKS_FILE, sd.FACTS_FILE)


@pytest.fixture
def copy(tmp_path) -> Path:
    src = sd.data_dir()
    for name in FILES:
        (tmp_path / name).write_bytes(src.joinpath(name).read_bytes())
    return tmp_path


def edit_line(path: Path, line_no: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` once on 1-based ``line_no`` of ``path``."""
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], (old, lines[line_no - 1])
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_packaged_data_loads_and_the_copy_is_identical(copy):
    assert sd.load_results(copy) == sd.load_results()
    assert sd.load_links(copy) == sd.load_links()
    assert sd.load_facts(copy) == sd.load_facts()
    assert sd.load_rounds(copy) == sd.load_rounds()
    assert sd.load_exclusions(copy) == sd.load_exclusions()
    assert sd.load_narratives(copy) == sd.load_narratives()


def test_bad_score_names_file_row_and_column(copy):
    # data row 5 = file line 6: 2018 연번 5, score 86.59
    edit_line(copy / sd.RESULTS_FILE, 6, ",86.59,", ",9x.1,")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_results(copy)
    err = info.value
    assert (err.file, err.row, err.column) == (sd.RESULTS_FILE, 5, "score")
    assert str(err).startswith("outsourcing_results.csv, row 5 (line 6), column 'score': ")
    assert "'9x.1'" in str(err)


@pytest.mark.parametrize("bad", ["80.5", "100.01", "-1.00", "80.510", " 80.51", ""])
def test_other_bad_scores(copy, bad):
    edit_line(copy / sd.RESULTS_FILE, 6, ",86.59,", f",{bad},")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_results(copy)
    assert (info.value.row, info.value.column) == (5, "score")


def test_duplicate_seq_names_file_row_and_column(copy):
    # make 2018 연번 6 (data row 6, line 7) a second 연번 5
    edit_line(copy / sd.RESULTS_FILE, 7, "2018,1,6,", "2018,1,5,")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_results(copy)
    err = info.value
    assert (err.file, err.row, err.column) == (sd.RESULTS_FILE, 6, "seq")
    assert "duplicate (year, seq) = (2018, 5); first at row 5" in str(err)
    assert "row 6 (line 7), column 'seq'" in str(err)


def test_gap_in_seq(copy):
    edit_line(copy / sd.RESULTS_FILE, 7, "2018,1,6,", "2018,1,99,")
    with pytest.raises(sd.SeoulDataError, match=r"year 2018: 연번 must run 1\.\.44"):
        sd.load_results(copy)


def test_unknown_remark(copy):
    edit_line(copy / sd.RESULTS_FILE, 28, ",재계약 배제,", ",배제,")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_results(copy)
    assert (info.value.row, info.value.column) == (27, "remark")


def test_tampered_derived_members(copy):
    edit_line(copy / sd.RESULTS_FILE, 39, "사단법인 마을|사단법인 일촌공동체",
              "사단법인 마을")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_results(copy)
    assert (info.value.row, info.value.column) == (38, "contractor_members")


def test_wrong_header(copy):
    edit_line(copy / sd.RESULTS_FILE, 1, "service_name", "name")
    with pytest.raises(sd.SeoulDataError, match="header must be"):
        sd.load_results(copy)


def test_link_to_missing_result(copy):
    path = copy / sd.LINKS_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, x in enumerate(lines) if ",result,2018,1,1," in x)
    lines[n] = lines[n].replace(",result,2018,1,1,", ",result,2018,1,45,")
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_links(copy)
    assert (info.value.file, info.value.row, info.value.column) == (sd.LINKS_FILE, n, "ref")
    assert "no result row for year 2018, seq 45" in str(info.value)


def test_link_with_a_different_name(copy):
    path = copy / sd.LINKS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",삼청각 위탁관리,exact,", ",삼청각,exact,"), encoding="utf-8")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_links(copy)
    assert info.value.column == "name_as_written"


def test_every_row_needs_a_link(copy):
    path = copy / sd.LINKS_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(x for x in lines if ",narrative,2023,2,29," not in x),
                    encoding="utf-8")
    with pytest.raises(sd.SeoulDataError, match=r"have no service key.*2023, 29"):
        sd.load_links(copy)


def test_reviewed_link_needs_a_reason(copy):
    path = copy / sd.LINKS_FILE
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, x in enumerate(lines) if ",마포주민편의시설,reviewed," in x)
    lines[n] = lines[n].split(",reviewed,")[0] + ",reviewed,"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_links(copy)
    assert (info.value.row, info.value.column) == (n, "reason")


def test_exclusion_pointing_at_wrong_year(copy):
    edit_line(copy / sd.EXCLUSIONS_FILE, 2, ",2018,27,exact,", ",2019,27,exact,")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_exclusions(copy)
    assert (info.value.file, info.value.row, info.value.column) == (
        sd.EXCLUSIONS_FILE, 1, "result_year")


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


def test_rounds_bad_average(copy):
    def change(d):
        d["rounds"][0]["average"]["value"] = "80.5x"

    _edit_yaml(copy / sd.ROUNDS_FILE, change)
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_rounds(copy)
    err = info.value
    assert (err.file, err.row, err.column) == (sd.ROUNDS_FILE, "rounds[0]", "average.value")
    assert str(err).startswith("outsourcing_rounds.yaml, rounds[0], column 'average.value'")


def test_rounds_stated_figure_needs_a_line(copy):
    def change(d):
        del d["rounds"][-1]["average"]["line"]

    _edit_yaml(copy / sd.ROUNDS_FILE, change)
    with pytest.raises(sd.SeoulDataError, match=r"rounds\[13\], column 'average.line'"):
        sd.load_rounds(copy)


def test_narrative_bullet_with_markup(copy):
    def change(d):
        d["sets"][1]["services"][4]["improvements"][0] = "- " + "x"

    _edit_yaml(copy / sd.NARRATIVES_FILE, change)
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_narratives(copy)
    err = info.value
    assert (err.row, err.column) == ("sets[1].services[4]", "improvements[0]")


def test_narrative_order_must_follow_position(copy):
    def change(d):
        d["sets"][0]["services"][1]["order"] = 7

    _edit_yaml(copy / sd.NARRATIVES_FILE, change)
    with pytest.raises(sd.SeoulDataError, match=r"sets\[0\].services\[1\], column 'order'"):
        sd.load_narratives(copy)


def test_missing_file(tmp_path):
    with pytest.raises(sd.SeoulDataError, match="outsourcing_results.csv: file not found"):
        sd.load_results(tmp_path)


def test_fact_with_unknown_service_key(copy):
    edit_line(copy / sd.FACTS_FILE, 2, "svc-", "svc-9")
    with pytest.raises(sd.SeoulDataError) as info:
        sd.load_facts(copy)
    assert (info.value.file, info.value.row, info.value.column) == (
        sd.FACTS_FILE, 1, "service_key")


def test_the_fixture_does_not_touch_the_package(copy):
    shutil.rmtree(copy)
    assert len(sd.load_results()) == 133
