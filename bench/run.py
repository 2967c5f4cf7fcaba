"""`make bench`: NLU accuracy and serving figures of the shipped config against baselines.

    .venv/bin/python -m bench.run            # the full run (about 30 minutes on 2 cores)
    .venv/bin/python -m bench.run --quick    # smoke test: 2 epochs, a few messages

From one run on this machine it measures

- NLU, on tests/nlu_holdout.yml: intent and response-selection (FAQ answer) accuracy and
  macro-F1, and where out-of-scope and in-scope messages end up (for each Rasa variant
  the mean of 3 trainings with different random seeds), for
  (a) the shipped config.yml, (b) the `rasa init` default configuration
  (bench/configs/default_rasa_init.yml), (c) a TF-IDF nearest-neighbour baseline
  (bench/tfidf.py) and (d) config.yml without spaCy (generated from config.yml);
  each Rasa variant trained on the same data/ and domain.yml;
- serving, for (a) and (b): REST latency percentiles and messages per second with one
  conversation at a time and with all conversations at once, model load time, training
  time, model size, resident memory of the Rasa server and of the action server;
- the staff report (`scripts/conversations.py report`) on the shipped server's
  conversations copied to 1,000 and 10,000 conversations (bench/report_load.py);

prints one table with ratios shipped ÷ baseline and whether the targets are met, and
writes under reports/: bench.json, bench.md, latency_histogram.png,
intent_confusion_matrix.png (the shipped model's, from rasa's evaluation), and the
working files (models/, nlu/<variant>/, bench/ with the generated configs and logs).
It never touches models/ or conversations.db of the project.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

if __package__ in (None, ""):  # run as `python bench/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import blind, machine, stats, variants  # noqa: E402
from bench.report_load import copy_conversations, run_report  # noqa: E402
from bench.serving import BENCH_ENV, action_server, peak_rss_mb, rasa_server, rss_mb, send_conversations  # noqa: E402
from components.intents import OUT_OF_SCOPE_INTENT  # noqa: E402

PROJECT = variants.PROJECT
VENV_BIN = Path(sys.executable).parent
HOLDOUT = PROJECT / "tests" / "nlu_holdout.yml"
DATA = PROJECT / "data"
DOMAIN = PROJECT / "domain.yml"
CONFIG = PROJECT / "config.yml"
BLIND_SETS = sorted((PROJECT / "tests" / "blind").glob("*.yml"))

# NLU figures are the mean of `trainings` per Rasa variant: the served model and NLU-only
# trainings with random_seed 1, 2, ... (one held-out message is 0.5%; seeds move more).
QUICK = {"epochs": 2, "conversations": 4, "turns": 5, "trainings": 1}
FULL = {"epochs": None, "conversations": 20, "turns": 10, "trainings": 3}
BURSTS = 2  # rounds of all conversations at once, per server


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def subprocess_env(**extra: str) -> Dict[str, str]:
    return {
        **os.environ,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        **BENCH_ENV,
        **extra,
    }


def run_logged(command: List[str], log: Path, env: Dict[str, str]) -> float:
    """Run command with its output in log; returns the wall time; raises on failure."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log.open("w") as handle:
        code = subprocess.run(command, cwd=PROJECT, env=env, stdout=handle, stderr=subprocess.STDOUT).returncode
    if code != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise SystemExit(f"{' '.join(command[:3])} ... failed ({code}); see {log}:\n{tail}")
    return time.monotonic() - started


def check_spacy_pipeline(config: Dict[str, Any]) -> None:
    for component in config.get("pipeline") or []:
        if component.get("name") == "SpacyNLP":
            model = str(component.get("model", ""))
            if ("/" in model or model.startswith(".")) and not (PROJECT / model).exists():
                raise SystemExit(f"{model} (SpacyNLP in config.yml) is missing: run `make spacy` first")


# --- NLU ------------------------------------------------------------------------------------


def rasa_train(name: str, arguments: List[str], logs: Path, tmp: Path) -> float:
    """`rasa train <arguments>` from an empty cache of its own; returns the seconds."""
    cache = Path(tempfile.mkdtemp(prefix=f"cache-{name}-", dir=tmp))
    try:
        return run_logged(
            [str(VENV_BIN / "rasa"), "train", *arguments],
            logs / f"train-{name}.log",
            subprocess_env(RASA_CACHE_DIRECTORY=str(cache)),
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def _model_arguments(name: str, config_path: Path, models: Path) -> List[str]:
    """What every training of a variant names: its config, the domain, where the model goes."""
    return ["--config", str(config_path), "--domain", str(DOMAIN), "--out", str(models), "--fixed-model-name", name]


def train(name: str, config_path: Path, models: Path, logs: Path, tmp: Path) -> float:
    """Train one variant from scratch (--force); returns the seconds."""
    return rasa_train(name, [*_model_arguments(name, config_path, models), "--data", str(DATA), "--force"], logs, tmp)


def train_nlu(name: str, config_path: Path, models: Path, logs: Path, tmp: Path) -> Path:
    """Train the NLU part of one variant from scratch; returns the model's path."""
    rasa_train(name, ["nlu", *_model_arguments(name, config_path, models), "--nlu", str(DATA)], logs, tmp)
    return models / f"{name}.tar.gz"


def nlu_runs(
    name: str,
    config: Dict[str, Any],
    served_model: Path,
    trainings: int,
    work: Path,
    nlu_out: Path,
    logs: Path,
    tmp: Path,
) -> List[Dict[str, Any]]:
    """Held-out figures of the served model, then of `trainings - 1` NLU-only trainings
    with random_seed 1, 2, ..."""
    say(f"{name}: evaluating on {HOLDOUT.relative_to(PROJECT)}")
    runs = [{"seed": seed_of(config), **evaluate(name, served_model, nlu_out, logs)}]
    for seed in range(1, trainings):
        seeded = f"{name}-seed{seed}"
        path = work / "configs" / f"{seeded}.yml"
        variants.dump(
            variants.with_seed(config, seed), path, f"Generated by bench/run.py: {name} with random_seed {seed}."
        )
        say(f"{name}: NLU training {seed + 1} of {trainings} (random_seed {seed}) and evaluation")
        model = train_nlu(seeded, path, tmp / "models", logs, tmp)
        runs.append({"seed": seed, **evaluate(seeded, model, nlu_out, logs)})
        model.unlink()
    return runs


def seed_of(config: Dict[str, Any]) -> Optional[int]:
    """The DIETClassifier's random_seed as configured (None: Rasa picks one at random)."""
    return next(
        (c.get("random_seed") for c in config.get("pipeline") or [] if variants.is_one_of(c, ("DIETClassifier",))), None
    )


def rasa_nlu_results(folder: Path) -> Dict[str, Any]:
    intent = json.loads((folder / "intent_report.json").read_text())
    responses = json.loads((folder / "response_selection_report.json").read_text())
    predictions = json.loads((folder / "predictions.json").read_text())
    return {
        "intent_accuracy": intent["accuracy"],
        "intent_macro_f1": intent["macro avg"]["f1-score"],
        "response_accuracy": responses["accuracy"],
        "response_macro_f1": responses["macro avg"]["f1-score"],
        **stats.scope_shares((p["intent"], p["predicted"]) for p in predictions),
    }


def evaluate(name: str, model: Path, nlu_out: Path, logs: Path) -> Dict[str, Any]:
    folder = nlu_out / name
    if folder.exists():
        shutil.rmtree(folder)
    run_logged(
        [
            str(VENV_BIN / "python"),
            "-m",
            "bench.nlu_eval",
            "--model",
            str(model),
            "--nlu",
            str(HOLDOUT),
            "--out",
            str(folder),
        ],
        logs / f"nlu-{name}.log",
        subprocess_env(),
    )
    return rasa_nlu_results(folder)


def training_examples(config_path: Path):
    from rasa.shared.importers.importer import TrainingDataImporter

    data = TrainingDataImporter.load_from_config(str(config_path), str(DOMAIN), [str(DATA)]).get_nlu_data()
    examples = [e for e in data.intent_examples if e.get("text")]
    return [e.get("text") for e in examples], [e.get("intent_response_key") or e.get("intent") for e in examples]


def holdout_examples():
    from rasa.shared.nlu.training_data.loading import load_data

    return load_data(str(HOLDOUT)).intent_examples


def tfidf_results(nlu_out: Path) -> Dict[str, Any]:
    from bench.tfidf import TfidfNearestNeighbour

    texts, labels = training_examples(CONFIG)
    started = time.monotonic()
    model = TfidfNearestNeighbour().fit(texts, labels)
    fit_s = time.monotonic() - started
    holdout = holdout_examples()
    predictions = model.predict([e.get("text") for e in holdout])
    intents = stats.classification_scores([e.get("intent") for e in holdout], [p[0] for p in predictions])
    faq = [(e.get("intent_response_key"), p[1]) for e, p in zip(holdout, predictions) if e.get("intent_response_key")]
    responses = stats.classification_scores([t for t, _ in faq], [p or "" for _, p in faq])
    shares = stats.scope_shares((e.get("intent"), p[0]) for e, p in zip(holdout, predictions))
    shares["oos_fallback"] = shares["in_scope_fallback"] = None  # it has no fallback
    folder = nlu_out / "tfidf"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "predictions.json").write_text(
        json.dumps(
            [
                {
                    "text": e.get("text"),
                    "intent": e.get("intent"),
                    "intent_response_key": e.get("intent_response_key"),
                    "predicted": p[0],
                    "predicted_response": p[1],
                }
                for e, p in zip(holdout, predictions)
            ],
            indent=1,
        )
    )
    return {
        "nlu": {
            "intent_accuracy": intents["accuracy"],
            "intent_macro_f1": intents["macro_f1"],
            "response_accuracy": responses["accuracy"],
            "response_macro_f1": responses["macro_f1"],
            **shares,
        },
        "training_s": fit_s,
        "training_examples": len(texts),
    }


# --- serving --------------------------------------------------------------------------------


def conversations_from_holdout(count: int, turns: int) -> List[List[str]]:
    by_intent: Dict[str, List[str]] = {}
    faq: Dict[str, List[str]] = {}
    for example in holdout_examples():
        by_intent.setdefault(example.get("intent"), []).append(example.get("text"))
        if example.get("intent_response_key"):
            faq.setdefault(example.get("intent_response_key"), []).append(example.get("text"))
    by_intent["faq"] = stats.interleave(faq)  # consecutive FAQ questions about different answers
    return stats.build_conversations(by_intent, count, turns)


def serve(
    models: Dict[str, Path],
    conversations: List[List[str]],
    logs: Path,
    tmp: Path,
    tracker_store: str,
    bursts: int = 2,
    blind_sets: str = "all",
) -> Dict[str, Dict]:
    """Start the action server, then each Rasa server one after the other (load time: each
    alone), then measure them in turns so that the machine's other work weighs on all
    alike: conversation by conversation, one at a time (order A B, B A, ...), then
    `bursts` rounds of all conversations at once per server (A B, B A). Only one server
    gets messages at any moment; the others wait idle."""
    actions = action_server(logs / "action-server.log")
    say("starting the action server")
    actions.start()
    servers: Dict[str, Any] = {}
    figures: Dict[str, Dict[str, Any]] = {}
    statuses = {path: blind.set_status(path) for path in BLIND_SETS}
    try:
        for name, model in models.items():
            server = rasa_server(model, actions.url, tmp, name, logs / f"rasa-server-{name}.log", tracker_store)
            servers[name] = server
            say(f"{name}: starting the Rasa server")
            load_s = server.start()
            say(f"{name}: loaded in {load_s:.1f} s; warming up")
            send_conversations(server.url, conversations[:1], False, f"warmup-{name}")
            say(f"{name}: the blind sets, end to end")
            figures[name] = {
                "load_s": load_s,
                "problems": [],
                "blind": blind.evaluate_sets(
                    stats.sets_judged(name, statuses, blind_sets), blind.rest_sender(server.url)
                ),
            }
        names = list(servers)
        rounds = {
            "single": [
                (order, [conversation], False)
                for order, conversation in zip(stats.alternating(names, len(conversations)), conversations)
            ],
            "concurrent": [(order, conversations, True) for order in stats.alternating(names, bursts)],
        }
        for scenario, steps in rounds.items():
            say(
                f"{' and '.join(names)}: {len(conversations)} conversations x {len(conversations[0])} messages, "
                f"{'one at a time' if scenario == 'single' else f'all at once, {bursts} rounds each'}"
            )
            collected = {name: ([], 0.0, []) for name in names}
            for index, (order, batch, concurrent) in enumerate(steps):
                for name in order:
                    latencies, wall, problems, records = send_conversations(
                        servers[name].url, batch, concurrent, f"{scenario}{index}-{name}"
                    )
                    all_latencies, all_wall, all_records = collected[name]
                    collected[name] = (all_latencies + latencies, all_wall + wall, all_records + records)
                    figures[name]["problems"] += problems
            for name, (latencies, wall, records) in collected.items():
                summary = stats.latency_summary(latencies, wall)
                summary["latencies_ms"] = [round(v * 1000, 2) for v in latencies]
                summary["slowest"] = sorted(records, key=lambda r: -r["ms"])[:10]
                summary["by_turn"] = stats.latency_by_turn(records)
                figures[name][scenario] = summary
        for name, server in servers.items():
            figures[name]["rasa_rss_mb"] = rss_mb(server.process.pid)
            figures[name]["rasa_peak_rss_mb"] = peak_rss_mb(server.process.pid)
            figures[name]["action_rss_mb"] = rss_mb(actions.process.pid)
            figures[name]["problem_count"] = len(figures[name]["problems"])
            if figures[name]["problems"]:
                say(
                    f"{name}: {len(figures[name]['problems'])} message(s) without a proper reply, "
                    f"e.g. {figures[name]['problems'][0]}"
                )
    finally:
        for server in servers.values():
            server.stop()
        actions.stop()
    return figures


# --- output ---------------------------------------------------------------------------------


def plot_latencies(results: Dict[str, Dict[str, Any]], concurrency: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scenarios = (("single", "1 conversation at a time"), ("concurrent", f"{concurrency} conversations at once"))
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for axis, (scenario, title) in zip(axes, scenarios):
        series = {
            name: results[name]["serving"][scenario]["latencies_ms"]
            for name in stats.VARIANTS
            if scenario in results.get(name, {}).get("serving", {})
        }
        if not series:
            continue
        top = max(stats.percentile(values, 99.5) for values in series.values())
        bins = [top * i / 40 for i in range(41)]
        for name, values in series.items():
            p95 = stats.percentile(values, 95)
            line = axis.hist(
                [min(v, top) for v in values],
                bins=bins,
                alpha=0.55,
                label=f"{stats.VARIANTS[name].replace('`', '')} (p95 {p95:.0f} ms)",
            )
            axis.axvline(p95, color=line[2][0].get_facecolor(), linestyle="--", alpha=0.9)
        axis.set_title(f"REST latency per message, {title}")
        axis.set_xlabel("milliseconds (last bin includes everything above)")
        axis.set_ylabel("messages")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def markdown(
    info: Dict[str, Any],
    settings: Dict[str, Any],
    table: str,
    targets: str,
    turns: str,
    runs: str,
    blind_table: str = "",
) -> str:
    by_turn = (
        f"""
Where the time goes: latency per kind of turn, one conversation at a time. Turns that run a
custom action (the consultation suggestion after out-of-scope and suitability questions, the
aftercare form) add round trips to the action server that no NLU or policy choice removes;
they set the p95.

{turns}
"""
        if turns
        else ""
    )
    trainings = settings.get("trainings", 1)
    per_training = (
        f"""
The NLU figures above are the mean of {trainings} trainings per Rasa variant: the served model \
(random_seed as its config sets it; none means Rasa picks one) and NLU-only trainings with \
random_seed {"1" if trainings == 2 else f"1 to {trainings - 1}"}. One held-out message is about 0.5% (1% of the FAQ answers), \
and a different seed alone moves a figure by one or two messages:

{runs}
"""
        if runs and trainings > 1
        else ""
    )
    blind_section = (
        f"""
## Blind sets, end to end

Visitor messages written from the guide alone (tests/blind/*.yml), each sent over REST to the \
served model in a conversation of its own and judged on the reply (bench/blind.py). The \
targets apply to the sets still blind; a set whose failures guided fixes is shown beside them.

{blind_table}
"""
        if blind_table
        else ""
    )
    return f"""# Benchmark: shipped config against baselines

{machine.as_text(info)}

Settings: {settings["epochs_text"]}; {settings["conversations"]} conversations of {settings["turns"]} \
messages from tests/nlu_holdout.yml over the REST channel, {settings["tracker_store_text"]}: first one \
conversation at a time, then all {settings["conversations"]} at once ({settings["bursts"]} rounds per \
server); the servers take turns (A B, B A, ...) so that other load on the machine weighs on both alike, \
after {settings["turns"]} warm-up messages each; NLU figures on tests/nlu_holdout.yml \
({settings["holdout_messages"]} messages, {settings["oos_messages"]} out of scope).

{table}
{blind_section}
Targets:
{targets}
{per_training}{by_turn}
"Not covered" = predicted intent `out_of_scope` (the rules answer with the guide-does-not-cover-it \
reply); "clarification" = `nlu_fallback` (FallbackClassifier; "did you mean ...?" buttons). \
Accuracy and macro-F1 are `rasa test nlu`'s (FallbackClassifier undone); the TF-IDF baseline \
has no fallback (its FAQ answer is the nearest FAQ training example, as the ResponseSelector \
always picks one). Model load time runs from starting `rasa run` until it answers `GET /` \
(includes importing Rasa). RSS is resident memory after the measurements (MB = 10^6 bytes). Training \
time is `rasa train` from an empty cache; for TF-IDF, fitting the vectorizers.
"""


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke test: %s" % QUICK)
    parser.add_argument(
        "--epochs", type=int, help="epochs for every DIET/ResponseSelector/TED (default: as configured)"
    )
    parser.add_argument("--conversations", type=int, help="conversations sent to each server (default 20)")
    parser.add_argument("--turns", type=int, help="messages per conversation (default 10)")
    parser.add_argument(
        "--trainings", type=int, help="NLU trainings per Rasa variant whose held-out figures are averaged (default 3)"
    )
    parser.add_argument(
        "--reuse-models",
        action="store_true",
        help="use models already in reports/models instead of training (no training time)",
    )
    parser.add_argument("--no-serving", action="store_true", help="NLU figures only")
    parser.add_argument(
        "--blind",
        choices=stats.BLIND_CHOICES,
        default="all",
        help="blind sets sent to the servers: all (default: every set to the shipped model, the sets still blind "
        "to the others), still-blind (those alone to every model) or none (load time and latency only)",
    )
    parser.add_argument(
        "--no-nlu", action="store_true", help="skip the held-out evaluation (with --reuse-models: serving figures only)"
    )
    parser.add_argument(
        "--serve",
        default=",".join(stats.SERVED),
        help="variants to serve, comma-separated (default: %(default)s; no_spacy is possible too)",
    )
    parser.add_argument(
        "--tracker-store",
        choices=("sql", "memory"),
        default="sql",
        help="sql (default): SQLite in a temporary folder, as endpoints.yml; memory: in-memory",
    )
    parser.add_argument("--out", type=Path, default=PROJECT / "reports", help="output folder (default reports/)")
    parser.add_argument("--fail-on-targets", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite bench.md, the table and the plot from OUT/bench.json",
    )
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads((args.out / "bench.json").read_text())
        return report(args.out.resolve(), saved["machine"], saved["settings"], saved["results"], args.fail_on_targets)

    serve_names = [name.strip() for name in args.serve.split(",") if name.strip()]
    unknown = set(serve_names) - set(variants.TRAINED)
    if unknown:
        parser.error(
            f"--serve: unknown variant(s) {', '.join(sorted(unknown))}; choose from {', '.join(variants.TRAINED)}"
        )
    preset = QUICK if args.quick else FULL
    epochs = args.epochs if args.epochs is not None else preset["epochs"]
    conversations = args.conversations or preset["conversations"]
    turns = args.turns or preset["turns"]
    trainings = max(1, args.trainings or preset["trainings"])
    out: Path = args.out.resolve()
    work, models_dir, nlu_out = out / "bench", out / "models", out / "nlu"
    logs = work / "logs"
    for folder in (work, models_dir, nlu_out, logs):
        folder.mkdir(parents=True, exist_ok=True)

    info = machine.describe(PROJECT)
    say(f"load average at start: {info['load_average_start']} ({info['cores']} cores)")
    shipped_config = variants.load(CONFIG)
    check_spacy_pipeline(shipped_config)
    configs = variants.variant_configs(shipped_config, variants.load(variants.DEFAULT_RASA_INIT), epochs)
    sources = {
        "shipped": "config.yml",
        "rasa_init_default": "bench/configs/default_rasa_init.yml",
        "no_spacy": "config.yml without spaCy (bench/variants.py)",
        "no_encoder": "config.yml without the sentence encoder (bench/variants.py)",
    }
    serve_names = [name for name in serve_names if name in configs]
    config_paths = {}
    for name, config in configs.items():
        config_paths[name] = work / "configs" / f"{name}.yml"
        epochs_note = f", epochs set to {epochs}" if epochs is not None else ""
        variants.dump(config, config_paths[name], f"Generated by bench/run.py from {sources[name]}{epochs_note}.")

    results: Dict[str, Dict[str, Any]] = {name: {} for name in stats.VARIANTS}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp_name:
        tmp = Path(tmp_name)
        # Without the NLU evaluation only the served variants are needed.
        needed = [name for name in configs if not args.no_nlu or name in serve_names]
        for name in needed:
            model = models_dir / f"{name}.tar.gz"
            if args.reuse_models and model.exists():
                say(f"{name}: reusing {model.relative_to(PROJECT) if model.is_relative_to(PROJECT) else model}")
                results[name]["training_s"] = None
            else:
                say(f"{name}: training ({sources[name]})")
                results[name]["training_s"] = train(name, config_paths[name], models_dir, logs, tmp)
                say(f"{name}: trained in {results[name]['training_s']:.0f} s")
            results[name]["model_mb"] = model.stat().st_size / 1e6
            if not args.no_nlu:
                runs = nlu_runs(name, configs[name], model, trainings, work, nlu_out, logs, tmp)
                results[name]["nlu_runs"] = runs
                results[name]["nlu"] = stats.mean_figures(
                    [{k: v for k, v in run.items() if k != "seed"} for run in runs]
                )
        if not args.no_nlu:
            say("tfidf: fitting and evaluating")
            results["tfidf"] = tfidf_results(nlu_out)

        conversation_list = conversations_from_holdout(conversations, turns)
        if not args.no_serving:
            served = serve(
                {name: models_dir / f"{name}.tar.gz" for name in serve_names},
                conversation_list,
                logs,
                tmp,
                args.tracker_store,
                BURSTS,
                args.blind,
            )
            for name, figures in served.items():
                results[name]["serving"] = figures
            if args.tracker_store == "sql" and "shipped" in served:
                results["staff_report"] = time_staff_report(tmp / "conversations-shipped.db", tmp)

    info["load_average_end"] = machine.load_average()
    holdout = holdout_examples()
    settings = {
        "quick": args.quick,
        "epochs": epochs,
        "conversations": conversations,
        "turns": turns,
        "trainings": trainings,
        "tracker_store": args.tracker_store,
        "served": serve_names,
        "blind_sets": args.blind,
        "bursts": BURSTS,
        "tracker_store_text": "conversations kept in SQLite as endpoints.yml does"
        if args.tracker_store == "sql"
        else "conversations kept in memory",
        "epochs_text": "epochs as each config sets them"
        if epochs is None
        else f"epochs set to {epochs} for every variant"
        + (" (quick run: the accuracy means nothing)" if args.quick else ""),
        "holdout_messages": len(holdout),
        "oos_messages": sum(e.get("intent") == OUT_OF_SCOPE_INTENT for e in holdout),
        "messages": conversation_list,
    }
    confusion = nlu_out / "shipped" / "intent_confusion_matrix.png"
    if not args.no_nlu and confusion.exists():
        shutil.copy(confusion, out / "intent_confusion_matrix.png")
    return report(out, info, settings, results, args.fail_on_targets)


def time_staff_report(store: Path, tmp: Path) -> Dict[str, Any]:
    """`scripts/conversations.py report` on the shipped server's conversations (blind sets and
    latency runs), copied to 1,000 and to 10,000 conversations."""
    timings: Dict[str, Dict[str, Any]] = {"conversations": {}, "messages": {}}
    for count in (1000, 10000):
        say(f"staff report: {count:,} conversations")
        database, out = tmp / f"report-{count}.db", tmp / f"report-{count}"
        copy_conversations(store, database, count)
        timings["conversations"][str(count)] = run_report(database, out)
        timings["messages"][str(count)] = json.loads((out / "report.json").read_text())["messages"]
    return timings


def report(
    out: Path, info: Dict[str, Any], settings: Dict[str, Any], results: Dict[str, Dict[str, Any]], fail_on_targets: bool
) -> int:
    """Write bench.json, bench.md and latency_histogram.png under out and print the table."""
    table = stats.table(results, settings["conversations"])
    checks = stats.check_targets(results)
    targets = stats.targets_text(checks)
    (out / "bench.json").write_text(
        json.dumps({"machine": info, "settings": settings, "results": results, "targets": checks}, indent=1)
    )
    blind_table = stats.blind_table(results)
    (out / "bench.md").write_text(
        markdown(info, settings, table, targets, stats.turn_table(results), stats.runs_table(results), blind_table)
    )
    if any("serving" in figures for figures in results.values()):
        plot_latencies(results, settings["conversations"], out / "latency_histogram.png")

    print()
    print(machine.as_text(info))
    print()
    print(table)
    print()
    if blind_table:
        print(blind_table)
        print()
    print("Targets:")
    print(targets)
    print()
    say(f"wrote {out / 'bench.md'}, bench.json, latency_histogram.png, intent_confusion_matrix.png")
    if fail_on_targets and not all(c["met"] is True for c in checks):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
