"""Key fields proposed from OCR text (pure)."""

from cchc.digitisation.fields import propose

CARD = """CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CĂN CƯỚC CÔNG DÂN
Số / No.: 001090 001234
Họ và tên / Full name:
NGUYỄN VĂN AN
Ngày sinh / Date of birth: 15/03/1990
"""

LICENCE = """GIẤY PHÉP LÁI XE / DRIVER'S LICENSE
Số/No: 790123456789
Ho ten: TRAN THI BINH
Ngay sinh: 1.2.1992
"""

REGISTRATION = "GIẤY CHỨNG NHẬN ĐĂNG KÝ XE\nBiển số đăng ký: 29A - 123.45\nChủ xe: Lê Minh Cường"


def _fields(text):
    return {p.field: p.value for p in propose(text)}


def test_an_id_card_gives_its_number_name_and_birth_date():
    assert _fields(CARD) == {"id_number": "001090001234", "name": "NGUYỄN VĂN AN", "birth_date": "15/03/1990"}


def test_labels_without_diacritics_are_read_and_a_licence_number_is_not_an_id_number():
    fields = _fields(LICENCE.replace("Số/No:", "Giấy phép lái xe số:"))
    assert fields["licence_number"] == "790123456789"
    assert "id_number" not in fields
    assert fields["name"] == "TRAN THI BINH" and fields["birth_date"] == "01/02/1992"


def test_a_plate_number_is_found_in_spaced_ocr_text():
    assert _fields(REGISTRATION)["plate_number"] == "29A-123.45"


def test_nothing_is_invented_from_unrelated_text():
    assert propose("Đơn đề nghị đổi giấy phép lái xe\nKính gửi: Sở Giao thông vận tải") == []
    assert _fields("Ngày sinh: 31/02/1990") == {}


def test_a_licence_label_misread_by_ocr_still_gives_the_licence_number():
    fields = _fields("GIAY PHEP LAI XE\nS6 GPLX: 790123456789\nHo va tén: NGUYEN VAN AN\n")
    assert fields["licence_number"] == "790123456789" and "id_number" not in fields
