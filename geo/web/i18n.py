"""Interface strings in Chinese (default) and English; every label the app shows comes from here."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LANG_NAMES: dict[Lang, str] = {"zh": "中文", "en": "English"}

_STRINGS: dict[str, dict[Lang, str]] = {
    "title": {"zh": "城市更新项目地图", "en": "Urban renewal map"},
    "subtitle": {
        "zh": "政府工作报告中提到的城市更新、公园、道路和风貌项目",
        "en": "Urban renewal, park, road and townscape projects named in government reports",
    },
    "language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "basemap": {"zh": "底图", "en": "Base map"},
    "basemap_none": {"zh": "无底图（离线，显示县界）", "en": "None (offline, county outlines)"},
    "basemap_osm": {"zh": "OpenStreetMap（需联网）", "en": "OpenStreetMap (online)"},
    "basemap_gaode": {"zh": "高德地图（需联网，GCJ-02）", "en": "Gaode (online, GCJ-02)"},
    "search": {"zh": "按名称搜索（汉字或拼音）", "en": "Search by name (Chinese or pinyin)"},
    "search_help": {
        "zh": "可输入汉字、全拼（如 tashan）或首字母（如 tsgy）",
        "en": "Chinese characters, full pinyin (e.g. tashan) or initials (e.g. tsgy)",
    },
    "filters": {"zh": "筛选", "en": "Filters"},
    "county": {"zh": "县（市、区）", "en": "County"},
    "document": {"zh": "来源文件", "en": "Document"},
    "status": {"zh": "状态", "en": "Status"},
    "precision": {"zh": "定位精度", "en": "Location precision"},
    "all": {"zh": "全部", "en": "All"},
    "shown": {"zh": "显示 {n} / {total} 个项目", "en": "Showing {n} of {total} sites"},
    "no_layers": {
        "zh": "未找到图层文件（{folder}）。请先运行 `python -m geo build`。",
        "en": "No layer files found in {folder}. Run `python -m geo build` first.",
    },
    "bad_layer": {"zh": "无法读取图层 {name}：{error}", "en": "Cannot read layer {name}: {error}"},
    "table": {"zh": "项目列表", "en": "Sites"},
    "table_help": {
        "zh": "选择一行，地图将定位到该项目",
        "en": "Select a row to centre the map on that site",
    },
    "approximate": {"zh": "≈ 约略", "en": "≈ approx."},
    "approximate_list": {"zh": "约略位置的项目（{n}）", "en": "Approximately located sites ({n})"},
    "approximate_note": {
        "zh": "只定位到乡镇或县的项目，地图上以虚线圆表示可能范围。",
        "en": "Located only to a township or county; the dashed circle on the map shows the possible area.",
    },
    "col_name": {"zh": "名称", "en": "Name"},
    "col_layer": {"zh": "图层", "en": "Layer"},
    "col_kind": {"zh": "类型", "en": "Kind"},
    "col_status": {"zh": "状态", "en": "Status"},
    "col_county": {"zh": "县（市、区）", "en": "County"},
    "col_precision": {"zh": "定位精度", "en": "Precision"},
    "col_uncertainty": {"zh": "误差（米）", "en": "Uncertainty (m)"},
    "col_approx": {"zh": "约略", "en": "Approx."},
    "col_docs": {"zh": "来源文件", "en": "Documents"},
    "col_year": {"zh": "年份", "en": "Year"},
    "downloads": {"zh": "下载", "en": "Downloads"},
    "dl_layer": {"zh": "{layer}（GeoJSON）", "en": "{layer} (GeoJSON)"},
    "dl_all": {"zh": "全部图层（{fmt}）", "en": "All layers ({fmt})"},
    "dl_selection": {"zh": "当前筛选结果（{fmt}）", "en": "Current selection ({fmt})"},
    "dl_raw_note": {
        "zh": "下载内容为原始数据（WGS-84 坐标，引文为原文）。",
        "en": "Downloads hold the raw data (WGS-84 coordinates, quotes as written).",
    },
    "legend": {"zh": "图例", "en": "Legend"},
    "legend_layers": {"zh": "图层", "en": "Layers"},
    "legend_status": {"zh": "状态", "en": "Status"},
    "legend_approx": {
        "zh": "约略位置（虚线圆 = 可能范围）",
        "en": "Approximate (dashed circle = possible area)",
    },
    "counties_layer": {"zh": "县界", "en": "County boundaries"},
    "selected_site": {"zh": "选中的项目", "en": "Selected site"},
    "popup_layer": {"zh": "图层", "en": "Layer"},
    "popup_status": {"zh": "状态", "en": "Status"},
    "popup_county": {"zh": "县（市、区）", "en": "County"},
    "popup_year": {"zh": "年份", "en": "Year"},
    "popup_location": {"zh": "定位", "en": "Located"},
    "popup_location_value": {
        "zh": "{precision}（误差约 {uncertainty}），依据：{source}",
        "en": "{precision} (within about {uncertainty}), from: {source}",
    },
    "popup_statements": {"zh": "提及该项目的原文（{n}）", "en": "Statements that mention it ({n})"},
    "popup_no_statements": {"zh": "无原文引用", "en": "No quoted statement"},
    "unknown_county": {"zh": "未知", "en": "unknown"},
    "gaode_note": {
        "zh": "高德底图使用 GCJ-02 坐标，地图上的项目已相应偏移显示；下载仍为 WGS-84。",
        "en": "Gaode tiles use GCJ-02; sites are shifted to match on screen. Downloads stay WGS-84.",
    },
    "metres": {"zh": "{n} 米", "en": "{n} m"},
    "kilometres": {"zh": "{n} 公里", "en": "{n} km"},
}

LAYER_LABELS: dict[str, dict[Lang, str]] = {
    "renewal": {"zh": "城市更新", "en": "Urban renewal"},
    "parks": {"zh": "公园绿地", "en": "Parks"},
    "roads": {"zh": "道路", "en": "Roads"},
    "scenic": {"zh": "风貌与景区", "en": "Townscape & scenic"},
}

STATUS_LABELS: dict[str, dict[Lang, str]] = {
    "completed": {"zh": "已完成", "en": "Completed"},
    "in_progress": {"zh": "在建", "en": "In progress"},
    "planned": {"zh": "计划", "en": "Planned"},
    "unknown": {"zh": "状态不明", "en": "Unknown"},
}

PRECISION_LABELS: dict[str, dict[Lang, str]] = {
    "exact": {"zh": "精确", "en": "Exact"},
    "street": {"zh": "街道/路段级", "en": "Street"},
    "township": {"zh": "乡镇级", "en": "Township"},
    "county": {"zh": "县级", "en": "County"},
}

KIND_LABELS: dict[str, dict[Lang, str]] = {
    "park": {"zh": "公园", "en": "Park"},
    "wetland_park": {"zh": "湿地公园", "en": "Wetland park"},
    "road": {"zh": "道路", "en": "Road"},
    "renewal_area": {"zh": "更新片区", "en": "Renewal area"},
    "resettlement_block": {"zh": "安置小区", "en": "Resettlement block"},
    "future_community": {"zh": "未来社区", "en": "Future community"},
    "townscape_zone": {"zh": "风貌区", "en": "Townscape zone"},
    "historic_town": {"zh": "历史文化名镇（村）", "en": "Historic town"},
    "village": {"zh": "村庄", "en": "Village"},
    "facility": {"zh": "设施", "en": "Facility"},
    "country_park": {"zh": "郊野公园", "en": "Country park"},
    "forest_park": {"zh": "森林公园", "en": "Forest park"},
    "botanical_garden": {"zh": "植物园", "en": "Botanical garden"},
    "greenway": {"zh": "绿道", "en": "Greenway"},
    "wetland": {"zh": "湿地", "en": "Wetland"},
    "park_entrance": {"zh": "公园入口", "en": "Park entrance"},
    "bridge": {"zh": "桥梁", "en": "Bridge"},
    "tunnel": {"zh": "隧道", "en": "Tunnel"},
    "city_gateway": {"zh": "入城口", "en": "City gateway"},
    "interchange": {"zh": "互通立交", "en": "Interchange"},
    "pedestrian_street": {"zh": "步行街", "en": "Pedestrian street"},
    "renewal_block": {"zh": "更新地块", "en": "Renewal block"},
    "new_town": {"zh": "新城", "en": "New town"},
    "new_district": {"zh": "新区", "en": "New district"},
    "old_town": {"zh": "老城", "en": "Old town"},
    "urban_village": {"zh": "城中村", "en": "Urban village"},
    "industrial_park": {"zh": "产业园区", "en": "Industrial park"},
    "business_district": {"zh": "商务区", "en": "Business district"},
    "community": {"zh": "社区", "en": "Community"},
    "residential_estate": {"zh": "住宅小区", "en": "Residential estate"},
    "historic_district": {"zh": "历史文化街区", "en": "Historic district"},
    "scenic_route": {"zh": "风景线", "en": "Scenic route"},
    "scenic_belt": {"zh": "景观带", "en": "Landscape belt"},
    "scenic_area": {"zh": "风景区", "en": "Scenic area"},
    "theme_town": {"zh": "特色小镇", "en": "Theme town"},
}


def t(key: str, lang: Lang, **fmt: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``fmt``; an unknown key shows as itself."""
    entry = _STRINGS.get(key)
    text = entry[lang] if entry else key
    return text.format(**fmt) if fmt else text


def _label(table: dict[str, dict[Lang, str]], value: str, lang: Lang) -> str:
    entry = table.get(value)
    return entry[lang] if entry else value


def layer_label(layer: str, lang: Lang) -> str:
    return _label(LAYER_LABELS, layer, lang)


def status_label(status: str, lang: Lang) -> str:
    return _label(STATUS_LABELS, status, lang)


def precision_label(precision: str, lang: Lang) -> str:
    return _label(PRECISION_LABELS, precision, lang)


def kind_label(kind: str, lang: Lang) -> str:
    """Readable name of a feature kind; kinds not listed here show as written, underscores as spaces."""
    entry = KIND_LABELS.get(kind)
    return entry[lang] if entry else kind.replace("_", " ")


def distance_label(metres: float, lang: Lang) -> str:
    """``850 m`` or ``12 km``: uncertainty radii are coarse, so round them."""
    if metres >= 1000:
        km = metres / 1000
        n = f"{km:.0f}" if km >= 10 else f"{km:.1f}".rstrip("0").rstrip(".")
        return t("kilometres", lang, n=n)
    return t("metres", lang, n=f"{metres:.0f}")
