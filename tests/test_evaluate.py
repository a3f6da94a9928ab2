"""Evaluation of a model on a data set (mnistpad.core.evaluation.evaluate) and `mnistpad eval
--confusion`, checked against counts done here independently, on the committed fixture."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch

from mnistpad.cli import main
from mnistpad.core.data.mnist import load_test_split
from mnistpad.core.data.samples import save_sample
from mnistpad.core.evaluation.evaluate import (
    SOURCES,
    Comparison,
    DataSet,
    EvaluationCache,
    EvaluationCancelled,
    evaluate,
    find_source,
    load_data_set,
)
from mnistpad.core.files.modelfile import load_model
from mnistpad.core.platform.errors import DataError, MnistpadError
from mnistpad.core.platform.paths import shipped_models_dir
from mnistpad.core.reading.classify import Classifier
from mnistpad.core.strokes.renderer import PenStroke, render_strokes
from mnistpad.core.training.train import predict_logits

SOFTMAX = shipped_models_dir() / "softmax.safetensors"
XAVIER = shipped_models_dir() / "xavier.safetensors"


@pytest.fixture(scope="module")
def fixture_set(mnist_dir) -> DataSet:
    return load_data_set(find_source("mnist-test"), mnist_dir)


def independent_predictions(path: Path, data: DataSet) -> np.ndarray:
    """Readings through the training code's own evaluation pass, not the Classifier."""
    loaded = load_model(path)
    flat = torch.as_tensor(data.images.reshape(-1, 784))
    return predict_logits(loaded.model, loaded.info.spec, flat).argmax(dim=1).numpy()


@pytest.fixture(scope="module")
def softmax_eval(fixture_set):
    return evaluate(Classifier.from_file(SOFTMAX), fixture_set)


def test_confusion_matrix_equals_a_count_done_image_by_image(fixture_set, softmax_eval):
    predicted = independent_predictions(SOFTMAX, fixture_set)
    counted = Counter(zip(fixture_set.labels.tolist(), predicted.tolist(), strict=True))
    matrix = softmax_eval.confusion()
    assert matrix.sum() == len(fixture_set) == 500
    for true in range(10):
        for read in range(10):
            assert matrix[true, read] == counted.get((true, read), 0), (true, read)
    assert softmax_eval.correct == sum(n for (t, r), n in counted.items() if t == r)
    assert 0 < softmax_eval.correct < 500  # softmax makes errors here: the cells are not trivial


def test_summary_figures_match_their_definitions(fixture_set, softmax_eval):
    ev = softmax_eval
    probs = Classifier.from_file(SOFTMAX).probabilities(fixture_set.images)
    top = probs.max(axis=1)
    right = probs.argmax(axis=1) == fixture_set.labels
    assert ev.mean_confidence(True) == pytest.approx(top[right].mean(), rel=1e-5)
    assert ev.mean_confidence(False) == pytest.approx(top[~right].mean(), rel=1e-5)
    assert ev.confident_errors() == int(((~right) & (top > 0.9)).sum())
    for digit in range(10):
        of_digit = fixture_set.labels == digit
        assert ev.per_digit_accuracy()[digit] == pytest.approx(right[of_digit].mean())


def test_pairs_and_galleries_hold_exactly_their_images(fixture_set, softmax_eval):
    ev = softmax_eval
    pairs = ev.confused_pairs(limit=100)
    matrix = ev.confusion()
    assert sum(p.count for p in pairs) == len(ev) - ev.correct
    assert [p.count for p in pairs] == sorted((p.count for p in pairs), reverse=True)
    worst = pairs[0]
    assert worst.true != worst.read and worst.count == matrix[worst.true, worst.read]
    cell = ev.cell(worst.true, worst.read)
    assert len(cell) == worst.count
    assert set(fixture_set.labels[cell]) == {worst.true}
    assert set(ev.predictions[cell]) == {worst.read}
    assert np.all(np.diff(ev.confidence[cell]) <= 0)  # most confident first
    row = ev.row(worst.true)
    assert len(row) == matrix[worst.true].sum() - matrix[worst.true, worst.true]
    column = ev.column(worst.read)
    assert len(column) == matrix[:, worst.read].sum() - matrix[worst.read, worst.read]
    assert not np.any(ev.right[row]) and not np.any(ev.right[column])


def test_reject_curve_counts_what_is_answered(softmax_eval):
    ev = softmax_eval
    curve = ev.reject_curve()
    assert curve.coverage[0] == 1.0 and curve.accuracy[0] == pytest.approx(ev.accuracy)
    assert np.all(np.diff(curve.coverage) <= 0)
    answered = ev.confidence >= 0.9
    coverage, accuracy = ev.reject_curve(np.array([0.9])).at(0.9)
    assert coverage == pytest.approx(answered.mean())
    assert accuracy == pytest.approx(ev.right[answered].mean())
    assert accuracy > ev.accuracy  # refusing the unsure answers leaves the better ones


def test_comparison_counts_where_one_model_is_right_and_the_other_wrong(fixture_set,
                                                                        softmax_eval):
    xavier = evaluate(Classifier.from_file(XAVIER), fixture_set)
    comparison = Comparison(xavier, softmax_eval)
    a_right = independent_predictions(XAVIER, fixture_set) == fixture_set.labels
    b_pred = independent_predictions(SOFTMAX, fixture_set)
    b_right = b_pred == fixture_set.labels
    side = comparison.side("a")
    assert side.count() == int((a_right & ~b_right).sum()) > 0
    assert comparison.side("b").count() == int((b_right & ~a_right).sum())
    assert comparison.both_wrong() == int((~a_right & ~b_right).sum())
    matrix = side.matrix()
    assert matrix.sum() == side.count() and np.trace(matrix) == 0
    pair = side.pairs()[0]
    cell = side.cell(pair.true, pair.read)
    assert len(cell) == pair.count
    assert all(a_right[i] and b_pred[i] == pair.read for i in cell)


def test_cancel_is_checked_between_chunks(fixture_set):
    doubled = DataSet.of("twice", np.concatenate([fixture_set.images] * 2),
                         np.concatenate([fixture_set.labels] * 2))
    reports = []
    with pytest.raises(EvaluationCancelled):
        evaluate(Classifier.from_file(SOFTMAX), doubled, on_progress=reports.append,
                 should_stop=lambda: len(reports) >= 1)
    assert reports == [0.5]


def _refuse(path):
    raise AssertionError(f"the model was run again for {path}")


def test_cache_serves_revisits_and_reevaluates_a_changed_file(fixture_set, tmp_path):
    model = tmp_path / "mine.safetensors"
    shutil.copyfile(SOFTMAX, model)
    folder = tmp_path / "cache"
    cache = EvaluationCache(folder)
    first = cache.evaluation(model, fixture_set, Classifier.from_file)
    assert not first.from_cache
    assert cache.peek(model, fixture_set) is first
    assert cache.evaluation(model, fixture_set, _refuse) is first
    # a fresh cache (the next start of the app) finds it on disk
    restarted = EvaluationCache(folder)
    from_disk = restarted.evaluation(model, fixture_set, _refuse)
    assert from_disk.from_cache
    np.testing.assert_array_equal(from_disk.confusion(), first.confusion())
    # the file is retrained in place: its content changes, the cached result no longer applies
    shutil.copyfile(XAVIER, model)
    assert cache.peek(model, fixture_set) is None
    calls = []
    again = cache.evaluation(model, fixture_set,
                             lambda p: calls.append(p) or Classifier.from_file(p))
    assert calls == [model] and not again.from_cache
    assert again.correct != first.correct
    assert again.correct == evaluate(Classifier.from_file(XAVIER), fixture_set).correct
    # the other cache had the old content in memory; it must not serve it for the new one
    assert restarted.peek(model, fixture_set) is None
    assert restarted.evaluation(model, fixture_set, _refuse).correct == again.correct


def test_an_unreadable_disk_entry_is_evaluated_again(fixture_set, tmp_path):
    folder = tmp_path / "cache"
    EvaluationCache(folder).evaluation(SOFTMAX, fixture_set, Classifier.from_file)
    (entry,) = folder.iterdir()
    entry.write_bytes(b"not an npz file")
    calls = []
    again = EvaluationCache(folder).evaluation(
        SOFTMAX, fixture_set, lambda p: calls.append(p) or Classifier.from_file(p))
    assert calls and again.correct == evaluate(Classifier.from_file(SOFTMAX), fixture_set).correct


def test_the_three_sources(mnist_dir, tmp_path):
    """MNIST test from the data folder; the development writers' pen digits drawn as the
    canvas draws them; the user's own samples, which say so while there are none."""
    assert [s.name for s in SOURCES] == ["mnist-test", "writers", "my-samples"]
    mnist = find_source("mnist-test")
    assert mnist.problem(mnist_dir) is None
    assert "t10k-images-idx3-ubyte" in mnist.problem(tmp_path)
    writers = load_data_set(find_source("writers"), tmp_path)  # needs no MNIST folder
    assert len(writers) == 1_498 and set(writers.labels) == set(range(10))
    mine = find_source("my-samples")
    assert mine.problem(mnist_dir).startswith("no samples yet")
    with pytest.raises(MnistpadError, match="no such folder"):
        load_data_set(mine, mnist_dir)
    save_sample(4, render_strokes([PenStroke.of([(100, 40), (80, 160), (200, 160)]),
                                   PenStroke.of([(170, 80), (170, 250)])]))
    assert mine.problem(mnist_dir) is None
    samples = load_data_set(mine, mnist_dir)
    assert len(samples) == 1 and samples.labels.tolist() == [4]
    with pytest.raises(MnistpadError, match="no data set named"):
        find_source("nope")


@pytest.fixture
def test_files_only(mnist_dir, tmp_path) -> Path:
    """A data folder that holds the test split and no training files."""
    raw = tmp_path / "mnist" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        shutil.copyfile(mnist_dir / "MNIST" / "raw" / name, raw / name)
    return tmp_path / "mnist"


def test_a_changed_test_file_is_a_new_data_set(test_files_only, fixture_set):
    source = find_source("mnist-test")
    first = load_data_set(source, test_files_only)
    assert first.digest == load_data_set(source, test_files_only).digest
    np.testing.assert_array_equal(first.images, fixture_set.images)
    labels = test_files_only / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    labels.write_bytes(labels.read_bytes())  # rewritten: same bytes, new time
    stat = labels.stat()
    os.utime(labels, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_data_set(source, test_files_only).digest != first.digest
    hashed = DataSet.of("same pixels", first.images, first.labels)
    assert hashed.digest == DataSet.of("same pixels", first.images.copy(), first.labels).digest
    changed = first.images.copy()
    changed[7, 3, 3] += 0.5
    assert DataSet.of("same pixels", changed, first.labels).digest != hashed.digest


def test_the_test_split_loads_without_the_training_files(test_files_only, mnist):
    split = load_test_split(test_files_only)
    assert torch.equal(split.images, mnist.test.images)
    assert torch.equal(split.labels, mnist.test.labels)
    (test_files_only / "MNIST" / "raw" / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match="missing t10k-labels-idx1-ubyte"):
        load_test_split(test_files_only)


def test_eval_needs_only_the_test_split(test_files_only, capsys):
    assert main(["eval", str(SOFTMAX), "--data", str(test_files_only), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["samples"] == 500 and "confusion" not in row


def test_eval_confusion_json_holds_the_matrix_and_pairs(mnist_dir, fixture_set, softmax_eval,
                                                        capsys):
    assert main(["eval", str(SOFTMAX), "--confusion", "--json", "--data", str(mnist_dir)]) == 0
    row = json.loads(capsys.readouterr().out)
    predicted = independent_predictions(SOFTMAX, fixture_set)
    counted = Counter(zip(fixture_set.labels.tolist(), predicted.tolist(), strict=True))
    assert row["confusion"] == [[counted.get((t, r), 0) for r in range(10)] for t in range(10)]
    assert row["correct"] == softmax_eval.correct and row["test_acc"] == softmax_eval.accuracy
    assert row["confused_pairs"][0] == {"true": softmax_eval.confused_pairs()[0].true,
                                        "read": softmax_eval.confused_pairs()[0].read,
                                        "count": softmax_eval.confused_pairs()[0].count}
    assert row["confident_errors"] == softmax_eval.confident_errors()


def test_eval_confusion_prints_the_matrix(mnist_dir, softmax_eval, capsys):
    assert main(["eval", str(SOFTMAX), "--confusion", "--data", str(mnist_dir)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["true", "0"])
    matrix = [[int(v) for v in line.split()[1:]] for line in lines[header + 1 : header + 11]]
    assert matrix == softmax_eval.confusion().tolist()
    worst = softmax_eval.confused_pairs()[0]
    assert f"most confused: {worst.true} as {worst.read} ({worst.count})" in out


def test_peek_never_hashes_a_model_file(fixture_set, tmp_path, monkeypatch):
    """The Evaluate tab peeks from the GUI thread: hashing a 15 MB model there stalled it."""
    import mnistpad.core.evaluation.evaluate as evaluate_module

    model = tmp_path / "mine.safetensors"
    shutil.copyfile(SOFTMAX, model)
    cache = EvaluationCache(tmp_path / "cache")
    real_digest = evaluate_module.file_digest
    hashed = []
    monkeypatch.setattr(evaluate_module, "file_digest",
                        lambda path: hashed.append(path) or real_digest(path))
    assert cache.peek(model, fixture_set) is None and hashed == []
    first = cache.evaluation(model, fixture_set, Classifier.from_file)
    assert hashed == [model]
    assert cache.peek(model, fixture_set) is first and hashed == [model]
