"""Configuration in one place: the check profile (deadlines, thresholds) and LLM settings.

Precedence for every setting: CLI flag > environment (FAZHI_*, then OPENAI_BASE_URL /
OPENAI_API_KEY) > fazhi.toml (the working directory, then the user config dir) > defaults.

fazhi.toml::

    [llm]
    base_url = "http://127.0.0.1:8765/v1"
    model = "gemma3-270m"
    mode = "auto"

    [checks]
    deadline_month = 3
    deadline_day = 1

    [[references.outdated]]   # appended to the shipped table of superseded documents
    pattern = '某某规划（2016—2020年）'
    outdated_from = 2021
    message = "报告年度为{year}年，仍引用已到期的{quote}"

    [review]
    issuer = "XX县委全面依法治县委员会办公室"
    deadline_days = 15

    [input]
    max_chars = 2000000
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import platformdirs
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, InitSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

from fazhi_review.errors import ConfigError

CONFIG_FILE_NAME = "fazhi.toml"
ModeName = Literal["auto", "tools", "json_schema", "json_object_schema", "json", "md_json"]


class OutdatedReference(BaseModel):
    """One superseded document, law or wording (shipped in data/outdated_references.toml, more in
    fazhi.toml's [[references.outdated]]); ``pattern`` is a regular expression."""

    id: str = "custom"
    pattern: str = Field(min_length=1)
    #: first report year in which citing it as current is outdated; 0 for any year
    outdated_from: int = Field(0, ge=0)
    message: str = Field(min_length=1)


class CheckProfile(BaseModel):
    """Thresholds and dates the rule pack uses; provinces differ, so none is hard-wired."""

    #: reports are due before this month/day of the year after the report year (厅字〔2019〕28号)
    deadline_month: int = Field(3, ge=1, le=12)
    deadline_day: int = Field(1, ge=1, le=31)
    #: reports are made public (报刊、网站) before this month/day: what a portal's 发布日期 is held to
    disclosure_month: int = Field(4, ge=1, le=12)
    disclosure_day: int = Field(1, ge=1, le=31)
    #: 不足 shorter than this share of 成效 (in characters) is "thin"
    thin_shortcomings_ratio: float = Field(0.08, gt=0, lt=1)
    #: a passage of at least this many characters appearing twice is repeated text
    repeated_passage_min_chars: int = Field(24, ge=8)
    #: fazhi.toml's [[references.outdated]] entries, checked after the shipped ones
    extra_references: list[OutdatedReference] = Field(default_factory=list)


class InputLimits(BaseModel):
    """How much text one run reads: real reports are 5–50 thousand characters, so a file far
    beyond that is a wrong file (a merged archive, a log) and would only make the user wait."""

    max_chars: int = Field(2_000_000, ge=1)


def config_files() -> list[Path]:
    """fazhi.toml candidates, most specific first."""
    return list(_config_files(os.getcwd(), os.environ.get("XDG_CONFIG_HOME"), os.environ.get("HOME")))


@lru_cache(maxsize=16)
def _config_files(cwd: str, xdg_config_home: str | None, home: str | None) -> tuple[Path, ...]:
    """The candidates for one working directory and home: a batch asks for every report, and
    building them (platformdirs, pathlib) cost more than the rest of reading the settings."""
    return (Path(cwd) / CONFIG_FILE_NAME, Path(platformdirs.user_config_dir("fazhi-review")) / CONFIG_FILE_NAME)


@lru_cache(maxsize=16)
def _parsed(content: str) -> dict[str, Any]:
    """TOML parsed once per distinct file content (the file is still read on every call, so an
    edited or replaced file is never served stale); callers get deep copies."""
    return tomllib.loads(content)


def _toml_document() -> tuple[Path, dict[str, Any]] | None:
    """The first fazhi.toml found and its parsed content; None when there is none."""
    for path in config_files():
        if path.is_file():
            try:
                return path, _parsed(path.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise ConfigError(f"配置文件格式错误（{toml_problem(error)}）", path=str(path), hint="请按 TOML 格式修改或删除它") from None
    return None


def config_path() -> str | None:
    """The fazhi.toml in use (the first found), for a message that names it; None when none is."""
    return next((str(path) for path in config_files() if path.is_file()), None)


def _toml_table(table: str, document: tuple[Path, dict[str, Any]] | None = None) -> dict[str, Any]:
    """``document``: a ``_toml_document()`` already read for another table of the same load."""
    found = document if document is not None else _toml_document()
    if found is None:
        return {}
    path, data = found
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise ConfigError(f"配置文件中 [{table}] 应是一个表", path=str(path))
    return copy.deepcopy(section)


class LLMSettings(BaseSettings):
    """How to reach an OpenAI-compatible endpoint and how hard to try."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    base_url: str | None = Field(None, validation_alias=AliasChoices("base_url", "FAZHI_BASE_URL", "OPENAI_BASE_URL"))
    api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("api_key", "FAZHI_API_KEY", "OPENAI_API_KEY"))
    model: str | None = Field(None, validation_alias=AliasChoices("model", "FAZHI_MODEL"))
    #: json_object_schema: response_format json_object carrying the schema (llama.cpp enforces
    #: it there); auto: what ``fazhi doctor``'s probe found the server enforces
    mode: ModeName = Field("auto", validation_alias=AliasChoices("mode", "FAZHI_MODE"))
    #: validation attempts per call, the first included; failures are reasked
    max_attempts: int = Field(3, ge=1, le=10)
    max_tokens: int = Field(2048, ge=1)
    #: on finish_reason "length", one retry with this many tokens (None: fail fast)
    retry_max_tokens: int | None = Field(None, ge=64)
    temperature: float = Field(0.0, ge=0, le=2)
    #: seconds to wait for one HTTP response
    request_timeout: float = Field(300.0, gt=0)
    #: transport retries (429, 5xx, timeouts) per call, and the total seconds they may take
    transport_retries: int = Field(4, ge=0, le=20)
    time_budget: float = Field(900.0, gt=0)
    #: reports longer than this many characters are split by statutory part
    context_chars: int = Field(6000, ge=1000)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, InitSettingsSource(settings_cls, init_kwargs=_toml_table("llm"))

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    @property
    def endpoint_host(self) -> str | None:
        return urlparse(self.base_url).hostname if self.base_url else None

    @property
    def is_loopback(self) -> bool:
        host = self.endpoint_host or ""
        return host in {"localhost", "::1"} or host.startswith("127.")


class LLMOptions(BaseModel):
    """The LLM flags a command was given (None = not given), shared by summarize, eval and doctor."""

    model_config = ConfigDict(frozen=True)

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    mode: ModeName | None = None


#: pydantic's English reasons, by error type, as the reviewer reads them
_PYDANTIC_CHINESE: dict[str, str] = {
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "extra_forbidden": "没有这个设置项（名称拼错了？）",
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字（TOML 中加引号）",
    "string_too_short": "不能为空",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_parsing": "应为日期（如 2025-03-31）",
    "date_from_datetime_parsing": "应为日期（如 2025-03-31）",
    "date_type": "应为日期（如 2025-03-31）",
    "list_type": "应为列表（如 [\"a\", \"b\"]）",
    "dict_type": "应为表（键值对）",
    "model_type": "应为表（键值对）",
    "url_parsing": "应为网址（如 http://127.0.0.1:8765/v1）",
}


def validation_problem(error: ValidationError, limit: int = 1) -> str:
    """The first ``limit`` problems of a validation error in Chinese ("deadline_month：应不大于 12"),
    naming the key; a validator's own message is kept as it is."""
    problems = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"]) or "顶层"
        template = _PYDANTIC_CHINESE.get(item["type"])
        try:
            reason = template.format(**item.get("ctx", {})) if template else item["msg"].removeprefix("Value error, ")
        except (KeyError, IndexError):
            reason = item["msg"]
        problems.append(f"{where}：{reason}")
    more = error.error_count() - len(problems)
    return "；".join(problems) + (f"；另有{more}处" if more > 0 else "")


def toml_problem(error: Exception) -> str:
    """tomllib's English reason as where in the file to look."""
    if isinstance(error, UnicodeDecodeError):
        return "文件不是 UTF-8 编码"
    found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
    return f"第{found.group(1)}行第{found.group(2)}列附近不符合 TOML 格式" if found else "不符合 TOML 格式"


def load_llm_settings(options: LLMOptions | None = None) -> LLMSettings:
    """Settings with the command's flags on top of env and fazhi.toml."""
    given = (options or LLMOptions()).model_dump(exclude_none=True)
    try:
        return LLMSettings(**given)
    except ValidationError as error:
        raise ConfigError(f"LLM 配置无效（{validation_problem(error, limit=3)}）", hint="请检查命令行参数、FAZHI_* 环境变量或 fazhi.toml") from None


def load_check_profile() -> CheckProfile:
    document = _toml_document()
    try:
        return CheckProfile(**_toml_table("checks", document), extra_references=_toml_table("references", document).get("outdated", []))
    except ValidationError as error:
        raise ConfigError(f"[checks] 配置无效（{validation_problem(error)}）", path=config_path(), hint="请修改这个配置文件的 [checks]") from None


def load_review_table() -> dict[str, Any]:
    """fazhi.toml ``[review]`` (issuer, addressee, date, deadline_days, [review.policy]); the
    review stage validates it into ReviewSettings with the CLI flags on top."""
    return _toml_table("review")


def load_input_limits(max_chars: int | None = None) -> InputLimits:
    """The input limits, ``max_chars`` (a CLI flag, None = not given) over fazhi.toml [input]."""
    values = _toml_table("input")
    if max_chars is not None:
        values = {**values, "max_chars": max_chars}
    try:
        return InputLimits(**values)
    except ValidationError as error:
        raise ConfigError(f"[input] 配置无效（{validation_problem(error)}）", path=config_path() if max_chars is None else None, hint="请检查 --max-chars 或 fazhi.toml 的 [input]") from None
