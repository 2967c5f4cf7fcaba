"""Tests of the benchmark's pure parts (no training, no servers): a few seconds.

.venv/bin/python -m pytest -q tests/bench/test_bench.py
"""

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from bench import stats, variants
from bench.run import seed_of
from bench.tfidf import TfidfNearestNeighbour, base_intent

# --- percentiles and latency summaries ------------------------------------------------------


@pytest.mark.parametrize("q", [0, 1, 25, 50, 90, 95, 99, 100])
def test_percentile_matches_numpy(q):
    values = [0.7, 12.5, 3.0, 3.0, 41.0, 8.25, 19.0, 0.1, 5.5, 7.0, 100.0]
    assert stats.percentile(values, q) == pytest.approx(np.percentile(values, q))


def test_percentile_edges():
    assert stats.percentile([4.0], 95) == 4.0
    assert stats.percentile([1.0, 2.0], 50) == 1.5
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.percentile([1.0], 101)


def test_latency_summary_in_ms_and_throughput():
    summary = stats.latency_summary([0.010, 0.020, 0.030, 0.040], wall_s=0.5)
    assert summary["messages"] == 4
    assert summary["p50_ms"] == pytest.approx(25.0)
    assert summary["max_ms"] == pytest.approx(40.0)
    assert summary["messages_per_s"] == pytest.approx(8.0)


# --- ratios and the table -----------------------------------------------------------------------


def test_ratio():
    assert stats.ratio(20.0, 40.0) == 0.5
    assert stats.ratio(1.0, 0.0) is None
    assert stats.ratio(None, 1.0) is None
    assert stats.ratio(1.0, None) is None
    assert stats.ratio(float("nan"), 1.0) is None


def test_formatting():
    assert stats.format_value(0.9756, "pct") == "97.6%"
    assert stats.format_value(0.91234, "f3") == "0.912"
    assert stats.format_value(47.26, "ms") == "47.3"
    assert stats.format_value(1234.6, "ms") == "1235"
    assert stats.format_value(None, "pct") == "—"
    assert stats.format_value(float("nan"), "f1") == "—"
    assert stats.format_ratio(0.5) == "0.50×"
    assert stats.format_ratio(None) == "—"
    assert stats.format_ratio(1.0) == "1.00×"
    assert stats.format_ratio(200 / 201) == "0.995×"  # not "1.00×" for a real difference
    assert stats.format_ratio(1.004) == "1.004×"
    assert stats.format_ratio(2836.75) == "2837×"


def _results():
    return {
        "shipped": {
            "nlu": {"intent_accuracy": 0.98, "response_accuracy": 0.9},
            "serving": {"single": {"p95_ms": 30.0}, "concurrent": {"p95_ms": 200.0}},
            "training_s": 100.0,
        },
        "rasa_init_default": {
            "nlu": {"intent_accuracy": 0.96, "response_accuracy": 0.9},
            "serving": {"single": {"p95_ms": 80.0}, "concurrent": {"p95_ms": 300.0}},
            "training_s": 200.0,
        },
        "tfidf": {"nlu": {"intent_accuracy": 0.99, "response_accuracy": 0.8}},
        "no_spacy": {"nlu": {"intent_accuracy": 0.98, "response_accuracy": 0.91}},
        "no_encoder": {
            "nlu": {"intent_accuracy": 0.97, "response_accuracy": 0.88},
            "serving": {"single": {"p95_ms": 20.0}},
        },
    }


def test_table_has_a_column_per_variant_and_ratios_to_the_shipped_config():
    text = stats.table(_results(), concurrency=20)
    lines = text.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == [
        "",
        "shipped (config.yml)",
        "`rasa init` default",
        "shipped ÷ it",
        "TF-IDF 1-NN",
        "shipped ÷ it",
        "shipped without spaCy",
        "shipped ÷ it",
        "shipped without the sentence encoder",
        "shipped ÷ it",
    ]
    assert all(line.count("|") == lines[0].count("|") for line in lines)
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.strip("|").split("|")[1:]] for line in lines[2:]}
    assert rows["Intent accuracy"] == ["98.0%", "96.0%", "1.02×", "99.0%", "0.99×", "98.0%", "1.00×", "97.0%", "1.01×"]
    assert rows["Latency p95, 1 conversation (ms)"] == ["30.0", "80.0", "0.38×", "—", "—", "—", "—", "20.0", "1.50×"]
    assert "Latency p95, 20 concurrent (ms)" in rows
    assert rows["Training time (s)"][:3] == ["100.0", "200.0", "0.50×"]
    # Rows nobody measured are left out.
    assert "Model size (MB)" not in rows


def test_targets():
    checks = {c["target"]: c["met"] for c in stats.check_targets(_results())}
    assert checks["intent accuracy >= `rasa init` default"] is True
    assert checks["intent accuracy >= TF-IDF 1-NN"] is False
    assert checks["intent accuracy >= shipped without spaCy"] is True  # equal counts as met
    assert checks["response selection accuracy >= shipped without spaCy"] is False
    assert checks["p95 latency (1 conversation) <= 0.5 × `rasa init` default"] is True
    assert checks["p95 latency (concurrent conversations) <= 0.5 × `rasa init` default"] is False
    text = stats.targets_text(stats.check_targets(_results()))
    assert "NOT MET: intent accuracy >= TF-IDF 1-NN (98.0% vs 99.0%)" in text
    assert text.splitlines()[-1] == "- Overall: targets NOT all met"


def test_issue_targets_held_out_training_and_blind_sets():
    results = _results()
    blind_figures = {
        "faq_right": 0.96,
        "out_of_scope_declined": 0.90,
        "in_scope_declined": 0.01,
        "aftercare_recognised": 0.95,
        "two_questions_both": 0.5,
        "messages": 300,
    }
    results["shipped"]["serving"]["blind"] = {
        "set_b": {"status": "blind: nothing was tuned on it", "figures": blind_figures},
        "set_a": {"status": "tuned on", "figures": {**blind_figures, "faq_right": 0.5}},
    }
    checks = {c["target"]: c["met"] for c in stats.check_targets(results)}
    assert checks["held-out intents >= 97% (mean of the trainings)"] is True
    assert checks["held-out FAQ answers >= 97% (mean of the trainings)"] is False
    assert checks["training < 90 s"] is False
    assert checks["blind set_b: faq_right at least 95%"] is True
    assert checks["blind set_b: out_of_scope_declined at least 95%"] is False
    assert checks["blind set_b: in_scope_declined at most 2%"] is True
    assert checks["blind set_b: aftercare_recognised at least 95%"] is True  # equal counts as met
    assert checks["blind set_b: two_questions_both at least 80%"] is False
    assert not any("set_a" in target for target in checks)  # a set tuned on is not judged
    table = stats.blind_table(results)
    assert table.splitlines()[0] == (
        "|  | set_b, shipped (config.yml) | set_b, `rasa init` default | "
        "set_b, shipped without the sentence encoder | set_a, shipped (config.yml) |"
    )
    assert "| FAQ questions given the right answer | 96.0% | — | — | 50.0% |" in table
    assert "- set_a: tuned on" in table


def test_staff_report_target_on_ten_thousand_conversations():
    results = _results()
    results["staff_report"] = {"conversations": {"1000": 1.2, "10000": 9.9}, "messages": {"1000": 9000, "10000": 90000}}
    check = next(c for c in stats.check_targets(results) if c["target"].startswith("staff report"))
    assert check["met"] is True and check["target"] == "staff report on 10,000 conversations < 10 s"
    assert check["detail"] == "9.9 s (90,000 messages); 1.2 s on 1,000 conversations: 8.2x for 10x"
    results["staff_report"]["conversations"]["10000"] = 10.5
    assert next(c for c in stats.check_targets(results) if c["target"].startswith("staff report"))["met"] is False


def test_targets_not_measured_are_not_met():
    checks = stats.check_targets({"shipped": {"nlu": {"intent_macro_f1": 1.0}}})
    assert all(c["met"] is None for c in checks)
    assert "targets NOT all met" in stats.targets_text(checks)


# --- NLU shares and scores -----------------------------------------------------------------------


def test_mean_figures_skips_unmeasured_values():
    runs = [
        {"intent_accuracy": 0.96, "oos_fallback": None},
        {"intent_accuracy": 0.98, "oos_fallback": 0.1},
        {"intent_accuracy": 0.97, "oos_fallback": None, "extra": 2.0},
    ]
    means = stats.mean_figures(runs)
    assert means["intent_accuracy"] == pytest.approx(0.97)
    assert means["oos_fallback"] == pytest.approx(0.1)
    assert means["extra"] == 2.0
    assert stats.mean_figures([{"oos_fallback": None}]) == {"oos_fallback": None}


def test_runs_table_lists_every_training():
    results = {
        "shipped": {
            "nlu_runs": [
                {
                    "seed": 7,
                    "intent_accuracy": 0.971,
                    "intent_macro_f1": 0.985,
                    "response_accuracy": 0.99,
                    "oos_not_covered": 0.9,
                },
                {"seed": 1, "intent_accuracy": 0.966},
            ]
        },
        "rasa_init_default": {"nlu_runs": [{"seed": None, "intent_accuracy": 0.95}]},
        "tfidf": {"nlu": {"intent_accuracy": 0.9}},
    }
    rows = stats.runs_table(results).splitlines()[2:]
    assert rows == [
        "| shipped (config.yml) | 7 | 97.1% | 0.985 | 99.0% | 90.0% |",
        "| shipped (config.yml) | 1 | 96.6% | — | — | — |",
        "| `rasa init` default | — | 95.0% | — | — | — |",
    ]
    assert stats.runs_table({"tfidf": {"nlu": {}}}) == ""


def test_scope_shares():
    pairs = [
        ("out_of_scope", "out_of_scope"),
        ("out_of_scope", "out_of_scope"),
        ("out_of_scope", "nlu_fallback"),
        ("out_of_scope", "faq"),
        ("faq", "faq"),
        ("faq", "out_of_scope"),
        ("greet", "nlu_fallback"),
        ("greet", "greet"),
        ("faq", "faq"),
    ]
    shares = stats.scope_shares(iter(pairs))  # any iterable, read once
    assert shares["oos_messages"] == 4 and shares["in_scope_messages"] == 5
    assert shares["oos_not_covered"] == 0.5
    assert shares["oos_fallback"] == 0.25
    assert shares["in_scope_to_oos"] == 0.2
    assert shares["in_scope_fallback"] == 0.2
    assert stats.scope_shares([("faq", "faq")])["oos_not_covered"] is None


def test_classification_scores_like_rasa():
    scores = stats.classification_scores(["a", "a", "b", "c"], ["a", "b", "b", "d"])
    assert scores["accuracy"] == 0.5
    # labels a, b, c, d: F1 2/3, 2/3, 0, 0
    assert scores["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 4)


# --- TF-IDF baseline -----------------------------------------------------------------------------

TEXTS = [
    "what is microneedling",
    "tell me what microneedling is",
    "does it hurt",
    "is microneedling painful",
    "how many sessions do i need",
    "how many treatments will it take",
    "hello there",
    "hi",
    "how much does it cost",
    "what is the weather today",
]
LABELS = [
    "faq/what_is",
    "faq/what_is",
    "faq/pain",
    "faq/pain",
    "faq/sessions",
    "faq/sessions",
    "greet",
    "greet",
    "out_of_scope",
    "out_of_scope",
]


def test_tfidf_nearest_neighbour_on_a_tiny_dataset():
    model = TfidfNearestNeighbour().fit(TEXTS, LABELS)
    predictions = model.predict(
        [
            "does it hurt a lot",
            "hello",
            "how many sessions are needed",
            "what's the weather like",
            "what exactly is microneedling",
        ]
    )
    assert [intent for intent, _ in predictions] == ["faq", "greet", "faq", "out_of_scope", "faq"]
    assert predictions[0][1] == "faq/pain"
    assert predictions[2][1] == "faq/sessions"
    assert predictions[4][1] == "faq/what_is"
    # The response is the nearest FAQ example even when the intent is not faq.
    assert predictions[1][1].startswith("faq/")


def test_tfidf_exact_training_text_gets_its_own_label():
    model = TfidfNearestNeighbour().fit(TEXTS, LABELS)
    for (intent, response), label in zip(model.predict(TEXTS), LABELS):
        assert intent == base_intent(label)
        if label.startswith("faq/"):
            assert response == label


def test_tfidf_without_retrieval_examples_has_no_response():
    model = TfidfNearestNeighbour().fit(["hi", "bye"], ["greet", "goodbye"])
    assert model.predict(["hi there"]) == [("greet", None)]


def test_tfidf_rejects_mismatched_input():
    with pytest.raises(ValueError):
        TfidfNearestNeighbour().fit(["a"], [])


# --- the configurations --------------------------------------------------------------------------


SPACY_CONFIG = {
    "recipe": "default.v1",
    "language": "en",
    "pipeline": [
        {"name": "SpacyNLP", "model": ".spacy/x"},
        {"name": "SpacyTokenizer"},
        {"name": "SpacyFeaturizer"},
        {"name": "CountVectorsFeaturizer", "use_lemma": True},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb"},
        {"name": "SpacyEntityExtractor", "dimensions": ["treatment_time"]},
        {"name": "DIETClassifier", "epochs": 50},
        {"name": "ResponseSelector", "retrieval_intent": "faq"},
        {"name": "components.sentence_vote.SentenceEncoderVote", "pooled_layers": [4, 6]},
    ],
    "policies": [{"name": "RulePolicy"}, {"name": "TEDPolicy", "epochs": 100}],
}


def test_without_the_sentence_encoder_neither_its_vote_nor_its_head_start_is_left():
    config = {
        **SPACY_CONFIG,
        "pipeline": [{"name": "components.sentence_vote.SentenceEncoderHeadStart"}, *SPACY_CONFIG["pipeline"]],
    }
    assert variants.has_sentence_encoder(config)
    result = variants.without_sentence_encoder(config)
    assert not variants.has_sentence_encoder(result)
    assert [c["name"] for c in result["pipeline"]] == [c["name"] for c in SPACY_CONFIG["pipeline"][:-1]]


def test_without_spacy():
    result = variants.without_spacy(SPACY_CONFIG)
    assert [c["name"] for c in result["pipeline"]] == [
        "WhitespaceTokenizer",
        "CountVectorsFeaturizer",
        "CountVectorsFeaturizer",
        "DIETClassifier",
        "ResponseSelector",
        "components.sentence_vote.SentenceEncoderVote",
    ]
    assert "use_lemma" not in result["pipeline"][1]
    assert result["pipeline"][2]["analyzer"] == "char_wb"
    assert result["policies"] == SPACY_CONFIG["policies"]
    assert SPACY_CONFIG["pipeline"][0]["name"] == "SpacyNLP"  # the input is left alone
    with pytest.raises(ValueError):
        variants.without_spacy(result)


def test_with_epochs_sets_every_epoch_trained_part():
    result = variants.with_epochs(SPACY_CONFIG, 2)
    epochs = {c["name"]: c.get("epochs") for c in result["pipeline"] + result["policies"]}
    assert epochs["DIETClassifier"] == epochs["ResponseSelector"] == epochs["TEDPolicy"] == 2
    assert epochs["RulePolicy"] is None
    assert variants.with_epochs(SPACY_CONFIG, None) == SPACY_CONFIG


def test_with_seed_sets_the_seed_of_diet_and_the_response_selector_only():
    result = variants.with_seed(SPACY_CONFIG, 5)
    seeds = {c["name"]: c.get("random_seed") for c in result["pipeline"] + result["policies"]}
    assert seeds["DIETClassifier"] == seeds["ResponseSelector"] == 5
    assert seeds["TEDPolicy"] is None and seeds["SpacyNLP"] is None
    assert all("random_seed" not in c for c in SPACY_CONFIG["pipeline"])  # a copy, not changed in place


def test_the_shipped_configs_classifiers_get_the_epochs_and_seeds_asked_for():
    # config.yml names subclasses of DIETClassifier and ResponseSelector (components/quick_load.py)
    shipped = variants.load(variants.PROJECT / "config.yml")
    names = [c["name"] for c in shipped["pipeline"] if c["name"].endswith(("DIETClassifier", "ResponseSelector"))]
    assert len(names) == 2
    result = variants.with_seed(variants.with_epochs(shipped, 2), 5)
    assert [(c["epochs"], c["random_seed"]) for c in result["pipeline"] if c["name"] in names] == [(2, 5), (2, 5)]
    assert (
        seed_of(shipped) == shipped["pipeline"][[c["name"] for c in shipped["pipeline"]].index(names[0])]["random_seed"]
    )


def test_variant_configs():
    default = {"pipeline": [{"name": "WhitespaceTokenizer"}], "policies": []}
    configs = variants.variant_configs(SPACY_CONFIG, default, epochs=3)
    assert list(configs) == list(variants.TRAINED)
    assert configs["no_spacy"]["pipeline"][0]["name"] == "WhitespaceTokenizer"
    assert configs["shipped"]["pipeline"][6] == {"name": "DIETClassifier", "epochs": 3}
    assert [c["name"] for c in configs["no_encoder"]["pipeline"]] == [
        c["name"] for c in SPACY_CONFIG["pipeline"] if c["name"] != variants.SENTENCE_ENCODER
    ]
    # Without spaCy or the encoder in the shipped config there is no variant without them.
    assert list(variants.variant_configs(default, default)) == ["shipped", "rasa_init_default"]


def test_the_project_config_loses_spacy_and_keeps_the_rest():
    shipped = variants.load(variants.PROJECT / "config.yml")
    if not variants.has_spacy(shipped):
        pytest.skip("config.yml has no spaCy component")
    result = variants.without_spacy(shipped)
    names = [c["name"] for c in result["pipeline"]]
    assert not any(name.startswith("Spacy") for name in names)
    # WhitespaceTokenizer takes SpacyTokenizer's place; the rest keep their order.
    assert names == [
        "WhitespaceTokenizer" if c["name"] == "SpacyTokenizer" else c["name"]
        for c in shipped["pipeline"]
        if c["name"] == "SpacyTokenizer" or not c["name"].startswith("Spacy")
    ]
    assert result["policies"] == shipped["policies"]


def test_dump_writes_a_loadable_config_with_a_header(tmp_path: Path):
    path = tmp_path / "c" / "x.yml"
    variants.dump(SPACY_CONFIG, path, "Generated\nfor a test")
    text = path.read_text()
    assert text.startswith("# Generated\n# for a test\n")
    assert yaml.safe_load(text) == SPACY_CONFIG


def test_default_rasa_init_config_is_what_rasa_auto_configures():
    """bench/configs/default_rasa_init.yml = the `rasa init` template with the pipeline and
    policies Rasa's auto-configuration fills in when it trains it."""
    rasa = pytest.importorskip("rasa")
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    template = yaml.safe_load((Path(rasa.__file__).parent / "cli" / "initial_project" / "config.yml").read_text())
    assert template.get("pipeline") is None and template.get("policies") is None
    expected = DefaultV1Recipe.complete_config(template, {"pipeline", "policies"})
    assert variants.load(variants.DEFAULT_RASA_INIT) == expected


# --- the conversations ---------------------------------------------------------------------------


def test_build_conversations_is_deterministic_and_varied():
    examples = {intent: [f"{intent} {i}" for i in range(3)] for intent in set(stats.CONVERSATION_TEMPLATE)}
    first = stats.build_conversations(examples, conversations=3, turns=10)
    assert first == stats.build_conversations(examples, conversations=3, turns=10)
    assert len(first) == 3 and all(len(c) == 10 for c in first)
    assert [m.rsplit(" ", 1)[0] for m in first[0]] == list(stats.CONVERSATION_TEMPLATE)
    assert first[0][1:3] == ["faq 0", "faq 1"]
    faq_messages = [m for c in first for m in c if m.startswith("faq")]
    assert faq_messages[:4] == ["faq 0", "faq 1", "faq 2", "faq 0"]  # cycles through the pool
    longer = stats.build_conversations(examples, conversations=1, turns=12)[0]
    assert longer[10].startswith("greet") and longer[11].startswith("faq")


def test_build_conversations_falls_back_to_faq_for_a_missing_intent():
    conversation = stats.build_conversations({"faq": ["q"]}, conversations=1, turns=2)[0]
    assert conversation == ["q", "q"]
    with pytest.raises(ValueError):
        stats.build_conversations({}, conversations=1, turns=1)


def test_latency_by_turn():
    records = [{"turn": 0, "ms": 10.0}, {"turn": 0, "ms": 30.0}, {"turn": 6, "ms": 100.0}, {"turn": 11, "ms": 5.0}]
    result = stats.latency_by_turn(records)
    assert list(result) == ["0:greet", "6:inform_treatment_date", "11:faq"]
    assert result["0:greet"] == {"messages": 2, "p50_ms": 20.0, "p95_ms": 29.0}


def test_turn_table():
    by_turn = {"0:greet": {"messages": 2, "p50_ms": 12.0, "p95_ms": 20.5}}
    results = {
        "shipped": {"serving": {"single": {"p50_ms": 1.0, "by_turn": by_turn}}},
        "rasa_init_default": {"serving": {"single": {"p50_ms": 1.0, "by_turn": {}}}},
    }
    lines = stats.turn_table(results).splitlines()
    assert lines[0] == "| turn | shipped (config.yml) p50 / p95 (ms) | `rasa init` default p50 / p95 (ms) |"
    assert lines[2] == "| 0: greet | 12.0 / 20.5 | — |"
    assert stats.turn_table({}) == ""


def test_alternating():
    assert stats.alternating(["a", "b"], 3) == [["a", "b"], ["b", "a"], ["a", "b"]]
    assert stats.alternating(["a", "b", "c"], 2) == [["a", "b", "c"], ["c", "b", "a"]]
    assert stats.alternating(["a"], 0) == []


def test_interleave():
    assert stats.interleave({"b": ["b1", "b2"], "a": ["a1", "a2", "a3"]}) == ["a1", "b1", "a2", "b2", "a3"]
    assert stats.interleave({}) == []


def test_lookup():
    assert stats.lookup({"a": {"b": 1.5}}, ("a", "b")) == 1.5
    assert stats.lookup({"a": {"b": [1]}}, ("a", "b")) is None
    assert stats.lookup({"a": {}}, ("a", "b")) is None
    assert math.isnan(stats.lookup({"a": float("nan")}, ("a",)))


# --- blind sets -------------------------------------------------------------------------------


def test_reply_reader_knows_every_reply_the_assistant_builds():
    from datetime import date, datetime, timezone

    from actions import clinic
    from actions.aftercare import aftercare_messages
    from actions.consultation import INTRODUCTIONS, consultation_text
    from bench import blind

    reader = blind.ReplyReader()
    now = datetime(2026, 11, 28, 10, tzinfo=timezone.utc)
    assert reader.kind(consultation_text(clinic.SETTINGS)) == "consultation"
    # A frustrated message's reply opens with the apology, in the consultation's bubble.
    assert reader.kind(consultation_text(clinic.SETTINGS, INTRODUCTIONS["frustration"])) == "frustration"
    for treatment, upcoming in ((date(2026, 11, 26), False), (date(2026, 12, 1), True), (None, False), (None, True)):
        for text in aftercare_messages(treatment, upcoming, now, clinic.AFTERCARE):
            assert reader.kind(text) == "aftercare_timing", text
    texts = blind.response_texts()
    faq_text = next(text for text, name in texts.items() if name == "utter_faq/does_it_hurt")
    assert reader.kind(faq_text) == "faq/does_it_hurt"
    out_of_scope = next(text for text, name in texts.items() if name == "utter_out_of_scope")
    assert reader.kind(out_of_scope) == "out_of_scope"
    assert reader.kind("I'm not sure I understood, and the guide ... Did you mean one of these?") == "clarify"
    assert reader.kind("something new").startswith("other")


def test_blind_verdicts():
    from bench.blind import Entry, verdict

    faq = Entry("does it hurt", ["faq/does_it_hurt"])
    assert verdict(faq, ["faq/does_it_hurt"])["right"]
    assert not verdict(faq, ["clarify"])["right"]
    assert verdict(faq, ["out_of_scope", "consultation"])["declined"]
    two = Entry("does it hurt and how red", ["faq/does_it_hurt", "faq/redness_after"])
    assert verdict(two, ["faq/does_it_hurt", "faq/redness_after"])["right"]
    assert not verdict(two, ["faq/redness_after", "faq/does_it_hurt"])["right"]  # in order
    assert not verdict(two, ["faq/does_it_hurt"])["right"]
    outside = Entry("how much is it", ["out_of_scope"])
    assert verdict(outside, ["out_of_scope", "consultation"])["right"]
    assert not verdict(outside, ["out_of_scope", "faq/does_it_hurt"])["right"]  # declined, but also answered
    assert verdict(outside, ["faq/does_it_hurt"])["faq_answer"]


def test_only_the_shipped_config_is_judged_on_the_sets_tuned_on():
    # The comparison pipelines are shown on the sets still blind alone (blind_table), so
    # the benchmark sends them no other set: on a slow machine each set is minutes.
    tuned, still_blind = Path("set_a.yml"), Path("set_b.yml")
    statuses = {tuned: "tuned on (round 1)", still_blind: "blind: nothing was tuned on it"}
    assert stats.sets_judged("shipped", statuses) == [tuned, still_blind]
    assert stats.sets_judged("rasa_init_default", statuses) == [still_blind]
    assert stats.sets_judged("no_encoder", statuses) == [still_blind]


def test_the_blind_sets_judged_can_be_narrowed_to_those_still_blind_or_none():
    # `--blind still-blind` or `--blind none`: a run for speed alone on a slow machine
    tuned, still_blind = Path("set_a.yml"), Path("set_b.yml")
    statuses = {tuned: "tuned on (round 1)", still_blind: "blind: nothing was tuned on it"}
    for variant in ("shipped", "rasa_init_default"):
        assert stats.sets_judged(variant, statuses, "still-blind") == [still_blind]
        assert stats.sets_judged(variant, statuses, "none") == []
