"""What the app's online-geocoding panel says and calls (the widgets are in ``streamlit_app.py``)."""

from __future__ import annotations

from geo.locate.online import APP_PROVIDERS, geocode_rebuild
from geo.web.i18n import Lang
from geo.web.project import BuildRun, Project, build_command

PROVIDER_NAMES: dict[str, dict[Lang, str]] = {
    "amap": {"zh": "高德地图", "en": "Amap (Gaode)"},
    "tianditu": {"zh": "天地图", "en": "Tianditu"},
    "baidu": {"zh": "百度地图", "en": "Baidu"},
}
_TEXT: dict[str, dict[Lang, str]] = {
    "title": {"zh": "在线地理编码（需密钥）", "en": "Online geocoding (needs a key)"},
    "note": {
        "zh": "用您的密钥查询约略定位的项目；结果须落在项目所在县内，已查过的不再重复查询，"
              "并按服务商的频率限制发送。密钥只保存在本次会话中（或您选择保存的本机配置文件），不会写入图层。",
        "en": "Looks up the approximately located sites with your key; an answer must lie in the site's "
              "county, answers are cached and requests keep to the provider's rate. The key stays in "
              "this session (or in a local config file if you choose), never in the layers.",
    },
    "provider": {"zh": "服务商", "en": "Provider"},
    "key": {"zh": "密钥", "en": "Key"},
    "remember": {"zh": "保存在本机配置文件中", "en": "Keep it in a local config file"},
    "forget": {"zh": "删除本机保存的密钥", "en": "Delete the saved key"},
    "run": {"zh": "查询约略定位的项目并重建图层", "en": "Geocode the approximate sites and rebuild"},
    "running": {"zh": "正在查询并重建……", "en": "Geocoding and rebuilding…"},
    "done": {"zh": "已完成：图层已重建。", "en": "Done: the layers were rebuilt."},
    "failed": {"zh": "未完成：{log}", "en": "Not done: {log}"},
    "no_key": {"zh": "请先输入密钥。", "en": "Enter a key first."},
}


def text(key: str, lang: Lang) -> str:
    return _TEXT[key][lang]


def provider_name(provider: str, lang: Lang) -> str:
    return PROVIDER_NAMES.get(provider, {}).get(lang, provider)


def providers() -> tuple[str, ...]:
    return APP_PROVIDERS


def run_geocoding(project: Project, provider: str, key: str) -> BuildRun:
    """Rebuild the project's layers with ``provider`` on (see :mod:`geo.locate.online`)."""
    code, log = geocode_rebuild(build_command(project), provider, key)
    return BuildRun(returncode=code, log=log)
