"""Demo news (fictional): categories, six articles in every editorial state, a reform page, and
the editorial roles of the demo accounts ("cchc" edits, "lanhdao" moderates).

Images are drawn with Pillow when loading; nothing binary is kept in the repository. Running it
again changes nothing: pages are keyed on their slug, images on their title.
"""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from cchc.accounts.models import Agency, User
from cchc.core import clock

from .models import NewsArticlePage, NewsCategory, NewsIndexPage, ReformPage
from .services import (
    EDITORS,
    MODERATORS,
    news_index_ensure,
    news_member_add,
    news_permissions_ensure,
    news_workflow_ensure,
)

CATEGORIES = (
    ("cai-cach-thu-tuc", "Cải cách thủ tục hành chính"),
    ("chuyen-doi-so", "Chuyển đổi số"),
    ("mot-cua", "Một cửa, dịch vụ công"),
    ("hoat-dong", "Hoạt động của Sở"),
)
LIVE, SCHEDULED, DRAFT, IN_MODERATION = "live", "scheduled", "draft", "in_moderation"
REFORM_PAGE_SLUG = "gioi-thieu-cai-cach-hanh-chinh"


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    intro: str
    paragraphs: tuple[str, ...]
    categories: tuple[str, ...]
    days_ago: int
    state: str = LIVE
    colours: tuple[str, str] = ("#0b4f8a", "#2e8b57")
    quote: str = ""


def _articles(agency: Agency) -> tuple[DemoArticle, ...]:
    name = agency.name
    return (
        DemoArticle(
            slug="trien-khai-ke-hoach-cai-cach-hanh-chinh-nam-nay",
            title="Triển khai Kế hoạch cải cách hành chính năm nay",
            intro=f"{name} giao chỉ tiêu cải cách hành chính cho từng phòng, đơn vị và phấn đấu Chỉ số PAR Index "
            "đạt từ 80 điểm trở lên.",
            paragraphs=(
                "Tại hội nghị triển khai, Lãnh đạo Sở yêu cầu các phòng, đơn vị ký cam kết thực hiện nhiệm vụ "
                "cải cách hành chính, gắn chỉ tiêu hồ sơ đúng hạn, hồ sơ trực tuyến và mức độ hài lòng với kết quả "
                "đánh giá cuối năm.",
                "Những tồn tại, hạn chế được chỉ ra qua kết quả thẩm định Chỉ số cải cách hành chính năm trước được "
                "chuyển thành nhiệm vụ khắc phục, có đơn vị chủ trì và thời hạn hoàn thành.",
            ),
            categories=("hoat-dong", "cai-cach-thu-tuc"),
            days_ago=20,
            quote="Người dân, doanh nghiệp là trung tâm phục vụ; sự hài lòng của họ là thước đo kết quả.",
        ),
        DemoArticle(
            slug="hen-gio-tra-ket-qua-qua-zalo",
            title="Bộ phận Một cửa hẹn giờ trả kết quả qua Zalo",
            intro="Người nộp hồ sơ nhận tin nhắn hẹn giờ trả kết quả, không phải chờ đợi tại Bộ phận Một cửa.",
            paragraphs=(
                "Từ tháng này, khi hồ sơ có kết quả, Bộ phận Một cửa gửi tin nhắn Zalo hẹn khung giờ đến nhận. "
                "Người dân có thể chọn nhận kết quả qua dịch vụ bưu chính công ích.",
                "Sau một tháng áp dụng, thời gian chờ trung bình tại quầy trả kết quả giảm rõ rệt (số liệu minh họa).",
            ),
            categories=("mot-cua",),
            days_ago=12,
            colours=("#8a4b0b", "#d4a017"),
        ),
        DemoArticle(
            slug="ho-so-cap-doi-giay-phep-lai-xe-dung-han",
            title="Hồ sơ cấp đổi giấy phép lái xe được giải quyết đúng hạn",
            intro="Phần lớn hồ sơ cấp đổi giấy phép lái xe trong quý được trả đúng hoặc trước hẹn (số liệu minh họa).",
            paragraphs=(
                "Kết quả này đến từ việc số hóa thành phần hồ sơ ngay khi tiếp nhận và tái sử dụng dữ liệu đã số hóa "
                "cho những lần nộp sau.",
                "Người dân có thể tra cứu tình trạng hồ sơ trên Cổng dịch vụ công của Sở bằng mã hồ sơ.",
            ),
            categories=("cai-cach-thu-tuc", "chuyen-doi-so"),
            days_ago=5,
            colours=("#1f6f50", "#6cb4ee"),
        ),
        DemoArticle(
            slug="doi-thoai-voi-doanh-nghiep-van-tai",
            title="Đối thoại với doanh nghiệp vận tải về thủ tục hành chính",
            intro="Sở tổ chức đối thoại để lắng nghe vướng mắc của doanh nghiệp vận tải khi thực hiện thủ tục.",
            paragraphs=(
                "Các kiến nghị của doanh nghiệp sẽ được tổng hợp vào đợt rà soát, đơn giản hóa thủ tục hành chính.",
            ),
            categories=("hoat-dong",),
            days_ago=-3,
            state=SCHEDULED,
            colours=("#5b2c83", "#e07a5f"),
        ),
        DemoArticle(
            slug="huong-dan-nop-ho-so-truc-tuyen-toan-trinh",
            title="Hướng dẫn nộp hồ sơ trực tuyến toàn trình",
            intro="Các bước nộp hồ sơ, thanh toán phí và nhận kết quả điện tử trên Cổng dịch vụ công.",
            paragraphs=("Bài đang soạn: bổ sung hình minh họa từng bước.",),
            categories=("chuyen-doi-so", "mot-cua"),
            days_ago=0,
            state=DRAFT,
            colours=("#264653", "#2a9d8f"),
        ),
        DemoArticle(
            slug="ket-qua-tu-danh-gia-chi-so-cai-cach-hanh-chinh",
            title="Kết quả tự đánh giá Chỉ số cải cách hành chính",
            intro="Sở hoàn thành tự đánh giá, chấm điểm các tiêu chí của Chỉ số cải cách hành chính.",
            paragraphs=("Các tiêu chí còn mất điểm được giao cho đơn vị chủ trì khắc phục trước kỳ thẩm định.",),
            categories=("cai-cach-thu-tuc", "hoat-dong"),
            days_ago=1,
            state=IN_MODERATION,
            colours=("#9b2226", "#ee9b00"),
        ),
    )


def demo_image_bytes(colours: tuple[str, str], *, seed: int, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A PNG of a stylised road at dusk in the two colours: enough to show renditions at work."""
    from PIL import Image, ImageDraw

    width, height = size
    top, bottom = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    horizon = height * 55 // 100
    draw.polygon(
        [(width * 45 // 100, horizon), (width * 55 // 100, horizon), (width, height), (0, height)], fill="#3d3d3d"
    )
    for step in range(8):
        y0 = horizon + (height - horizon) * step // 8
        y1 = y0 + (height - horizon) // 16
        half = 2 + step * 2
        draw.rectangle([(width // 2 - half, y0), (width // 2 + half, y1)], fill="#f4f1de")
    sun = width * (20 + seed * 11 % 60) // 100
    draw.ellipse([(sun - 60, horizon - 170), (sun + 60, horizon - 50)], fill="#fff3b0")
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _image(article: DemoArticle, seed: int):
    Image = get_image_model()
    title = f"Ảnh minh họa: {article.title}"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    data = demo_image_bytes(article.colours, seed=seed)
    image = Image(title=title)
    image.file = ImageFile(BytesIO(data), name=f"{article.slug}.png")
    image.save()
    return image


def _body(article: DemoArticle) -> list:
    body: list = [("paragraph", RichText(f"<p>{text}</p>")) for text in article.paragraphs]
    if article.quote:
        body.insert(1, ("quote", article.quote))
    return body


def _add_article(index: NewsIndexPage, article: DemoArticle, *, seed: int, editor, moderator) -> NewsArticlePage:
    today = clock.localdate()
    page = NewsArticlePage(
        title=article.title,
        slug=article.slug,
        date=today - timedelta(days=article.days_ago),
        intro=article.intro,
        body=_body(article),
        main_image=_image(article, seed),
        main_image_alt=f"Hình minh họa bài “{article.title}”",
        live=False,
        owner=editor,
    )
    page.categories = list(NewsCategory.objects.filter(slug__in=article.categories))
    if article.state == SCHEDULED:
        page.go_live_at = clock.now() + timedelta(days=-article.days_ago)
    index.add_child(instance=page)
    revision = page.save_revision(user=editor, log_action=True)
    if article.state in (LIVE, SCHEDULED):
        # Live ones approved in the past; the scheduled one waits for `publish_scheduled`.
        revision.publish(user=moderator)
    elif article.state == IN_MODERATION:
        page.get_workflow().start(page, editor)
    return page


def _reform_page(agency: Agency, *, index: NewsIndexPage) -> bool:
    parent = index.get_parent()
    if ReformPage.objects.child_of(parent).filter(slug=REFORM_PAGE_SLUG).exists():
        return False
    page = ReformPage(
        title="Giới thiệu công tác cải cách hành chính",
        slug=REFORM_PAGE_SLUG,
        intro=f"Mục tiêu, nhiệm vụ và đầu mối cải cách hành chính của {agency.name}.",
        body=RichText(
            "<h2>Mục tiêu</h2><p>Phục vụ người dân, doanh nghiệp ngày càng tốt hơn; Chỉ số cải cách hành chính "
            "đạt từ 80 điểm trở lên.</p><h2>Đầu mối</h2><p>Văn phòng Sở (bộ phận phụ trách cải cách hành chính).</p>"
        ).source,
        live=False,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return True


@transaction.atomic
def load_demo_news(agency: Agency) -> int:
    """Load the demo news; returns how many pages were made (0 when already there)."""
    index = news_index_ensure(
        title="Tin tức cải cách hành chính",
        intro=f"<p>Tin hoạt động cải cách hành chính của {agency.name}.</p>",
    )
    news_workflow_ensure(index=index)
    news_permissions_ensure(index=index)
    editor = User.objects.filter(username="cchc").first()
    moderator = User.objects.filter(username="lanhdao").first()
    if editor is not None:
        news_member_add(user=editor, group_name=EDITORS)
    if moderator is not None:
        news_member_add(user=moderator, group_name=MODERATORS)
    for slug, name in CATEGORIES:
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name})
    made = 0
    for seed, article in enumerate(_articles(agency)):
        if NewsArticlePage.objects.child_of(index).filter(slug=article.slug).exists():
            continue
        _add_article(index, article, seed=seed, editor=editor, moderator=moderator)
        made += 1
    made += _reform_page(agency, index=index)
    return made
