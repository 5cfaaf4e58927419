import unicodedata

import pytest

from cchc.procedures.selectors import procedure_catalogue

from .factories import make_spec


def names(qs):
    return [p.current_version.name for p in qs]


@pytest.mark.parametrize(
    "query",
    ["giay phep lai xe", "GIẤY PHÉP LÁI XE", unicodedata.normalize("NFD", "giấy phép lái xe"), "Giay Phep Lai Xe"],
)
def test_driving_licence_procedures_found_however_the_query_is_typed(demo, query):
    found = names(procedure_catalogue(q=query))
    exact = [name for name in found if "giấy phép lái xe" in name.lower()]
    assert len(exact) >= 3
    # Names holding the whole phrase come first; looser matches (every word somewhere) follow.
    assert found[: len(exact)] == exact


def test_d_with_stroke_matches_plain_d(demo):
    assert names(procedure_catalogue(q="dang ky")) == names(procedure_catalogue(q="đăng ký"))
    assert any("Đăng ký" in name for name in names(procedure_catalogue(q="dang ky")))


def test_code_search(demo):
    assert [p.code for p in procedure_catalogue(q="1.000010")] == ["1.000010"]


def test_name_matches_rank_before_code_matches(demo):
    from cchc.procedures.services import procedure_publish

    # A procedure whose code contains "000" and another whose name has "000" in it.
    procedure_publish(agency=demo, spec=make_spec(code="2.999002", name="Cấp phép vận tải tuyến 000 thử"))
    results = list(procedure_catalogue(q="000"))
    assert results[0].code == "2.999002"
    assert len(results) > 1


def test_whole_phrase_ranks_before_scattered_words(demo):
    from cchc.procedures.services import procedure_publish

    procedure_publish(agency=demo, spec=make_spec(code="2.999003", name="Xe tập lái: cấp giấy phép"))
    procedure_publish(agency=demo, spec=make_spec(code="2.999004", name="Cấp giấy phép xe tập lái"))
    codes = [p.code for p in procedure_catalogue(q="giay phep xe tap lai")]
    assert codes.index("2.999004") < codes.index("2.999003")


def test_filters_combine_with_search(demo):
    level_four = procedure_catalogue(q="giay phep lai xe", level=4)
    assert level_four and all(p.current_version.online_level == 4 for p in level_four)
    by_field = procedure_catalogue(field="DTND")
    assert by_field and all(p.current_version.field.code == "DTND" for p in by_field)


def test_nothing_found_for_nonsense(demo):
    assert not procedure_catalogue(q="xyzzy qwerty").exists()


# ---------------------------------------------------------------- how people write (issue 14, item 4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("gplx", "1.000010"),
        ("đổi GPLX", "1.000010"),
        ("GPKD", "1.002286"),
        ("CCCD", "1.000010"),  # no procedure is named so: those asking for the paper
    ],
)
def test_abbreviations_people_write_find_procedures(demo, typed, expected):
    codes = list(procedure_catalogue(q=typed).values_list("code", flat=True))
    assert expected in codes, codes


def test_doi_gplx_puts_the_exchanges_first(demo):
    codes = list(procedure_catalogue(q="đổi GPLX").values_list("code", flat=True))
    assert codes[0] in {"1.000010", "1.001765", "1.001756", "1.000326"}


def test_a_synonym_the_reform_officer_adds_is_used_at_once(demo):
    from cchc.procedures.services import search_synonym_save

    assert not procedure_catalogue(q="bến tàu").exists()
    search_synonym_save(synonym=None, term="Bến tàu", expansion="bến thủy nội địa")
    assert "1.004088" in procedure_catalogue(q="bến tàu").values_list("code", flat=True)
