"""The Python package against the cityrank command and the published 2020 ranking."""

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pytest

import cityrank
from conftest import BUNDLED, DATA_SPEC, ROOT, run


@pytest.fixture(scope="module")
def bundled():
    return cityrank.build(BUNDLED)


def published_top() -> list:
    """The published overall ranks 1-5 (examples/blockchain-2020/published.csv)."""
    with open(BUNDLED.parent / "published.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["node"] == "OVERALL" and r["rank"].isdigit()]
    return [r["unit"] for r in sorted(rows, key=lambda r: int(r["rank"])) if int(r["rank"]) <= 5]


def test_bundled_example_ranks_83_and_the_published_top_five(bundled):
    ranking = bundled.ranking()
    assert len(ranking) == 83
    assert list(ranking["rank"][:5]) == [1, 2, 3, 4, 5]
    assert list(ranking["unit"][:5]) == published_top()
    assert list(ranking.columns[:4]) == ["rank", "unit", "name", "name_zh"]
    assert {"BCI", "RD", "IND", "PUB", "POL", "tier"} <= set(ranking.columns)
    assert len(bundled.excluded) == 100 - 83
    assert list(bundled.excluded.columns[:3]) == ["unit", "name", "reason"]


def test_scores_are_scores_csv(bundled, tmp_path):
    bundled.write(tmp_path / "out")
    on_disk = pd.read_csv(tmp_path / "out" / "scores.csv", dtype={"unit": str, "published": str})
    scores = bundled.scores
    assert list(scores.columns) == list(on_disk.columns)
    assert list(scores["unit"]) == list(on_disk["unit"])
    assert scores["score"].equals(on_disk["score"])
    assert (scores["rank"].astype("float64").fillna(-1) == on_disk["rank"].fillna(-1)).all()


def test_write_equals_cityrank_run_byte_for_byte(bundled, cityrank_bin, tmp_path):
    run(cityrank_bin, "run", "--spec", str(BUNDLED), "--out", str(tmp_path / "cli"))
    bundled.write(tmp_path / "py")
    cli = sorted(p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*") if p.is_file())
    py = sorted(p.relative_to(tmp_path / "py") for p in (tmp_path / "py").rglob("*") if p.is_file())
    assert cli == py and Path("manifest.json") in cli and len(cli) > 10
    for rel in cli:
        assert (tmp_path / "cli" / rel).read_bytes() == (tmp_path / "py" / rel).read_bytes(), rel
    written = (tmp_path / "py" / "manifest.json").read_text(encoding="utf-8")
    assert bundled.manifest == __import__("json").loads(written)


def test_manifest_is_the_recipe(bundled):
    m = bundled.manifest
    assert m["index"]["id"] == "blockchain-2020"
    assert m["counts"]["ranked"] == 83
    assert m["commands"]["run"]["outputs"][0]["file"] == "scores.csv"


def data_frames():
    return (
        pd.read_csv(DATA_SPEC.parent / "data" / "indicators.csv"),
        pd.read_csv(DATA_SPEC.parent / "data" / "cities.csv"),
    )


def same_scores(a, b):
    pd.testing.assert_frame_equal(a.scores, b.scores)
    assert a.files["scores_wide.csv"] == b.files["scores_wide.csv"]


def test_pandas_input_gives_the_scores_of_the_files():
    data, units = data_frames()
    from_files = cityrank.build(DATA_SPEC)
    same_scores(cityrank.build(DATA_SPEC, data=data, units=units), from_files)
    same_scores(cityrank.build(DATA_SPEC, data=data.set_index("unit")), from_files)
    m = cityrank.build(DATA_SPEC, data=data).manifest
    assert [i["path"] for i in m["inputs"]] == ["data/cities.csv", "<data>"]


def test_polars_and_pyarrow_input_give_the_same_scores():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    data, units = data_frames()
    from_files = cityrank.build(DATA_SPEC)
    same_scores(cityrank.build(DATA_SPEC, data=pl.from_pandas(data), units=pl.from_pandas(units)), from_files)
    same_scores(cityrank.build(DATA_SPEC, data=pa.Table.from_pandas(data)), from_files)


def test_indicator_table_gives_the_scores_of_the_records(bundled):
    """The 2020 example computes its indicators from raw records; its indicators.csv holds the
    values the records must give, so building from that table ranks the same."""
    data = pd.read_csv(BUNDLED.parent / "data" / "indicators.csv")
    same_scores(cityrank.build(BUNDLED, data=data), bundled)


def test_bad_cell_in_a_data_frame_names_row_and_column():
    data, _ = data_frames()
    data["rd_patents"] = data["rd_patents"].astype(str)
    data.loc[3, "rd_patents"] = "n.a."
    with pytest.raises(cityrank.DataError) as e:
        cityrank.build(DATA_SPEC, data=data)
    err = e.value
    assert (err.file, err.row, err.field) == ("<data>", 3, "rd_patents")
    assert "`n.a.` is not a number" in str(err) and err.fix


def test_missing_unit_in_a_data_frame():
    data, _ = data_frames()
    with pytest.raises(cityrank.DataError, match="has no row") as e:
        cityrank.build(DATA_SPEC, data=data.iloc[1:])
    assert e.value.file == "<data>"


def test_spec_error_names_file_line_and_fix(tmp_path):
    spec = tmp_path / "spec.toml"
    text = DATA_SPEC.read_text(encoding="utf-8").replace('normalise = "ratio_to_max"', 'normalise = "ratio_to_mx"')
    spec.write_text(text, encoding="utf-8")
    shutil.copytree(DATA_SPEC.parent / "data", tmp_path / "data")
    with pytest.raises(cityrank.SpecError) as e:
        cityrank.build(spec)
    err = e.value
    assert err.file == str(spec)
    assert text.splitlines()[err.line - 1].startswith("normalise")
    assert "ratio_to_mx" in str(err) and err.fix
    with pytest.raises(cityrank.SpecError, match="cannot read") as e:
        cityrank.build(tmp_path / "none.toml")
    assert e.value.file == str(tmp_path / "none.toml")


def test_uncertainty_equals_cityrank_uncertainty(bundled, cityrank_bin, tmp_path):
    run(cityrank_bin, "uncertainty", "--spec", str(BUNDLED), "-n", "300", "--seed", "7", "--out", str(tmp_path))
    cli = pd.read_csv(tmp_path / "uncertainty.csv", dtype={"unit": str})
    got = bundled.uncertainty(n=300, seed=7)
    assert len(got) == 83
    assert list(got.columns) == list(cli.columns)
    assert list(got["unit"]) == list(cli["unit"])
    for c in ("nominal_rank", "median_rank", "p05_rank", "p95_rank"):
        assert list(got[c]) == list(cli[c]), c
    for c in ("mean_abs_shift", "prob_top10", "prob_top_n"):
        assert got[c].equals(cli[c]), c
    with pytest.raises(ValueError, match="1 to 100,000,000"):
        bundled.uncertainty(n=0)


def test_whatif_equals_a_build_with_those_weights(tmp_path):
    shutil.copytree(DATA_SPEC.parent, tmp_path / "ex")
    spec = tmp_path / "ex" / "spec.toml"
    text = spec.read_text(encoding="utf-8")
    assert text.count('id = "POL"\n') == 1
    spec.write_text(text.replace('id = "POL"\n', 'id = "POL"\nweight = 3\n'), encoding="utf-8")
    reweighted = cityrank.build(spec).ranking()
    got = cityrank.build(DATA_SPEC).whatif({"RD": 1, "IND": 1, "PUB": 1, "POL": 3})
    assert list(got["unit"]) == list(reweighted["unit"])
    assert list(got["rank"]) == list(reweighted["rank"])
    assert (got["score"] - reweighted["BCI"]).abs().max() < 1e-9
    nominal = cityrank.build(DATA_SPEC).whatif({"RD": 1, "IND": 1, "PUB": 1, "POL": 1})
    assert (nominal["shift"] == 0).all()
    with pytest.raises(ValueError, match="missing weight for dimension `POL`"):
        cityrank.build(DATA_SPEC).whatif({"RD": 1, "IND": 1, "PUB": 1})
