"""Pure functions of the benchmark: percentiles, NLU shares, ratios, the table, targets.

Nothing here starts a process or reads a file, so tests/bench/test_bench.py tests it directly.
"""

import math
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME

from bench import blind
from components.intents import OUT_OF_SCOPE_INTENT

# Variant names, in table order, and how the table names them.
VARIANTS = {
    "shipped": "shipped (config.yml)",
    "rasa_init_default": "`rasa init` default",
    "tfidf": "TF-IDF 1-NN",
    "no_spacy": "shipped without spaCy",
    "no_encoder": "shipped without the sentence encoder",
}
BASELINES = ("rasa_init_default", "tfidf", "no_spacy", "no_encoder")
# Served without the sentence encoder too: what its second reading costs per turn.
SERVED = ("shipped", "rasa_init_default", "no_encoder")
HOLDOUT_TARGET = 0.97
TRAINING_LIMIT_S = 90.0
STAFF_REPORT_LIMIT_S = 10.0  # `scripts/conversations.py report` on 10,000 conversations


# --- numbers ------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between the closest ranks,
    as numpy.percentile's default does."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def latency_summary(latencies_s: Sequence[float], wall_s: float) -> Dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds and messages per second over the wall time."""
    ms = [value * 1000 for value in latencies_s]
    return {
        "messages": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": sum(ms) / len(ms),
        "max_ms": max(ms),
        "wall_s": wall_s,
        "messages_per_s": len(ms) / wall_s if wall_s > 0 else float("nan"),
    }


def ratio(value: Optional[float], baseline: Optional[float]) -> Optional[float]:
    """value / baseline, or None when either is missing or the baseline is 0."""
    if value is None or baseline is None or baseline == 0:
        return None
    if isinstance(value, float) and math.isnan(value) or isinstance(baseline, float) and math.isnan(baseline):
        return None
    return value / baseline


# --- NLU ----------------------------------------------------------------------


def scope_shares(pairs: Iterable[Tuple[str, Optional[str]]]) -> Dict[str, Any]:
    """From (true intent, predicted intent after the FallbackClassifier) pairs:

    - oos_not_covered: share of out-of-scope messages predicted out_of_scope (the rules
      answer those with "the guide I answer from doesn't cover that");
    - oos_fallback: share of out-of-scope messages predicted nlu_fallback (they get
      "did you mean ...?" buttons, not a confident answer);
    - in_scope_to_oos: share of in-scope messages wrongly predicted out_of_scope;
    - in_scope_fallback: share of in-scope messages predicted nlu_fallback.
    A share is None when it has no messages to count.
    """
    pairs = list(pairs)
    oos = [predicted for true, predicted in pairs if true == OUT_OF_SCOPE_INTENT]
    in_scope = [predicted for true, predicted in pairs if true != OUT_OF_SCOPE_INTENT]

    def share(predictions: List[Optional[str]], label: str) -> Optional[float]:
        return sum(p == label for p in predictions) / len(predictions) if predictions else None

    return {
        "oos_messages": len(oos),
        "in_scope_messages": len(in_scope),
        "oos_not_covered": share(oos, OUT_OF_SCOPE_INTENT),
        "oos_fallback": share(oos, DEFAULT_NLU_FALLBACK_INTENT_NAME),
        "in_scope_to_oos": share(in_scope, OUT_OF_SCOPE_INTENT),
        "in_scope_fallback": share(in_scope, DEFAULT_NLU_FALLBACK_INTENT_NAME),
    }


def mean_figures(runs: Sequence[Dict[str, Optional[float]]]) -> Dict[str, Optional[float]]:
    """Per figure, the mean over the runs that measured it (None where none did)."""
    keys = [key for run in runs for key in run]
    means: Dict[str, Optional[float]] = {}
    for key in dict.fromkeys(keys):
        values = [run[key] for run in runs if run.get(key) is not None]
        means[key] = sum(values) / len(values) if values else None
    return means


def classification_scores(targets: Sequence[str], predictions: Sequence[str]) -> Dict[str, float]:
    """Accuracy and macro-F1 as `rasa test nlu` computes them (scikit-learn, over the
    labels that occur as targets or predictions, zero F1 for a label never right)."""
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": float(accuracy_score(targets, predictions)),
        "macro_f1": float(f1_score(targets, predictions, average="macro", zero_division=0)),
    }


# --- the table ----------------------------------------------------------------

# (row label, path in a variant's results, format)
ROWS: List[Tuple[str, Tuple[str, ...], str]] = [
    ("Intent accuracy", ("nlu", "intent_accuracy"), "pct"),
    ("Intent macro-F1", ("nlu", "intent_macro_f1"), "f3"),
    ("Response selection accuracy (FAQ)", ("nlu", "response_accuracy"), "pct"),
    ("Response selection macro-F1 (FAQ)", ("nlu", "response_macro_f1"), "f3"),
    ('Out-of-scope msgs answered "not covered"', ("nlu", "oos_not_covered"), "pct"),
    ("Out-of-scope msgs sent to clarification", ("nlu", "oos_fallback"), "pct"),
    ('In-scope msgs wrongly answered "not covered"', ("nlu", "in_scope_to_oos"), "pct"),
    ("In-scope msgs sent to clarification", ("nlu", "in_scope_fallback"), "pct"),
    ("Latency p50, 1 conversation (ms)", ("serving", "single", "p50_ms"), "ms"),
    ("Latency p95, 1 conversation (ms)", ("serving", "single", "p95_ms"), "ms"),
    ("Latency p99, 1 conversation (ms)", ("serving", "single", "p99_ms"), "ms"),
    ("Messages/s, 1 conversation", ("serving", "single", "messages_per_s"), "f1"),
    ("Latency p50, {concurrency} concurrent (ms)", ("serving", "concurrent", "p50_ms"), "ms"),
    ("Latency p95, {concurrency} concurrent (ms)", ("serving", "concurrent", "p95_ms"), "ms"),
    ("Latency p99, {concurrency} concurrent (ms)", ("serving", "concurrent", "p99_ms"), "ms"),
    ("Messages/s, {concurrency} concurrent", ("serving", "concurrent", "messages_per_s"), "f1"),
    ("Messages without a reply (or with an error)", ("serving", "problem_count"), "f0"),
    ("Training time (s)", ("training_s",), "f1"),
    ("Model load time (s)", ("serving", "load_s"), "f1"),
    ("Model size (MB)", ("model_mb",), "f2"),
    ("Rasa server RSS (MB)", ("serving", "rasa_rss_mb"), "f0"),
    ("Action server RSS (MB)", ("serving", "action_rss_mb"), "f0"),
]


def _at(results: Dict[str, Any], path: Sequence[str]) -> Any:
    value: Any = results
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def lookup(results: Dict[str, Any], path: Sequence[str]) -> Optional[float]:
    value = _at(results, path)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def format_value(value: Optional[float], kind: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if kind == "pct":
        return f"{value * 100:.1f}%"
    if kind == "ms":
        return f"{value:.0f}" if value >= 100 else f"{value:.1f}"
    if kind.startswith("f"):
        return f"{value:.{int(kind[1:])}f}"
    raise ValueError(f"unknown format {kind!r}")


def format_ratio(value: Optional[float]) -> str:
    """Two decimals; three where two would round a real difference to 1.00; none from 100 on."""
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:.0f}×"
    text = f"{value:.2f}"
    if text == "1.00" and abs(value - 1) > 1e-9:
        text = f"{value:.3f}"
    return text + "×"


def table(results: Dict[str, Dict[str, Any]], concurrency: int) -> str:
    """A markdown table: one row per figure, one column per variant, and after each
    baseline the ratio shipped ÷ that baseline."""
    header = ["", VARIANTS["shipped"]]
    for baseline in BASELINES:
        header += [VARIANTS[baseline], "shipped ÷ it"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * (len(header) - 1)) + "|"]
    shipped = results.get("shipped", {})
    for label, path, kind in ROWS:
        mine = lookup(shipped, path)
        cells = [label.format(concurrency=concurrency), format_value(mine, kind)]
        for baseline in BASELINES:
            theirs = lookup(results.get(baseline, {}), path)
            cells += [format_value(theirs, kind), format_ratio(ratio(mine, theirs))]
        if all(cell == "—" for cell in cells[1:]):
            continue
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def runs_table(results: Dict[str, Dict[str, Any]]) -> str:
    """A markdown table of the held-out figures of every NLU training (empty without any)."""
    lines = [
        "| variant | random_seed | intent accuracy | intent macro-F1 | FAQ answer accuracy | "
        'out-of-scope answered "not covered" |',
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name, label in VARIANTS.items():
        for run in results.get(name, {}).get("nlu_runs", []):
            seed = "—" if run.get("seed") is None else str(run["seed"])
            lines.append(
                f"| {label} | {seed} | {format_value(run.get('intent_accuracy'), 'pct')} | "
                f"{format_value(run.get('intent_macro_f1'), 'f3')} | "
                f"{format_value(run.get('response_accuracy'), 'pct')} | "
                f"{format_value(run.get('oos_not_covered'), 'pct')} |"
            )
    return "\n".join(lines) if len(lines) > 2 else ""


def turn_table(results: Dict[str, Dict[str, Any]], scenario: str = "single") -> str:
    """A markdown table of p50/p95 latency per kind of turn for the served variants
    (empty when nothing was served): where the time goes."""
    served = [name for name in VARIANTS if lookup(results.get(name, {}), ("serving", scenario, "p50_ms")) is not None]
    if not served:
        return ""
    turns: List[str] = []
    for name in served:
        for key in results[name]["serving"][scenario].get("by_turn", {}):
            if key not in turns:
                turns.append(key)
    header = ["turn"] + [f"{VARIANTS[name]} p50 / p95 (ms)" for name in served]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * len(served)) + "|"]
    for key in turns:
        cells = [key.replace(":", ": ", 1)]
        for name in served:
            figures = results[name]["serving"][scenario].get("by_turn", {}).get(key)
            cells.append(
                "—"
                if figures is None
                else f"{format_value(figures['p50_ms'], 'ms')} / {format_value(figures['p95_ms'], 'ms')}"
            )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- targets ------------------------------------------------------------------


def check_targets(results: Dict[str, Dict[str, Any]], latency_factor: float = 0.5) -> List[Dict[str, Any]]:
    """The issue's targets, each as {target, met (True/False/None when not measured), detail}:
    the shipped config at least as accurate (intent and response selection) as every
    baseline, and its p95 latency at most latency_factor × the rasa init default's."""
    checks = []
    shipped = results.get("shipped", {})
    for metric, label in (("intent_accuracy", "intent accuracy"), ("response_accuracy", "response selection accuracy")):
        mine = lookup(shipped, ("nlu", metric))
        for baseline in BASELINES:
            theirs = lookup(results.get(baseline, {}), ("nlu", metric))
            met = None if mine is None or theirs is None else mine >= theirs - 1e-9
            detail = "not measured" if met is None else f"{mine * 100:.1f}% vs {theirs * 100:.1f}%"
            checks.append({"target": f"{label} >= {VARIANTS[baseline]}", "met": met, "detail": detail})
    for scenario, label in (("single", "1 conversation"), ("concurrent", "concurrent conversations")):
        mine = lookup(shipped, ("serving", scenario, "p95_ms"))
        theirs = lookup(results.get("rasa_init_default", {}), ("serving", scenario, "p95_ms"))
        met = None if mine is None or theirs is None else mine <= latency_factor * theirs
        detail = (
            "not measured"
            if met is None
            else f"{mine:.1f} ms vs {theirs:.1f} ms (ratio {mine / theirs:.2f}, limit {latency_factor:.2f})"
        )
        checks.append(
            {
                "target": f"p95 latency ({label}) <= {latency_factor} × {VARIANTS['rasa_init_default']}",
                "met": met,
                "detail": detail,
            }
        )
    for metric, label in (("intent_accuracy", "intents"), ("response_accuracy", "FAQ answers")):
        mine = lookup(shipped, ("nlu", metric))
        met = None if mine is None else mine >= HOLDOUT_TARGET
        detail = "not measured" if mine is None else f"{mine * 100:.1f}%"
        checks.append(
            {
                "target": f"held-out {label} >= {HOLDOUT_TARGET:.0%} (mean of the trainings)",
                "met": met,
                "detail": detail,
            }
        )
    training = lookup(shipped, ("training_s",))
    checks.append(
        {
            "target": f"training < {TRAINING_LIMIT_S:.0f} s",
            "met": None if training is None else training < TRAINING_LIMIT_S,
            "detail": "not measured" if training is None else f"{training:.0f} s",
        }
    )
    checks.append(staff_report_check(results.get("staff_report") or {}))
    for name, status in blind_sets(results).items():
        if not is_blind(status):
            continue  # tuned on: reported beside, not judged
        for key, (limit, direction) in blind.TARGETS.items():
            value = lookup(shipped, ("serving", "blind", name, "figures", key))
            checks.append(
                {
                    "target": f"blind {name}: {key} {direction} {limit:.0%}",
                    "met": blind.target_met(key, value),
                    "detail": "not measured" if value is None else f"{value * 100:.1f}%",
                }
            )
    return checks


def staff_report_check(timings: Dict[str, Any]) -> Dict[str, Any]:
    """The report's wall-clock time on 10,000 conversations, beside 1,000 for how it grows."""
    seconds = (timings.get("conversations") or {}).get("10000")
    check = {
        "target": f"staff report on 10,000 conversations < {STAFF_REPORT_LIMIT_S:.0f} s",
        "met": None if seconds is None else seconds < STAFF_REPORT_LIMIT_S,
        "detail": "not measured",
    }
    if seconds is not None:
        smaller = timings["conversations"].get("1000")
        check["detail"] = f"{seconds:.1f} s ({timings['messages']['10000']:,} messages)" + (
            f"; {smaller:.1f} s on 1,000 conversations: {seconds / smaller:.1f}x for 10x" if smaller else ""
        )
    return check


BLIND_ROWS: List[Tuple[str, str]] = [
    ("FAQ questions given the right answer", "faq_right"),
    ('Out-of-scope questions answered "not covered" (no FAQ answer)', "out_of_scope_declined"),
    ("Out-of-scope questions given an FAQ answer", "out_of_scope_given_faq_answer"),
    ('In-scope messages wrongly answered "not covered"', "in_scope_declined"),
    ("Aftercare-timing messages recognised", "aftercare_recognised"),
    ("Two-question messages given both answers", "two_questions_both"),
    ("Consultation requests given the consultation", "consultation_right"),
    ("Small talk answered in kind", "chitchat_right"),
    ("All messages right", "all_right"),
]


def blind_sets(results: Dict[str, Dict[str, Any]]) -> Dict[str, str]:
    """The blind sets the served models were judged on, with their status."""
    sets: Dict[str, str] = {}
    for variant in SERVED:
        for name, result in (_at(results.get(variant, {}), ("serving", "blind")) or {}).items():
            sets[name] = result.get("status", "")
    return sets


def is_blind(status: str) -> bool:
    return status.startswith("blind")


BLIND_CHOICES = ("all", "still-blind", "none")


def sets_judged(variant: str, statuses: Dict[Path, str], which: str = "all") -> List[Path]:
    """The blind sets a served variant is judged on, of {set: its status}. With "all": every
    set for the shipped config, the sets still blind alone for the pipelines it is compared
    with (as blind_table shows them); with "still-blind", those alone for every variant;
    with "none", no set (a run for speed alone)."""
    if which == "none":
        return []
    if variant == "shipped" and which == "all":
        return list(statuses)
    return [path for path, status in statuses.items() if is_blind(status)]


def blind_table(results: Dict[str, Dict[str, Any]]) -> str:
    """A markdown table of the blind sets' end-to-end figures, the sets still blind first:
    a column per served variant for those, the shipped config's alone for the sets tuned on."""
    sets = sorted(blind_sets(results).items(), key=lambda item: (not is_blind(item[1]), item[0]))
    if not sets:
        return ""
    columns = [(name, variant) for name, status in sets for variant in (SERVED if is_blind(status) else SERVED[:1])]
    header = [""] + [f"{name}, {VARIANTS[variant]}" for name, variant in columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["--:"] * len(columns)) + "|"]
    for label, key in BLIND_ROWS:
        cells = [label]
        for name, variant in columns:
            cells.append(
                format_value(lookup(results.get(variant, {}), ("serving", "blind", name, "figures", key)), "pct")
            )
        lines.append("| " + " | ".join(cells) + " |")
    counts = [
        str(int(lookup(results.get(variant, {}), ("serving", "blind", name, "figures", "messages")) or 0))
        for name, variant in columns
    ]
    lines.append("| Messages | " + " | ".join(counts) + " |")
    notes = "\n".join(f"- {name}: {status}" for name, status in sets)
    return "\n".join(lines) + "\n\n" + notes


def targets_text(checks: List[Dict[str, Any]]) -> str:
    marks = {True: "MET", False: "NOT MET", None: "NOT MEASURED"}
    lines = [f"- {marks[c['met']]}: {c['target']} ({c['detail']})" for c in checks]
    overall = all(c["met"] is True for c in checks)
    lines.append(f"- Overall: {'all targets met' if overall else 'targets NOT all met'}")
    return "\n".join(lines)


def alternating(names: Sequence[str], rounds: int) -> List[List[str]]:
    """The order of the servers in each round: as given, reversed, as given, ... (A B, B A,
    A B, ...), so that slow drifts of the machine's other load cancel out."""
    return [list(names) if index % 2 == 0 else list(reversed(names)) for index in range(rounds)]


# --- the conversations sent to the servers ---------------------------------------------

# One realistic visit: small talk, guide questions, something the guide does not cover,
# the aftercare timing form (question, then the date), a consultation question, thanks.
CONVERSATION_TEMPLATE = (
    "greet",
    "faq",
    "faq",
    "out_of_scope",
    "faq",
    "ask_aftercare_timing",
    "inform_treatment_date",
    "faq",
    "ask_suitability",
    "thank",
)


def build_conversations(examples: Dict[str, Sequence[str]], conversations: int, turns: int) -> List[List[str]]:
    """`conversations` lists of `turns` messages following CONVERSATION_TEMPLATE, each
    message taken in turn from examples[intent] so that the messages vary; deterministic."""
    used: Dict[str, int] = {}
    result = []
    for _ in range(conversations):
        messages = []
        for turn in range(turns):
            intent = CONVERSATION_TEMPLATE[turn % len(CONVERSATION_TEMPLATE)]
            pool = examples.get(intent) or examples.get("faq")
            if not pool:
                raise ValueError(f"no examples for {intent!r}")
            index = used.get(intent, 0)
            used[intent] = index + 1
            messages.append(pool[index % len(pool)])
        result.append(messages)
    return result


def latency_by_turn(records: Sequence[Dict[str, Any]]) -> Dict[str, Dict[str, float]]:
    """p50/p95 in ms per kind of turn of CONVERSATION_TEMPLATE (records: {"turn", "ms"})."""
    groups: Dict[str, List[float]] = {}
    for record in records:
        intent = CONVERSATION_TEMPLATE[record["turn"] % len(CONVERSATION_TEMPLATE)]
        groups.setdefault(f"{record['turn']}:{intent}", []).append(record["ms"])
    return {
        key: {"messages": len(values), "p50_ms": percentile(values, 50), "p95_ms": percentile(values, 95)}
        for key, values in sorted(groups.items(), key=lambda item: int(item[0].split(":")[0]))
    }


def interleave(groups: Dict[str, Sequence[str]]) -> List[str]:
    """Items of several groups alternately (first of each group, then second, ...), so
    consecutive picks come from different groups (e.g. different FAQ answers)."""
    result: List[str] = []
    longest = max((len(items) for items in groups.values()), default=0)
    for index in range(longest):
        for key in sorted(groups):
            if index < len(groups[key]):
                result.append(groups[key][index])
    return result
