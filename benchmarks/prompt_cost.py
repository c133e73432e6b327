"""What the LLM path costs per report, from the RECORDED cassettes (runs offline, no server).

For each bundled sample, ``tests/test_llm_cassettes.py::test_first_attempt`` recorded one first
attempt against the local llama.cpp server plus the server's own token counts
(``/extras/tokenize/count``) of the report alone, of the system message and of the user message.
This prints, per report:

- prompt tokens of the first attempt (the server's usage) and their ratio to the report's own
  token count (target ≤ 1.25);
- the split: schema in the prompt (0: it travels in response_format only), instructions (the
  system message), listing overhead (sentence ids, fact marks, delimiters and meta: user message
  minus the report) and the chat template (the rest);
- completion tokens per claim, before (instructor's json mode with re-typed quotes, the baseline
  cassette kept in benchmarks/baseline/) and after (sentence and fact ids);
- calls and attempts per report; and the reask test's attempts (a repeated answer stops reasks).

    python benchmarks/prompt_cost.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
CASSETTES = REPO / "cassettes" / "test_llm_cassettes"
BASELINE = REPO / "benchmarks" / "baseline" / "json-mode-maojun-2024.yaml"
TARGET = 1.25


def _body(text: Any) -> Any:
    return json.loads(text.decode() if isinstance(text, bytes) else text)


def _interactions(path: Path) -> list[tuple[str, Any, Any]]:
    """(request path, request body, response body) of every recorded HTTP call."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = []
    for item in data["interactions"]:
        request, response = item["request"], item["response"]
        found.append((request["uri"], _body(request["body"]) if request["body"] else None, _body(response["body"]["string"])))
    return found


def _claims(answer: str) -> int:
    """Items in one answer (the overview counts as one), as the engine would count them."""
    try:
        data = json.loads(answer)
    except ValueError:
        return 0
    return sum(len(v) for v in data.values() if isinstance(v, list)) + bool(data.get("overview"))


def _chat(calls: list[tuple[str, Any, Any]]) -> list[tuple[Any, Any]]:
    return [(request, response) for uri, request, response in calls if uri.endswith("/chat/completions")]


def _per_claim(chat: list[tuple[Any, Any]]) -> tuple[int, int]:
    completion = sum(r["usage"]["completion_tokens"] for _, r in chat)
    claims = sum(_claims(r["choices"][0]["message"]["content"] or "") for _, r in chat)
    return completion, claims


def first_attempts() -> list[dict[str, Any]]:
    rows = []
    for path in sorted(CASSETTES.glob("test_first_attempt*.yaml")):
        calls = _interactions(path)
        counts = [response["count"] for uri, _, response in calls if uri.endswith("/tokenize/count")]
        chat = _chat(calls)
        if len(counts) != 3 or not chat:
            raise SystemExit(f"{path.name}: expected 3 token counts and a chat call; re-record with scripts/record-cassettes")
        report, system, user = counts
        prompt = chat[0][1]["usage"]["prompt_tokens"]
        completion, claims = _per_claim(chat[:1])
        name = path.stem.split("[", 1)[-1].rstrip("]")
        rows.append(
            {"report": name, "report_tokens": report, "prompt_tokens": prompt, "ratio": prompt / report, "schema": 0, "instructions": system,
             "listing": user - report, "template": prompt - system - user, "completion": completion, "claims": claims, "calls": len(chat)}
        )
    return rows


def _print_table(rows: list[dict[str, Any]]) -> None:
    print("| 报告 | 报告本身 tokens | 首次尝试 prompt tokens | 比值 (≤1.25) | schema | 指令 | 编号/标记/分隔 | 模板 | 调用 | completion/条 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        per_claim = f"{r['completion'] / r['claims']:.1f} ({r['completion']}/{r['claims']})" if r["claims"] else f"— ({r['completion']}/0)"
        print(
            f"| {r['report']} | {r['report_tokens']} | {r['prompt_tokens']} | {r['ratio']:.2f} | {r['schema']} | {r['instructions']} "
            f"| {r['listing']} | {r['template']} | {r['calls']} | {per_claim} |"
        )


def main() -> int:
    if not CASSETTES.is_dir():
        print(f"no cassettes in {CASSETTES}", file=sys.stderr)
        return 1
    rows = first_attempts()
    if not rows:
        print("no test_first_attempt cassettes: record them with scripts/record-cassettes -k first_attempt", file=sys.stderr)
        return 1
    print("## Prompt tokens per first attempt (server's own tokenizer)\n")
    _print_table(rows)
    worst = max(r["ratio"] for r in rows)
    print(f"\nworst ratio {worst:.2f} — target ≤ {TARGET}: {'met' if worst <= TARGET else 'NOT met'}")

    before = _chat(_interactions(BASELINE))
    b_completion, b_claims = _per_claim(before[:1])
    a_completion = sum(r["completion"] for r in rows)
    a_claims = sum(r["claims"] for r in rows)
    print("\n## Completion tokens per claim (first attempts)\n")
    print(f"- before (json mode, quotes re-typed; maojun, baseline cassette): {b_completion}/{b_claims} = {b_completion / max(b_claims, 1):.1f}")
    after = f"{a_completion / a_claims:.1f}" if a_claims else "— (no claim: the model answered an empty object)"
    print(f"- after (sentence and fact ids; four samples): {a_completion}/{a_claims} = {after}")
    print(f"- completion tokens per first attempt: before {b_completion}, after {[r['completion'] for r in rows]}")
    print(f"- before, prompt tokens of that first attempt: {before[0][1]['usage']['prompt_tokens']}; its three attempts: {sum(r['usage']['prompt_tokens'] for _, r in before)}")

    reask = CASSETTES / "test_json_object_schema_reasks_until_an_answer_repeats.yaml"
    if reask.is_file():
        chat = _chat(_interactions(reask))
        print("\n## Calls and attempts (maojun, up to 3 attempts allowed)\n")
        print(f"- attempts: {len(chat)} (before: {len(before)}); prompt tokens over all attempts: {sum(r['usage']['prompt_tokens'] for _, r in chat)} "
              f"(before: {sum(r['usage']['prompt_tokens'] for _, r in before)})")
        print(f"- reask prompt growth per attempt: {[r['usage']['prompt_tokens'] for _, r in chat]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
