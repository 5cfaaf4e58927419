"""A year's criteria tree as the template workbook (same columns as the loader reads), so that a
province's template can be exported, edited and loaded again."""

from . import criteria_file
from .models import Criterion, ParYear


def par_year_spec(par_year: ParYear) -> criteria_file.TemplateSpec:
    criteria = Criterion.objects.filter(par_year=par_year).select_related("responsible_unit").order_by("order", "id")
    return criteria_file.TemplateSpec(
        name=par_year.template_name,
        sample=par_year.is_sample,
        note=par_year.template_note,
        rows=[
            criteria_file.RowSpec(
                code=c.code,
                name=c.name,
                max_points=c.max_points,
                method=c.method,
                indicator=c.indicator,
                unit_code=c.responsible_unit.code if c.responsible_unit_id else "",
                guidance=c.guidance,
            )
            for c in criteria
        ],
    )


def par_year_workbook(par_year: ParYear) -> bytes:
    return criteria_file.write_workbook(par_year_spec(par_year))
