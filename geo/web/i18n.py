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
        "zh": "这些项目只定位到乡镇或县：虚线圆是可能的范围，圆内的具体位置未知。"
        "共用同一定位点的项目在地图上合为一个标记，标出项目数，点击可查看列表。",
        "en": "These sites are located only to a township or county: the dashed circle is the area they "
        "may be in, and where inside it is not known. Sites that share one point are drawn as one marker "
        "giving their number; click it for the list.",
    },
    "approximate_stack": {
        "zh": "{county}：{n} 个项目只定位到{precision}，"
        "在地图上合为同一点的一个标记（可能范围半径约 {distance}）",
        "en": "{county}: {n} sites located only to the {precision} level, drawn as one marker at one point "
        "(possible area: within about {distance})",
    },
    "col_drawn": {"zh": "地图上", "en": "On the map"},
    "drawn_spread": {"zh": "合并标记", "en": "in a shared marker"},
    "drawn_at": {"zh": "在定位点", "en": "at the point"},
    "col_tags": {"zh": "标注", "en": "Tags"},
    "layers": {"zh": "图层", "en": "Layers"},
    "uncertainty_layer": {"zh": "约略范围（虚线圆）", "en": "Possible areas (dashed circles)"},
    "tag_uploaded": {"zh": "来自上传的报告（未保存）", "en": "from an uploaded report (not saved)"},
    "tag_uploaded_short": {"zh": "上传", "en": "uploaded"},
    "tag_placed": {
        "zh": "已手动定位（重建图层后写入）",
        "en": "placed by hand (written into the layers at the next rebuild)",
    },
    "tag_placed_short": {"zh": "手动定位（待重建）", "en": "placed by hand (rebuild pending)"},
    "tag_unplaced": {
        "zh": "手动定位已撤销（重建图层后生效）",
        "en": "hand placement undone (applies at the next rebuild)",
    },
    "tag_unplaced_short": {"zh": "定位已撤销（待重建）", "en": "placement undone (rebuild pending)"},
    "legend_uploaded": {"zh": "上传的报告（未保存）", "en": "Uploaded report (not saved)"},
    "upload_title": {"zh": "上传报告", "en": "Bring your own reports"},
    "upload_files": {
        "zh": "报告文件（.txt .md .html .pdf .docx）",
        "en": "Report files (.txt .md .html .pdf .docx)",
    },
    "upload_limit": {
        "zh": "每个文件不超过 {size}。上传的报告只在本次会话中显示；按“保存到项目”才会写入项目。",
        "en": "Up to {size} per file. Uploaded reports are shown in this session only; nothing is written "
        "into the project until you press “Save into the project”.",
    },
    "upload_county": {"zh": "县（市、区），可不填", "en": "County (optional)"},
    "upload_county_help": {
        "zh": "不填则从报告文本识别；填写则所有上传的报告都按此县处理。",
        "en": "Told from each report's text when empty; when given, every uploaded report is read as "
        "of this county.",
    },
    "upload_running": {"zh": "正在读取 {name}…", "en": "Reading {name}…"},
    "upload_read": {"zh": "已读取 {n} 个报告", "en": "{n} report(s) read"},
    "upload_done": {"zh": "{name}：{n} 个项目（{county}）", "en": "{name}: {n} sites ({county})"},
    "upload_refused": {"zh": "未能读取：{error}", "en": "Refused: {error}"},
    "upload_dup_project": {
        "zh": "{name}：与项目中已有的报告 {existing} 内容相同，不再重复读取。",
        "en": "{name}: the same report as {existing}, already in the project; not read again.",
    },
    "upload_dup_upload": {
        "zh": "{name}：与已上传的 {existing} 内容相同，不再重复读取。",
        "en": "{name}: the same report as the upload {existing}; not read again.",
    },
    "dl_upload": {"zh": "上传的项目（GeoJSON）", "en": "Uploaded sites (GeoJSON)"},
    "upload_save": {"zh": "保存到项目", "en": "Save into the project"},
    "upload_save_help": {
        "zh": "把报告写入 {folder} 并重建图层",
        "en": "Writes the reports into {folder} and rebuilds the layers",
    },
    "upload_saved": {
        "zh": "已保存 {name}；图层已重建（{n} 个项目）。",
        "en": "Saved {name}; the layers were rebuilt ({n} sites).",
    },
    "upload_not_saved": {"zh": "未保存：{error}", "en": "Not saved: {error}"},
    # ---- Streamlit's own words on its widgets (geo.web.widget_text; English: Streamlit's) ----
    "st_upload": {"zh": "选择文件", "en": "Upload"},
    "st_upload_limit": {"zh": "每个文件不超过 {size} · {types}", "en": "{size} per file • {types}"},
    "st_drop_here": {"zh": "将文件拖放到这里", "en": "Drag and drop files here"},
    "st_select_all": {"zh": "全选", "en": "Select all"},
    "st_select_matches": {"zh": "选择全部匹配项", "en": "Select all matches"},
    # ---- warnings about an upload (its notes' codes; geo.web.notices.note_text) ----
    "note_no_sites": {"zh": "{name}：报告中没有找到项目", "en": "{name}: no sites found in the report"},
    "note_county_not_in_text": {
        "zh": "{name}：县是手动填写的，仅凭文本无法识别，因此保存到项目时会被拒绝"
        "（每次构建都从报告文本识别县）",
        "en": "{name}: the county was given; the text alone does not tell it, so saving it into the project "
        "would be refused (every build reads a report's county from its text)",
    },
    "note_county_reads_otherwise": {
        "zh": "{name}：文本显示为{read}，而不是{given}；保存到项目时会被拒绝（每次构建都从报告文本识别县）",
        "en": "{name}: the text reads as {read}, not {given}; saving it into the project would be refused "
        "(every build reads a report's county from its text)",
    },
    "note_location_problem": {
        "zh": "定位问题（技术细节，英文）：{detail}",
        "en": "location problem: {detail}",
    },
    "note_build_refused": {
        "zh": "构建时未能读取 {file}（技术细节，英文）：{detail}",
        "en": "refused by the build: {detail}",
    },
    "note_build_refused_coded": {
        "zh": "构建时未能读取 {file}：{detail}",
        "en": "refused by the build: {file}: {detail}",
    },
    # ---- refusals (a GeoError's code and fields; geo.web.notices.refusal_text) ----
    "refusal_empty": {"zh": "文件是空的（0 字节）", "en": "empty file (0 bytes)"},
    "refusal_outside_county": {
        "zh": "{site}：({lon}, {lat}) 位于{county}之外；项目只能放在所在的县内（坐标为 WGS-84 经度、纬度）",
        "en": "{site}: ({lon}, {lat}) lies outside {county}; a site is placed inside its own county "
        "(coordinates are longitude, latitude in WGS-84)",
    },
    "refusal_too_large": {
        "zh": "文件太大：{size}，超过上限 {limit}",
        "en": "file too large: {size} exceeds the limit of {limit}",
    },
    "refusal_unsupported": {
        "zh": "不支持的文件类型 {suffix}（支持：{supported}）",
        "en": "unsupported file type {suffix} (supported: {supported})",
    },
    "refusal_no_suffix": {"zh": "（无扩展名）", "en": "(no suffix)"},
    "refusal_unsupported_doc": {
        "zh": "不支持旧版 Word 格式 .doc：请另存为 .docx（支持：{supported}）",
        "en": "unsupported file type .doc (old Word format): save it as .docx (supported: {supported})",
    },
    "refusal_wrong_content": {
        "zh": "文件名为 {suffix}，但内容不是{format}（看起来是{found}）",
        "en": "named {suffix} but its content is not {format} (it looks like {found})",
    },
    "refusal_unreadable_content": {"zh": "无法读取{format}的内容", "en": "cannot read the {format} content"},
    "refusal_no_text": {"zh": "{format}中没有可读的文字", "en": "no text found in this {format}"},
    "refusal_control_characters": {"zh": "文件名中有控制字符", "en": "control characters in the file name"},
    "refusal_hidden_name": {
        "zh": "隐藏或临时文件名（以 . 或 ~$ 开头），构建会跳过这类文件：请改名",
        "en": "a hidden or temporary file name (starting with . or ~$); the build skips such files: "
        "rename it",
    },
    "refusal_long_name": {
        "zh": "文件名太长（超过 {limit} 字节）：请改名",
        "en": "file name too long (over {limit} bytes): rename it",
    },
    "refusal_no_encoding": {
        "zh": "无法作为文本读取：没有已知的字符编码与其字节相符",
        "en": "not readable text: no known character encoding fits its bytes",
    },
    "refusal_garbled": {
        "zh": "无法作为文本读取：按 {encoding} 解码后大多是替换字符或控制字符",
        "en": "not readable text: decoded as {encoding} it is mostly replacement or control characters",
    },
    "refusal_county_unclear": {
        "zh": "无法判断报告所属的县：{why}（最可能的：{guesses}）；请填写县名",
        "en": "the county is unclear: {why} (best guesses: {guesses}); name the county",
    },
    "refusal_county_unclear_save": {
        "zh": "无法判断报告所属的县：{why}（最可能的：{guesses}）。每次构建都从报告文本识别县，"
        "所以保存到项目中的报告必须清楚写明所属的县；未保存",
        "en": "the county is unclear: {why} (best guesses: {guesses}); every build reads a report's "
        "county from its text, so a report saved into the project must name its county clearly; not saved",
    },
    "refusal_county_differs": {
        "zh": "文本显示为{read}，而不是{given}；每次构建都从报告文本识别县，所以未保存",
        "en": "the text reads as {read}, not {given}; every build reads a report's county from its text, "
        "so it is not saved",
    },
    "refusal_unknown_county": {
        "zh": "无法识别县名“{county}”（没有这个县，或有重名）",
        "en": "the county “{county}” is unknown or shared by several counties",
    },
    "refusal_not_a_file": {
        "zh": "项目中同名的路径不是文件",
        "en": "a path of this name in the project is not a file",
    },
    "refusal_name_taken": {
        "zh": "项目中已有另一份同名报告（{existing}）：请给上传的文件改名，或先移除旧报告",
        "en": "a different report of this name is already in the project ({existing}): rename the upload, "
        "or remove the old report first",
    },
    "refusal_already_saved": {
        "zh": "项目中已有这份报告：{existing}",
        "en": "the same report is already in the project as {existing}",
    },
    "refusal_not_rebuilt": {
        "zh": "未保存：图层无法重建（技术细节：{detail}）",
        "en": "not saved: the layers cannot be rebuilt ({detail})",
    },
    "refusal_other": {"zh": "技术细节（英文）：{detail}", "en": "{detail}"},
    "refusal_unexpected": {"zh": "读取时出现意外错误（{detail}）", "en": "unexpected error ({detail})"},
    "county_why_nothing_named": {
        "zh": "文本及其旁的信息都没有提到县",
        "en": "nothing in the text or beside it names a county",
    },
    "county_why_too_weak": {"zh": "证据太弱", "en": "the evidence is too weak"},
    "county_why_tie": {
        "zh": "两个或更多县的可能性相当",
        "en": "two or more counties are about equally likely",
    },
    "county_guess": {"zh": "{county}（{score}）", "en": "{county} ({score})"},
    "county_guesses_none": {"zh": "无", "en": "none"},
    "pending_why": {"zh": "原因：{why}", "en": "Why: {why}"},
    "format_text": {"zh": "纯文本", "en": "plain text"},
    "format_html": {"zh": "网页（HTML）", "en": "HTML page"},
    "format_pdf": {"zh": "PDF 文件", "en": "PDF"},
    "format_docx": {"zh": "Word（.docx）文档", "en": "Word .docx document"},
    "format_found_binary": {"zh": "二进制数据", "en": "binary data"},
    "format_found_zip": {"zh": "ZIP 压缩包", "en": "a ZIP archive"},
    "format_found_image": {"zh": "图片", "en": "an image"},
    "format_found_ole": {"zh": "旧版 Office 文档", "en": "an old Office document"},
    "format_found_archive": {"zh": "压缩包", "en": "an archive"},
    "format_found_rtf": {"zh": "RTF 文档", "en": "an RTF document"},
    "format_found_pdf": {"zh": "PDF 文件", "en": "a PDF"},
    "format_found_docx": {"zh": "Word（.docx）文档", "en": "a Word .docx document"},
    "format_found_html": {"zh": "网页（HTML）", "en": "HTML"},
    "format_found_text": {"zh": "纯文本", "en": "plain text"},
    "place_title": {"zh": "手动修正位置", "en": "Fix a location by hand"},
    "place_site": {"zh": "项目（约略定位的排在前面）", "en": "Site (approximately located ones first)"},
    "place_choose": {"zh": "选择项目…", "en": "Choose a site…"},
    "place_more": {
        "zh": "只列出前 {n} 个项目；请用搜索或筛选缩小范围。",
        "en": "Only the first {n} sites are listed; search or filter to narrow them.",
    },
    "place_help": {
        "zh": "在地图上点击该项目的实际位置（或输入坐标），写明依据和定位人，然后保存。",
        "en": "Click the site's true position on the map (or type it), say how it is known and who you "
        "are, then save.",
    },
    "place_now": {"zh": "目前：{precision}（{source}）", "en": "Now: {precision} ({source})"},
    "place_lat": {"zh": "纬度（WGS-84）", "en": "Latitude (WGS-84)"},
    "place_lon": {"zh": "经度（WGS-84）", "en": "Longitude (WGS-84)"},
    "place_note": {"zh": "依据：网址或说明（必填）", "en": "Source: a URL or how it is known (required)"},
    "place_who": {"zh": "定位人（必填）", "en": "Who (required)"},
    "place_save": {"zh": "保存定位", "en": "Save the placement"},
    "place_undo": {"zh": "撤销该项目最近一次定位", "en": "Undo this site's last placement"},
    "place_saved": {
        "zh": "已保存：{name} 定位于 {lat}, {lon}。重建图层后写入图层文件。",
        "en": "Saved: {name} placed at {lat}, {lon}. Rebuild the layers to write it into the layer files.",
    },
    "place_undone": {"zh": "已撤销 {name} 的最近一次定位。", "en": "Undid the last placement of {name}."},
    "place_nothing": {"zh": "{name} 没有可撤销的定位。", "en": "{name} has no placement to undo."},
    "place_need_point": {
        "zh": "请先在地图上点击，或输入坐标。",
        "en": "Click the map or type the coordinates first.",
    },
    "place_need_note": {
        "zh": "请写明依据和定位人。",
        "en": "Say where the location comes from and who you are.",
    },
    "place_refused": {"zh": "未保存：{error}", "en": "Not saved: {error}"},
    "zoom_layer": {"zh": "缩放到该图层（按当前筛选）", "en": "Zoom to this layer (as filtered)"},
    "place_pin": {"zh": "新位置", "en": "New position"},
    "place_mode": {
        "zh": "定位模式：点击地图任意处设定位置（点在标记上也可），拖动标记可微调。",
        "en": "Placing: a click anywhere on the map sets the point (on a marker too); "
        "drag the pin to adjust.",
    },
    "place_pending": {
        "zh": "{n} 处手动定位的变更尚未写入图层。",
        "en": "{n} placement change(s) are not in the layers yet.",
    },
    "placements_unreadable": {
        "zh": "手动定位文件无法读取：{error}",
        "en": "The placements file cannot be read: {error}",
    },
    "rebuild": {"zh": "重建图层", "en": "Rebuild the layers"},
    "rebuild_help": {
        "zh": "用 {sources} 中的报告和手动定位重建 {layers}",
        "en": "Rebuilds {layers} from the reports in {sources} and the placements",
    },
    "rebuild_running": {"zh": "正在重建图层…", "en": "Rebuilding the layers…"},
    "rebuild_done": {"zh": "图层已重建。", "en": "The layers were rebuilt."},
    "rebuild_failed": {"zh": "重建失败：{log}", "en": "The rebuild failed: {log}"},
    "col_name": {"zh": "名称", "en": "Name"},
    "col_pinyin": {"zh": "拼音", "en": "Pinyin"},
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
    "dl_choose": {"zh": "下载什么", "en": "What to download"},
    "dl_button": {"zh": "下载 {what}", "en": "Download {what}"},
    "dl_raw_note": {
        "zh": "下载内容为原始数据（WGS-84 坐标，引文为原文）。",
        "en": "Downloads hold the raw data (WGS-84 coordinates, quotes as written).",
    },
    "legend": {"zh": "图例", "en": "Legend"},
    "map_frame_title": {"zh": "项目地图", "en": "Map of the sites"},
    "panels_coming": {
        "zh": "地图画好后显示图层、筛选和下载……",
        "en": "Layers, filters and downloads follow the map…",
    },
    "legend_layers": {"zh": "图层", "en": "Layers"},
    "legend_status": {"zh": "状态", "en": "Status"},
    "legend_approx": {
        "zh": "约略位置（虚线圆 = 可能范围）",
        "en": "Approximate (dashed circle = possible area)",
    },
    "counties_layer": {"zh": "县界", "en": "County boundaries"},
    "towns_layer": {"zh": "乡镇驻地", "en": "Township seats"},
    "legend_background": {"zh": "离线底图", "en": "Offline background"},
    "legend_prefecture": {"zh": "地级市界", "en": "Prefecture boundary"},
    "towns_credit": {
        "zh": "乡镇驻地：GeoNames（geonames.org），CC BY 4.0",
        "en": "Township seats: GeoNames (geonames.org), CC BY 4.0",
    },
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
    # ---- the map's layer control; Tianditu ----
    "map_layers": {"zh": "图层", "en": "Layers"},
    "basemap_tianditu": {"zh": "天地图（需联网）", "en": "Tianditu (online)"},
    "tianditu_note": {
        "zh": "天地图使用 CGCS2000 坐标，与 WGS-84 相差不到 1 米，项目不作偏移。",
        "en": "Tianditu uses CGCS2000, within a metre of WGS-84: sites are drawn unshifted.",
    },
    "metres": {"zh": "{n} 米", "en": "{n} m"},
    "kilometres": {"zh": "{n} 公里", "en": "{n} km"},
    # ---- the map: sites that share a point, tooltips, the approximate line ----
    "agg_layer": {"zh": "共用定位点的项目", "en": "Sites sharing a point"},
    "agg_title": {"zh": "此定位点上的 {n} 个项目", "en": "{n} sites at this point"},
    "agg_tooltip": {"zh": "{n} 个项目（点击查看列表）", "en": "{n} sites (click for the list)"},
    "agg_back": {"zh": "← 返回列表", "en": "← back to the list"},
    "agg_nearby": {
        "zh": "附近另一定位点上的 {n} 个项目（放大地图可分开显示）",
        "en": "{n} sites at another point nearby (zoom in to see it apart)",
    },
    "agg_note": {
        "zh": "只定位到{precision}（误差约 {distance}）：每个项目都在虚线圆内某处，具体位置未知。",
        "en": "Located only to {precision} level (within about {distance}): each site is somewhere in the "
        "dashed circle; where is not known.",
    },
    "agg_note_no_radius": {
        "zh": "只定位到{precision}：具体位置未知。",
        "en": "Located only to {precision} level: where exactly is not known.",
    },
    "agg_note_same": {
        "zh": "这些项目的定位点相同。",
        "en": "These sites are located at the same point.",
    },
    "tt_precision": {
        "zh": "{precision}定位（误差约 {distance}）",
        "en": "{precision} level (within about {distance})",
    },
    "basemap_auto": {
        "zh": "自动（能联网时用 OpenStreetMap，否则离线）",
        "en": "Automatic (OpenStreetMap when online, else offline)",
    },
    "tiles_failed_auto": {
        "zh": "无法加载在线底图，已改用离线底图（县界）。",
        "en": "Online tiles could not be loaded: showing the offline background (county outlines).",
    },
    "tiles_failed": {
        "zh": "无法加载所选在线底图（可能未联网）；可改选“无底图”或“自动”。",
        "en": "The chosen online tiles could not be loaded (offline?); choose None or Automatic.",
    },
    "legend_agg": {"zh": "共用一个定位点的项目数", "en": "Number of sites sharing one point"},
    "approx_line_none": {
        "zh": "所显示的 {total} 个项目都有各自的位置（没有只定位到县或乡镇的项目）。",
        "en": "All {total} shown sites have a location of their own (none is located only to a county or "
        "township).",
    },
    "approx_line": {
        "zh": "**{n} / {total}** 个项目只定位到县或乡镇：地图上它们画在所在县或乡镇的定位点，"
        "每个方块标出共用该点的项目数，点击可查看列表；虚线圆是可能的范围，圆内的具体位置未知。",
        "en": "**{n} of {total}** sites are located only to their county or township: the map draws them "
        "at that point, each box giving how many share it (click it for the list); the dashed circle is "
        "the area they may be in, and where inside it is not known.",
    },
    # ---- the precision ladder ----
    "precision_ladder": {"zh": "定位层级", "en": "Precision ladder"},
    "precision_credits": {"zh": "位置数据来源：", "en": "Location data:"},
    "precision_finer": {"zh": "如何更精确", "en": "To place it finer"},
    "precision_finer_col": {"zh": "如何更精确", "en": "What would place it finer"},
    "precision_county_named_town": {
        "zh": "名称指向{town}，但尚无资料给出其位置：在地名表中加入{town}的位置（注明来源），"
        "或导入含该项目的 OSM 数据，或手动定位",
        "en": "the name points to {town}, which no source here locates: a cited location of {town} in the "
        "gazetteer, an OSM extract that has the site, or placing it by hand",
    },
    "precision_county": {
        "zh": "名称中的乡镇或村、含该项目的 OSM 数据（python -m geo gazetteer import-osm）、"
        "在线地理编码（需密钥），或手动定位",
        "en": "a township or village in its name, an OSM extract that has it "
        "(python -m geo gazetteer import-osm), an online geocoder (needs a key), or placing it by hand",
    },
    "precision_township": {
        "zh": "含该项目的 OSM 数据、在线地理编码（需密钥），或手动定位",
        "en": "an OSM extract that has it, an online geocoder (needs a key), or placing it by hand",
    },
    "precision_street": {"zh": "手动定位到具体位置", "en": "placing it by hand at the exact spot"},
    "precision_exact": {"zh": "已是最精确的层级", "en": "already at the finest step"},
    # ---- where a location comes from (a feature's location_basis, step by step; geo.web.basis) ----
    "basis_join": {"zh": "；", "en": "; "},
    "basis_list": {"zh": "、", "en": ", "},
    "basis_and": {"zh": "和", "en": " and "},
    "basis_or": {"zh": "或", "en": " or "},
    "basis_county_seat": {
        "zh": "{county}政府驻地：{url}（{file}）",
        "en": "county seat of {county}: {url} ({file})",
    },
    "basis_county_polygon_point": {
        "zh": "{county}辖区内的一个代表点（{dataset}）",
        "en": "representative point of the {county} polygon ({dataset})",
    },
    "basis_gazetteer": {"zh": "地名表：{url}", "en": "gazetteer: {url}"},
    "basis_township_extent": {
        "zh": "{township}的范围：地名表 {url}",
        "en": "extent of {township}: gazetteer: {url}",
    },
    "basis_osm": {
        "zh": "OpenStreetMap 中的“{name}”：{objects}{more}"
        "（© OpenStreetMap 贡献者，ODbL 1.0；本地索引 {index}）",
        "en": "OpenStreetMap {name}: {objects}{more} ({licence}; local index {index})",
    },
    "basis_osm_more": {"zh": "等，另有 {n} 处", "en": " and {n} more"},
    "basis_township_seat": {
        "zh": "{township}驻地：GeoNames {geonameid} {matched}（{how}；{lat}, {lon}）{url}，"
        "{licence}；半径 {radius}",
        "en": "seat of {township}: GeoNames {geonameid} {matched} ({how}; {lat}, {lon}) {url}, {licence}; "
        "radius {radius}",
    },
    "basis_how_official": {"zh": "正式名称", "en": "official name"},
    "basis_how_alias": {"zh": "{township}的别称，据 {url}", "en": "another name of {township}, per {url}"},
    "basis_how_suffix": {"zh": "同名而乡镇后缀不同", "en": "suffix variant"},
    "basis_how_short": {"zh": "简称", "en": "short form"},
    "basis_radius": {
        "zh": "{radius} 米 = max({factor} × 乡镇平均半径 {mean} 米，与最近的其他驻地相距 {next} 米)",
        "en": "{radius} m = max({factor} × mean township radius {mean} m, nearest other seat {next} m)",
    },
    "basis_radius_rounding": {"zh": " + 坐标取整 {n} 米", "en": " + {n} m coordinate rounding"},
    "basis_radius_capped": {"zh": "，以全县的半径为上限", "en": ", capped at the county's radius"},
    "basis_name_places": {"zh": "名称表明项目{where}", "en": "the name places it {where}"},
    "basis_name_places_village": {
        "zh": "名称（{village}，{township}下辖的村）表明项目{where}",
        "en": "the name ({village}, a village of {township}) places it {where}",
    },
    "basis_name_places_namesake": {
        "zh": "名称（以{township}下辖的{village}命名的区域）表明项目{where}",
        "en": "the name (an area named after {village}, a village of {township}) places it {where}",
    },
    "basis_where_in": {"zh": "位于{names}", "en": "in {names}"},
    "basis_where_across": {"zh": "横跨{names}", "en": "across {names}"},
    "basis_township_midpoint": {
        "zh": "取这 {count} 个乡镇位置的中点，半径覆盖每一个乡镇",
        "en": "the midpoint of these {count} townships' locations, with a radius covering each",
    },
    "basis_clause_township": {
        "zh": "所在分句{ties}提到{what}（“{clause}”），据此位于{township}",
        "en": "its clause names {what} {ties} (“{clause}”); that places it in {township}",
    },
    "basis_clause_what": {"zh": "{word}（属{township}）", "en": "{word} (of {township})"},
    "basis_ties_locative": {"zh": "作为实施地点", "en": "as where the work is"},
    "basis_ties_before_name": {"zh": "紧接在名称之前", "en": "right before its name"},
    "basis_ties_before_list": {
        "zh": "在含该名称的项目列表之前",
        "en": "right before a list of sites that its name is in",
    },
    "basis_ties_heading": {"zh": "作为该句的标题", "en": "as the heading of its sentence"},
    "basis_clause_several": {
        "zh": "所在分句提到{townships}，不止一个乡镇，故均不采用",
        "en": "its clauses name {townships}: more than one township, so none is used",
    },
    "basis_unlocated": {
        "zh": "尚无内置数据源给出{townships}的位置",
        "en": "no embedded source locates {townships}",
    },
    "basis_not_township": {"zh": "{names}不是{county}的乡镇", "en": "{names} names no township of {county}"},
    "basis_too_wide": {
        "zh": "这些乡镇的位置合起来几乎覆盖全县",
        "en": "their locations together would cover most of the county",
    },
    "basis_geocoder": {"zh": "在线地理编码（{provider}）：{query}", "en": "{provider}: {query}"},
    "basis_by_hand": {
        "zh": "手动定位：{note}（{who}，{when}）",
        "en": "placed by hand: {note} ({who}, {when})",
    },
    # ---- reports by their title ----
    "report_label": {"zh": "{name}（{details}）", "en": "{name} ({details})"},
    "report_join": {"zh": "，", "en": ", "},
    "report_with_file": {"zh": "{label} · 文件 {file}", "en": "{label} · file {file}"},
    "report_file": {"zh": "文件：{file}", "en": "File: {file}"},
    "date_year": {"zh": "{y}年", "en": "{y}"},
    "date_month": {"zh": "{y}年{m}月", "en": "{y}-{mm}"},
    "date_day": {"zh": "{y}年{m}月{d}日", "en": "{y}-{mm}-{dd}"},
    # ---- reports waiting for a county ----
    "pending_title": {"zh": "{n} 份报告需要指定县（市、区）", "en": "{n} report(s) need a county"},
    "pending_report": {
        "zh": "**{file}**：{sites} 个项目等待中。报告所属的县？",
        "en": "**{file}**: {sites} site(s) waiting. Which county is this report about?",
    },
    "pending_choice": {"zh": "{county}（得分 {score}）", "en": "{county} (score {score})"},
    "pending_placed": {
        "zh": "{file} 已定为 {county}，图层已重建。",
        "en": "{file} is now in {county}; the layers were rebuilt.",
    },
    "pending_refused": {"zh": "无法指定县：{error}", "en": "Cannot set the county: {error}"},
    # ---- online geocoding with the user's key ----
    "online_title": {"zh": "在线地理编码（需密钥）", "en": "Online geocoding (needs a key)"},
    "online_note": {
        "zh": "用您的密钥查询约略定位的项目；结果须落在项目所在县内，已查过的不再重复查询，"
              "并按服务商的频率限制发送。密钥只保存在本次会话中（或您选择保存的本机配置文件），不会写入图层。",
        "en": "Looks up the approximately located sites with your key; an answer must lie in the site's "
              "county, answers are cached and requests keep to the provider's rate. The key stays in "
              "this session (or in a local config file if you choose), never in the layers.",
    },
    "online_provider": {"zh": "服务商", "en": "Provider"},
    "online_key": {"zh": "密钥", "en": "Key"},
    "online_remember": {"zh": "保存在本机配置文件中", "en": "Keep it in a local config file"},
    "online_forget": {"zh": "删除本机保存的密钥", "en": "Delete the saved key"},
    "online_run": {"zh": "查询约略定位的项目并重建图层", "en": "Geocode the approximate sites and rebuild"},
    "online_running": {"zh": "正在查询并重建……", "en": "Geocoding and rebuilding…"},
    "online_done": {"zh": "已完成：图层已重建。", "en": "Done: the layers were rebuilt."},
    "online_failed": {"zh": "未完成：{log}", "en": "Not done: {log}"},
    "online_no_key": {"zh": "请先输入密钥。", "en": "Enter a key first."},
    "access_token": {"zh": "编辑口令", "en": "Editing token"},
    "access_token_help": {
        "zh": "输入部署者设定的口令后，才能保存报告、手动定位和重建图层",
        "en": "Saving reports, placing sites and rebuilding the layers need the token the deployer set",
    },
    "access_wrong": {"zh": "口令不正确。", "en": "That token is not right."},
    "access_read_only": {
        "zh": "只读：保存、手动定位和重建图层未开启。",
        "en": "Read-only: saving, placing and rebuilding are not enabled.",
    },
    "access_denied": {
        "zh": "没有编辑权限：未做任何更改。",
        "en": "No permission to edit: nothing was changed.",
    },
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
