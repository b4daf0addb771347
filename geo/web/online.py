"""Online geocoding started from the app: a user's key for one provider, used by a project rebuild.

The key is kept in the app's session, or, when the user asks, in a local config file of its own
(``app-geocoders.toml`` in the user's config folder, never in the project). The rebuild runs the
ordinary build in its own process with that provider switched on for that process only, so the
answers pass the same county check, cache and rate limit as ``python -m geo build`` with the
provider configured; the layers cite the provider and the query, never the key. Also what the
app's panel says (its widgets are in ``streamlit_app.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from geo.locate.geocoders.config import APP_NAME, load_config
from geo.locate.geocoders.errors import GeocoderConfigError
from geo.web.i18n import Lang
from geo.web.project import BuildRun, build_command
from geo.web.service import Project

APP_PROVIDERS = ("amap", "tianditu", "baidu")
KEY_ENV = {"amap": "AMAP_KEY", "tianditu": "TIANDITU_TK", "baidu": "BAIDU_AK"}
CONFIG_NAME = "app-geocoders.toml"
BUILD_TIMEOUT_S = 3600  # geocoding a few hundred sites at the providers' rates takes minutes


def saved_config_path() -> Path:
    """The app's own local config file (the CLI reads it only when pointed at it)."""
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_NAME


def geocoder_env(provider: str, key: str) -> dict[str, str]:
    """Environment switching ``provider`` on with ``key``; GeocoderConfigError when unusable."""
    key = key.strip()
    if provider not in APP_PROVIDERS:
        raise GeocoderConfigError(f"unknown provider {provider!r} (one of {', '.join(APP_PROVIDERS)})")
    if not key or any(c in key for c in "\r\n\"\\"):
        raise GeocoderConfigError(f"{provider}: the key is empty or has characters no key has")
    env = {"RENEWAL_MAP_GEOCODERS": provider, KEY_ENV[provider]: key}
    load_config(env={**env, "RENEWAL_MAP_GEOCODERS_CONFIG": os.devnull})  # validates as the build will
    return env


def save_key(provider: str, key: str, path: Path | None = None) -> Path:
    """Keep the key in the app's local config file (readable by the user only); returns its path."""
    geocoder_env(provider, key)
    path = Path(path) if path is not None else saved_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = f"providers = [{json.dumps(provider)}]\n\n[{provider}]\nkey = {json.dumps(key.strip())}\n"
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return path


def saved_key(path: Path | None = None) -> tuple[str, str] | None:
    """(provider, key) from the app's local config file, or None."""
    path = Path(path) if path is not None else saved_config_path()
    if not path.is_file():
        return None
    try:
        config = load_config(env={"RENEWAL_MAP_GEOCODERS_CONFIG": str(path)})
    except GeocoderConfigError:
        return None
    for p in config.providers:
        if p.name in APP_PROVIDERS and p.key:
            return p.name, p.key
    return None


def forget_key(path: Path | None = None) -> None:
    path = Path(path) if path is not None else saved_config_path()
    path.unlink(missing_ok=True)


def geocode_rebuild(command: list[str], provider: str, key: str) -> tuple[int, str]:
    """Run the project's build ``command`` with the provider on; (exit code, log)."""
    env = {k: v for k, v in os.environ.items() if k not in KEY_ENV.values()}
    env.pop("RENEWAL_MAP_GEOCODERS_CONFIG", None)
    env.update(geocoder_env(provider, key))
    env["RENEWAL_MAP_GEOCODERS_CONFIG"] = os.devnull  # only this provider, whatever else is configured
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S,
                              check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as error:
        return 2, str(error)
    log = (done.stderr or "") + (done.stdout or "")
    return done.returncode, log.replace(key.strip(), "***")


PROVIDER_NAMES: dict[str, dict[Lang, str]] = {
    "amap": {"zh": "高德地图", "en": "Amap (Gaode)"},
    "tianditu": {"zh": "天地图", "en": "Tianditu"},
    "baidu": {"zh": "百度地图", "en": "Baidu"},
}


def provider_name(provider: str, lang: Lang) -> str:
    return PROVIDER_NAMES.get(provider, {}).get(lang, provider)


def providers() -> tuple[str, ...]:
    return APP_PROVIDERS


def run_geocoding(project: Project, provider: str, key: str) -> BuildRun:
    """Rebuild the project's layers with ``provider`` on (see the module's docstring)."""
    code, log = geocode_rebuild(build_command(project), provider, key)
    return BuildRun(returncode=code, log=log)
