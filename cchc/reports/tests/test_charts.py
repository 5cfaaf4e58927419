"""The SVG charts: valid XML, readable without the picture, the figures in them."""

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from cchc.reports.charts import Bar, Cell, Point, bar_chart, column_chart, line_chart, number, percent

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def _texts(root: ET.Element) -> list[str]:
    return [el.text for el in root.iter(f"{SVG}text") if el.text]


def test_numbers_are_written_the_vietnamese_way():
    assert number(1234) == "1.234"
    assert number(85.25) == "85,3"  # one decimal unless asked
    assert number(10.83, 2) == "10,83"
    assert number(10.0, 2) == "10"
    assert number(-3.5) == "-3,5" and number(-0.25) == "-0,3"
    assert number(3.125, 2) == "3,13"  # as the index rounds points
    assert number(None) == "–"
    assert percent(50.0) == "50%" and percent(None) == "–"


def test_bars_are_an_accessible_image_with_their_values():
    chart = bar_chart(
        chart_id="nhom",
        title="Điểm các nhóm",
        bars=[
            Bar("Công khai, minh bạch", 6.75, maximum=9, text="6,75/9 điểm", href="/chi-so#nhom-1"),
            Bar("Tiến độ giải quyết", 10.83, maximum=20, text="10,83/20 điểm"),
            Bar("Thanh toán trực tuyến", None, text="không phát sinh"),
        ],
        columns=("Nhóm", "Điểm"),
    )
    root = _parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-label") == "Điểm các nhóm"
    assert root.get("aria-describedby") == "nhom-desc"
    assert root.find(f"{SVG}title").text == "Điểm các nhóm"
    desc = root.find(f"{SVG}desc").text
    assert "Công khai, minh bạch: 6,75/9 điểm" in desc and "Thanh toán trực tuyến: không phát sinh" in desc
    assert {"6,75/9 điểm", "10,83/20 điểm", "không phát sinh"} <= set(_texts(root))
    widths = [r.get("width") for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert widths == ["75%", "54.15%"]  # against each group's own maximum; no bar for no value
    # The same figures as a table, the first one linking to its list.
    assert [row.label for row in chart.rows] == ["Công khai, minh bạch", "Tiến độ giải quyết", "Thanh toán trực tuyến"]
    assert chart.rows[0].href == "/chi-so#nhom-1" and chart.rows[0].cells == (Cell("6,75/9 điểm"),)


def test_bars_without_a_maximum_share_the_largest_value():
    chart = bar_chart(chart_id="c", title="Quá hạn", bars=[Bar("A", 4), Bar("B", 1)], columns=("Đơn vị", "Số"))
    widths = [r.get("width") for r in _parse(chart).iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert widths == ["100%", "25%"]


def test_text_is_escaped_and_long_labels_cut_in_the_picture_only():
    label = "Phòng <Thử> & “nghiệm” " + "rất dài " * 10
    chart = bar_chart(chart_id="x", title="A & B <c>", bars=[Bar(label, 1)], columns=("a", "b"))
    root = _parse(chart)  # would raise on unescaped markup
    assert root.get("aria-label") == "A & B <c>"
    assert any(t.endswith("…") and t.startswith("Phòng <Thử> &") for t in _texts(root))
    assert chart.rows[0].label == label


def test_an_empty_chart_says_so():
    chart = bar_chart(chart_id="e", title="Không có gì", bars=[], columns=("a", "b"), empty="Không có hồ sơ nào.")
    root = _parse(chart)
    assert "Không có hồ sơ nào." in _texts(root)
    assert root.find(f"{SVG}desc").text == "Không có hồ sơ nào."
    assert chart.empty and chart.rows == ()
    months = line_chart(chart_id="m", title="Xu hướng", points=[Point("01/2026", None)] * 3, columns=("Tháng", "Tỷ lệ"))
    assert "Không có số liệu." in _texts(_parse(months)) and months.empty


def test_a_line_breaks_where_a_month_has_no_value():
    points = [
        Point("01/2026", 50.0, tick="01/26"),
        Point("02/2026", 75.0, tick="02/26"),
        Point("03/2026", None, tick="03/26"),
        Point("04/2026", 100.0, tick="04/26"),
        Point("05/2026", 80.0, tick="05/26", cells=(Cell("4", "/ds?tu-so"),)),
    ]
    chart = line_chart(chart_id="t", title="Tỷ lệ đúng hạn", points=points, columns=("Tháng", "Tỷ lệ", "Đúng hạn"))
    root = _parse(chart)
    segments = [el for el in root.iter(f"{SVG}line") if el.get("class") == "chart-line"]
    assert len(segments) == 2  # 01→02 and 04→05; nothing across March
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert {"50%", "75%", "100%", "80%"} <= set(_texts(root))
    assert {"01/26", "05/26"} <= set(_texts(root))
    # 100 % sits on the top grid line, 50 % halfway down.
    ys = {c.get("cy") for c in root.iter(f"{SVG}circle")}
    assert {"22.0", "112.0"} <= ys
    assert [row.cells[0].text for row in chart.rows] == ["50%", "75%", "–", "100%", "80%"]
    assert chart.rows[-1].cells[1] == Cell("4", "/ds?tu-so")
    assert "03/2026" not in root.find(f"{SVG}desc").text


def test_columns_stand_against_the_maximum():
    points = [Point("01/2026", 20.0), Point("02/2026", 10.0), Point("03/2026", None)]
    chart = column_chart(chart_id="p", title="Điểm tiến độ", points=points, columns=("Tháng", "Điểm"), y_max=20)
    root = _parse(chart)
    heights = [float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert heights == [180.0, 90.0]
    assert {"20", "10"} <= set(_texts(root))


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=80), st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False))),
        max_size=15,
    )
)
def test_any_figures_give_valid_svg(items):
    bars = bar_chart(
        chart_id="h", title="Bất kỳ", bars=[Bar(label, value) for label, value in items], columns=("a", "b")
    )
    line = line_chart(
        chart_id="l",
        title="Bất kỳ",
        points=[Point(label, None if value is None else value % 100) for label, value in items],
        columns=("a", "b"),
    )
    for chart in (bars, line):
        assert _parse(chart).tag == f"{SVG}svg"
        assert "<script" not in str(chart.svg)
