"""The rows and columns of the standard tables, as data (contract §2).

Each row is matched by its label: a regular expression searched in the label with spaces and
punctuation removed, so numbering styles, OCR-ish spacing and line breaks do not matter (the text
is already simplified). More specific patterns come first within a table.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowSpec:
    key: str          # contract key stem, e.g. "applications.denied.state_secret"
    pattern: str      # regex over the squeezed label
    context: str = ""  # required enclosing group (legacy blocks, table 3 "其他处理" items)


# Table 2 (主动公开): row stems; their columns come from the header row above them.
TABLE2_ROWS: tuple[RowSpec, ...] = (
    RowSpec("active.normative_documents", r"规范性文件"),
    RowSpec("active.regulations", r"规章"),
    RowSpec("active.other_services", r"其他对外管理服务事项"),
    RowSpec("active.licensing", r"行政许可"),
    RowSpec("active.penalty", r"行政处罚"),
    RowSpec("active.coercion", r"行政强制"),
    RowSpec("active.fees", r"行政事业性收费"),
    RowSpec("active.procurement", r"政府集中采购|集中采购"),
)

# Header cells of table 2 -> column suffix.
TABLE2_COLUMNS: tuple[tuple[str, str], ...] = (
    (r"本年新制作", "made"), (r"本年新公开", "published"), (r"对外公开(总)?数", "total"),
    (r"上一年项目", "previous"), (r"本年增", "change"), (r"处理决定", "decisions"),
    (r"本年制发", "issued"), (r"本年废止", "repealed"), (r"现行有效", "in_force"),
    (r"采购项目", "items"), (r"采购(总)?金额", "amount"), (r"收费金额", "amount"),
)

# The columns a table 2 row may carry, per template (contract §2); used when no header is seen.
TABLE2_DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "v2019": {"active.regulations": ("made", "published", "total"),
              "active.normative_documents": ("made", "published", "total"),
              "active.licensing": ("previous", "change", "decisions"),
              "active.other_services": ("previous", "change", "decisions"),
              "active.penalty": ("previous", "change", "decisions"),
              "active.coercion": ("previous", "change", "decisions"),
              "active.fees": ("previous", "change"),
              "active.procurement": ("items", "amount")},
    "v2021": {"active.regulations": ("issued", "repealed", "in_force"),
              "active.normative_documents": ("issued", "repealed", "in_force"),
              "active.licensing": ("decisions",), "active.penalty": ("decisions",),
              "active.coercion": ("decisions",), "active.fees": ("amount",)},
}
MONEY_COLUMNS = frozenset({"active.procurement.amount", "active.fees.amount"})

TABLE3_COLUMNS: tuple[str, ...] = ("natural_person", "commercial", "research", "social_welfare",
                                   "legal_service", "other_org", "total")

TABLE3_ROWS: tuple[RowSpec, ...] = (
    RowSpec("applications.new", r"本年新收"),
    RowSpec("applications.carried_over", r"上年结转"),
    RowSpec("applications.carried_forward", r"结转下年"),
    RowSpec("applications.denied.state_secret", r"国家秘密"),
    RowSpec("applications.denied.law_prohibited", r"禁止公开|其他法律|行政.?止公开"),
    RowSpec("applications.denied.security_stability", r"三安全一稳定|危及"),
    RowSpec("applications.denied.third_party", r"第三方"),
    RowSpec("applications.denied.internal_affairs", r"内部事务"),
    RowSpec("applications.denied.process_info", r"过程性?信息"),
    RowSpec("applications.denied.enforcement_file", r"执法案卷"),
    RowSpec("applications.denied.inquiry_matter", r"行政查询"),
    RowSpec("applications.unable.not_held", r"不掌握"),
    RowSpec("applications.unable.needs_creation", r"另行制作"),
    RowSpec("applications.unable.unclear", r"仍不明确|内容不明确"),
    RowSpec("applications.rejected.complaint", r"信访|举报投诉"),
    RowSpec("applications.rejected.duplicate", r"重复申请"),
    RowSpec("applications.rejected.publication", r"公开出版物"),
    RowSpec("applications.rejected.excessive", r"大量反复"),
    RowSpec("applications.rejected.confirmation", r"重新出具|确认或"),
    RowSpec("applications.other.no_correction", r"逾期不补正|不补正"),
    RowSpec("applications.other.unpaid_fee", r"未按收费|逾期未缴|缴纳费用"),
    RowSpec("applications.other.other", r"^(?:\d|[一二三])?其他$", context="other"),
    RowSpec("applications.granted", r"予以公开"),
    RowSpec("applications.partial", r"部分公开"),
    RowSpec("applications.other", r"其他处理"),
    RowSpec("applications.total", r"总计"),
)

# Table 4 (行政复议、行政诉讼): one row of 15 numbers in this order.
TABLE4_KEYS: tuple[str, ...] = tuple(f"{block}.{col}" for block in ("review", "litigation_direct", "litigation_after_review")
                                     for col in ("upheld", "corrected", "other", "pending", "total"))

# Legacy 统计表: the group a row sits in decides rows whose labels repeat (维持/纠错 …).
LEGACY_GROUPS: tuple[tuple[str, str], ...] = (
    (r"^[一二三四五六七八九十]+主动公开", "active"), (r"回应解读|回应情况|解读情况", "response"),
    (r"^[一二三四五六七八九十]+依申请公开|依申请公开情况|受理依申请", "applications"),
    (r"行政复议", "review"), (r"行政诉讼", "litigation"), (r"举报投诉|申诉", "complaints"),
    (r"机构建设|保障经费", "org"), (r"会议和培训|培训情况", "training"),
)

LEGACY_ROWS: tuple[RowSpec, ...] = (
    RowSpec("legacy.active.normative_published", r"主动公开规范性文件"),
    RowSpec("legacy.active.normative_issued", r"制发规范性文件"),
    RowSpec("legacy.active.total", r"主动公开政府信息数|主动公开(政府)?信息(总)?数|主动公开文件数"),
    RowSpec("legacy.channel.gazette", r"政府公报", context="active"),
    RowSpec("legacy.channel.website", r"政府网站公开|网站公开", context="active"),
    RowSpec("legacy.channel.weibo", r"政务微博公开|微博公开", context="active"),
    RowSpec("legacy.channel.wechat", r"政务微信公开|微信公开", context="active"),
    RowSpec("legacy.channel.platform", r"统一平台", context="active"),
    RowSpec("legacy.channel.other", r"其他方式公开", context="active"),
    RowSpec("legacy.response.hot_topics", r"回应公众关注热点|重大舆情数"),
    RowSpec("legacy.response.press_conferences_by_head", r"主要负责同志参加新闻发布会"),
    RowSpec("legacy.response.press_conferences", r"新闻发布会"),
    RowSpec("legacy.response.online_interviews_by_head", r"主要负责同志参加政府网站在线访谈"),
    RowSpec("legacy.response.online_interviews", r"在线访谈"),
    RowSpec("legacy.response.interpretations", r"政策解读稿件"),
    RowSpec("legacy.response.weibo_wechat", r"微博微信回应"),
    RowSpec("legacy.response.other", r"其他方式回应"),
    RowSpec("legacy.applications.in_person", r"当面申请"),
    RowSpec("legacy.applications.fax", r"传真申请"),
    RowSpec("legacy.applications.online", r"网络申请|网上申请"),
    RowSpec("legacy.applications.letter", r"信函申请"),
    RowSpec("legacy.applications.email", r"电子邮件申请"),
    RowSpec("legacy.applications.other_form", r"其[它他]形式申请"),
    RowSpec("legacy.applications.received", r"收到申请数|受理.{0,8}申请.{0,6}总?数|申请总数"),
    RowSpec("legacy.applications.on_time", r"按时办结"),
    RowSpec("legacy.applications.extended", r"延期办结"),
    RowSpec("legacy.applications.completed", r"申请办结数|办结数"),
    RowSpec("legacy.applications.already_public", r"已主动公开范围"),
    RowSpec("legacy.applications.partial", r"同意部分公开"),
    RowSpec("legacy.applications.denied", r"不同意公开|不予公开|否决公开"),
    RowSpec("legacy.applications.granted", r"同意公开"),
    RowSpec("legacy.applications.denied_state_secret", r"涉及国家秘密"),
    RowSpec("legacy.applications.denied_commercial_secret", r"涉及商业秘密"),
    RowSpec("legacy.applications.denied_privacy", r"涉及个人隐私"),
    RowSpec("legacy.applications.denied_security", r"危及国家安全"),
    RowSpec("legacy.applications.denied_not_gov_info", r"不是.*所指政府信息"),
    RowSpec("legacy.applications.denied_other_law", r"法律法规规定的其他情形"),
    RowSpec("legacy.applications.not_this_agency", r"不属于本行政机关|非本机关"),
    RowSpec("legacy.applications.not_exist", r"信息不存在"),
    RowSpec("legacy.applications.to_amend", r"更改补充"),
    RowSpec("legacy.applications.other_channel", r"其他途径"),
    RowSpec("legacy.applications.other_reply", r"其他类型答复"),
    RowSpec("legacy.applications.replied", r"申请答复数|答复总数|对申请的答复"),
    RowSpec("legacy.review.upheld", r"维持", context="review"),
    RowSpec("legacy.review.corrected", r"纠错|纠正", context="review"),
    RowSpec("legacy.review.other", r"其他情形", context="review"),
    RowSpec("legacy.review.total", r"行政复议数"),
    RowSpec("legacy.litigation.upheld", r"维持", context="litigation"),
    RowSpec("legacy.litigation.corrected", r"纠错|纠正", context="litigation"),
    RowSpec("legacy.litigation.other", r"其他情形", context="litigation"),
    RowSpec("legacy.litigation.total", r"行政诉讼数"),
    RowSpec("legacy.litigation_or_complaints", r"行政诉讼.?举报"),
    RowSpec("legacy.complaints", r"举报投诉数"),
    RowSpec("legacy.appeals", r"申诉"),
    RowSpec("legacy.fees", r"收取的费用|收费减免金额|收费"),
    RowSpec("legacy.org.units", r"专门机构数"),
    RowSpec("legacy.org.reading_points", r"查阅点"),
    RowSpec("legacy.org.staff_full_time", r"专职人员"),
    RowSpec("legacy.org.staff_part_time", r"兼职人员"),
    RowSpec("legacy.org.staff", r"工作人员数"),
    RowSpec("legacy.org.budget", r"专项经费"),
    RowSpec("legacy.meetings", r"工作会议|专题会议"),
    RowSpec("legacy.training.sessions", r"培训班"),
    RowSpec("legacy.training.trainees", r"接受培训人员"),
)
LEGACY_MONEY = frozenset({"legacy.fees", "legacy.org.budget"})

# Words that mark a template when they appear in a table region.
TEMPLATE_MARKERS: dict[str, str] = {
    "v2021": r"本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|本年收费金额|逾期不补正|逾期未按收费",
    "v2019": r"本年新制作数量|本年新公开数量|上一年项目数量|采购项目数量",
    "legacy": r"统计指标|主动公开政府信息数|收到申请数|申请答复数|政府信息公开情况统计表",
}
