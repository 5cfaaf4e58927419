"""Small builders for catalogue tests."""

from dataclasses import replace

from cchc.procedures.rules import ComponentSpec, FeeSpec, ProcedureSpec, StepSpec


def make_spec(**overrides) -> ProcedureSpec:
    spec = ProcedureSpec(
        code="2.999001",
        name="Cấp giấy phép thử nghiệm đường bộ",
        field_code="GTDB",
        unit_code="QLVT",
        applicants="Cá nhân",
        time_limit_value=2,
        time_limit_unit="working_days",
        online_level=3,
        result_type="paper",
        result_name="Giấy phép thử nghiệm",
        legal_basis=("Thông tư số 99/2099/TT-BGTVT (minh họa)",),
        fees=(FeeSpec(kind="fee", name="Lệ phí cấp phép", amount=50000, online_amount=40000),),
        components=(ComponentSpec(name="Đơn đề nghị", originals=1), ComponentSpec(name="Căn cước", copies=1)),
        steps=(
            StepSpec(name="Tiếp nhận", unit_code="MOTCUA", role="one_stop_officer", hours=4),
            StepSpec(name="Thẩm định", unit_code="QLVT", role="specialist", hours=8),
            StepSpec(name="Phê duyệt", unit_code="BGD", role="leader", hours=4),
        ),
    )
    return replace(spec, **overrides)
