"""The National Public Service Portal's (Cổng DVCQG) adapter, simulated (`/dvcqg/auth`,
`/dvcqg/integration`, `/dvcqg/share` on the simulator server; never in production).

It answers as public integrations show the adapter answering (docs/integrations.md, DVCQG):
- `auth`: `{username, password}` → `{error_code: 0, session}`; a session lasts an hour;
- `integration`: `DongBoHoSoMC` keeps dossiers by MaHoSo ("-3 … đã tồn tại" when a create repeats one;
  `isUpdating: "True"` replaces it), `CapNhatTienDoHoSoMC` appends a progress step to a known dossier,
  `DongBoThuTucDiaPhuong` keeps an agency's offering; dates must read `yyyyMMddHHmmss` and statuses 1–10;
- `share`: `LayDanhSachHoSoNopTaiCong` lists the dossiers lodged on the portal for an agency and not yet
  delivered (a demo one per agency is lodged on first use), `XacNhanDaNhanHoSo` marks one delivered.
A stale or unknown session gets `error_code` 401. While the tester has the portal down
(`POST /_sim/down`), every call answers 503, so CCHC's retries can be seen. State lives in the simulator
store's `Record` rows (service "dvcqg"); `GET /_sim/dvcqg/dossiers` shows what the portal was told and
`POST /_sim/dvcqg/lodge` lodges a dossier on it as a citizen would.
"""

import base64
import secrets

from django.core import signing

from cchc.dvcqg import protocol
from cchc.dvcqg.client import SIMULATOR_PASSWORD, SIMULATOR_USERNAME

from .models import Record

SERVICE = "dvcqg"
SESSION_SECONDS = 3600
# A one-page PDF the demo's lodged dossiers carry.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _answer(code: int, message: str, result=None) -> dict:
    return {"error_code": code, "message": message, "result": result or []}


def auth(body: dict) -> dict:
    if body.get("username") != SIMULATOR_USERNAME or body.get("password") != SIMULATOR_PASSWORD:
        return _answer(1, "Sai tài khoản kết nối")
    session = signing.dumps({"u": body["username"], "n": secrets.token_hex(4)}, salt="dvcqg-simulator.session")
    return {"error_code": 0, "message": "Thành công", "session": session}


def _session_ok(body: dict) -> bool:
    try:
        signing.loads(str(body.get("session", "")), salt="dvcqg-simulator.session", max_age=SESSION_SECONDS)
    except signing.BadSignature:
        return False
    return True


def _dates_ok(data: dict, names: tuple[str, ...]) -> str:
    for name in names:
        if data.get(name) and protocol.parse_national_date(str(data[name])) is None:
            return f"{name} không đúng định dạng yyyyMMddHHmmss"
    return ""


def _records(kind: str):
    return Record.objects.filter(service=SERVICE, kind=kind)


def _sync_dossier(body: dict) -> dict:
    updating = body.get("isUpdating") == "True"
    for data in body.get("data") or []:
        code = str(data.get("MaHoSo", ""))
        if not code or not data.get("MaTTHC"):
            return _answer(-1, "Thiếu MaHoSo hoặc MaTTHC")
        if str(data.get("TrangThaiHoSo", "")) not in protocol.VALID_STATUS_CODES:
            return _answer(-1, "TrangThaiHoSo phải từ 1 đến 10")
        problem = _dates_ok(data, ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayTra"))
        if problem:
            return _answer(-1, problem)
        record = _records("dossier").filter(key=code).first()
        if record is not None and not updating:
            return _answer(-3, f"Hồ sơ {code} đã tồn tại")
        if record is None:
            Record.objects.create(service=SERVICE, kind="dossier", key=code, data={"dossier": data, "steps": []})
        else:
            record.data = {**record.data, "dossier": data}
            record.save(update_fields=["data", "updated_at"])
    return _answer(0, "Đồng bộ thành công")


def _progress(body: dict) -> dict:
    for step in body.get("data") or []:
        record = _records("dossier").filter(key=str(step.get("MaHoSo", ""))).first()
        if record is None:
            return _answer(-1, f"Không tìm thấy hồ sơ {step.get('MaHoSo')}")
        if str(step.get("TrangThai", "")) not in protocol.VALID_STATUS_CODES:
            return _answer(-1, "TrangThai phải từ 1 đến 10")
        problem = _dates_ok(step, ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh"))
        if problem:
            return _answer(-1, problem)
        record.data = {**record.data, "steps": [*record.data.get("steps", []), step]}
        record.save(update_fields=["data", "updated_at"])
    return _answer(0, "Cập nhật tiến độ thành công")


def _offering(body: dict) -> dict:
    for data in body.get("data") or []:
        Record.objects.update_or_create(
            service=SERVICE, kind="offering", key=f"{body.get('madonvi')}:{data.get('MaTTHC')}", defaults={"data": data}
        )
    return _answer(0, "Đồng bộ thủ tục thành công")


def lodge(*, agency_code: str, national_code: str, procedure_code: str, **fields) -> None:
    """A citizen lodges a dossier on the national portal (the tester's `POST /_sim/dvcqg/lodge`)."""
    Record.objects.get_or_create(
        service=SERVICE,
        kind="lodged",
        key=national_code,
        defaults={
            "data": {
                "madonvi": agency_code,
                "delivered": False,
                "dossier": {"MaHoSo": national_code, "MaTTHC": procedure_code, **fields},
            }
        },
    )


def _lodge_demo(agency_code: str) -> None:
    """The first time an agency asks, one demo dossier waits on the portal for it."""
    if _records("lodged").filter(data__madonvi=agency_code).exists():
        return
    lodge(
        agency_code=agency_code,
        national_code=f"G22.99-{agency_code[-3:]}-000001",
        procedure_code="1.000010",
        ChuHoSo="Phạm Quang Minh",
        LoaiDoiTuong="1",
        SoGiayToChuHoSo="037095004321",
        SoDienThoai="0987004321",
        DiaChi="Số 8 đường Trần Phú, phường Đông Thành, thành phố Bình Sơn",
        NgayNopHoSo="20260105090000",
        HinhThuc="0",
        TaiLieuNop=[
            {
                "TenGiayTo": "Đơn đề nghị đổi giấy phép lái xe (theo mẫu)",
                "TenTepDinhKem": "don-de-nghi.pdf",
                "Base64": base64.b64encode(DEMO_PDF).decode(),
            }
        ],
    )


def _lodged(body: dict) -> dict:
    agency_code = str(body.get("madonvi", ""))
    _lodge_demo(agency_code)
    waiting = _records("lodged").filter(data__madonvi=agency_code).order_by("id")
    return _answer(0, "Thành công", [r.data["dossier"] for r in waiting if not r.data.get("delivered")])


def _acknowledge(body: dict) -> dict:
    record = _records("lodged").filter(key=str(body.get("mahoso", ""))).first()
    if record is None:
        return _answer(-1, "Không tìm thấy hồ sơ")
    record.data = {**record.data, "delivered": True}
    record.save(update_fields=["data", "updated_at"])
    return _answer(0, "Đã ghi nhận")


SERVICES = {
    "integration": {
        protocol.SERVICE_DOSSIER: _sync_dossier,
        protocol.SERVICE_PROGRESS: _progress,
        protocol.SERVICE_OFFERING: _offering,
    },
    "share": {protocol.SERVICE_LODGED: _lodged, protocol.SERVICE_LODGED_ACK: _acknowledge},
}


def answer(endpoint: str, body: dict) -> dict:
    """One call to the integration or share endpoint."""
    if not _session_ok(body):
        return _answer(int(protocol.SESSION_ERROR), "Phiên làm việc không hợp lệ hoặc đã hết hạn")
    if not body.get("madonvi"):
        return _answer(-1, "Thiếu madonvi")
    handler = SERVICES[endpoint].get(str(body.get("service", "")))
    if handler is None:
        return _answer(-1, f"Không hỗ trợ dịch vụ {body.get('service')}")
    return handler(body)


def held(national_code: str = "") -> list[dict]:
    """What the simulated portal holds of the dossiers it was told (`GET /_sim/dvcqg/dossiers`), all or one:
    `{"key": MaHoSo, "data": {"dossier": …, "steps": […]}}`."""
    rows = _records("dossier").order_by("id")
    if national_code:
        rows = rows.filter(key=national_code)
    return [row.as_dict() for row in rows]
