"""Size limits (one Error line naming the option) and loud warnings on (near) empty results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bitext.align.encoders import CachedEncoder, batches
from bitext.errors import InputError
from bitext.limits import MAX_ENCODE_CHARS, Limits, check_file_size, check_text_size
from bitext.pipeline import near_empty
from bitext.types import AlignedPair, Alignment

BITEXT = [sys.executable, "-m", "bitext"]
EN = "The Committee took note of the report on item {k}. It requested a revised text. "
ZH = "委员会注意到关于项目{k}的报告。委员会请提交订正案文。"


def _write(tmp_path: Path, lang: str, kb: float) -> Path:
    pattern = EN if lang == "en" else ZH
    text, k = "", 0
    while len(text.encode()) < kb * 1000:
        text += pattern.format(k=k)
        k += 1
    path = tmp_path / f"{lang}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["align", "build"])
def test_input_over_the_limit_is_one_error_naming_the_option(tmp_path: Path,
                                                             command: str) -> None:
    zh, en = _write(tmp_path, "zh", 30), _write(tmp_path, "en", 30)
    args = ([str(zh), str(en), "-o", str(tmp_path / "out.tsv")] if command == "align"
            else [str(tmp_path), "-o", str(tmp_path / "out")])
    res = subprocess.run([*BITEXT, command, *args, "--encoder", "length",
                          "--max-input-mb", "0.01"], capture_output=True, text=True)
    assert res.returncode == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "--max-input-mb" in lines[0] and "0.01 MB" in lines[0]
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out.tsv").exists() and not (tmp_path / "out").exists()


def test_text_limit_counts_utf8_bytes() -> None:
    limits = Limits(max_input_mb=0.001)  # 1000 bytes
    check_text_size("a" * 1000, "x", limits)
    check_text_size("委" * 333, "x", limits)  # 999 bytes
    with pytest.raises(InputError, match="--max-input-mb"):
        check_text_size("委" * 334, "x", limits)
    with pytest.raises(InputError, match="stdin"):
        check_text_size("a" * 1001, "stdin", limits)
    check_text_size("a" * 10**6, "x", Limits(max_input_mb=None))


def test_a_crlf_line_end_is_one_line_for_the_line_limit() -> None:
    """The line limit counted CR and LF apart: a CRLF file was counted twice its
    lines (200,000 CRLF lines, 0.4 MB, refused at 1 MB as 400,000 lines over the
    342,105 allowed); lines end where fileio.LINE_END ends them."""
    check_text_size("\r\n" * 200_000, "x", Limits(max_input_mb=1))
    with pytest.raises(InputError, match="400,000 lines"):
        check_text_size("a\r" * 400_000, "x", Limits(max_input_mb=1))


def test_an_input_just_over_the_limit_says_by_how_much() -> None:
    """One byte over 1 MB was 'input is 1.0 MB, more than the limit of 1 MB': a size
    that rounds to the limit is given in bytes."""
    with pytest.raises(InputError) as err:
        check_text_size("a" * 1_000_001, "x", Limits(max_input_mb=1))
    assert "input is 1,000,001 bytes, more than the limit of 1 MB (1,000,000 bytes)" \
        in str(err.value)
    with pytest.raises(InputError) as err:
        check_text_size("a" * 1_500_000, "x", Limits(max_input_mb=1))
    assert "input is 1.5 MB, more than the limit of 1 MB;" in str(err.value)


def test_file_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 2001)
    with pytest.raises(InputError, match=r"big\.txt: input is 2,001 bytes, .* \(2,000 bytes\)"):
        check_file_size(path, Limits(max_input_mb=0.002))
    check_file_size(path, Limits(max_input_mb=0.003))
    check_file_size(tmp_path / "missing.txt", Limits(max_input_mb=0.001))  # reader's job


@pytest.mark.parametrize("encoding", [None, "gb18030"])
def test_a_legacy_text_over_the_limit_is_refused_before_its_encoding_is_judged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str | None) -> None:
    # GB18030 writes a Chinese character in 2 bytes, UTF-8 in 3: the file is under
    # the limit, its text over it. Judging the encodings of a 49 MB file took 47
    # CPU s and 1.3 GB before the text was refused: the size is checked first.
    from bitext.fileio import decode
    from bitext.ingest.document import load_document

    path = tmp_path / "zh.txt"
    path.write_bytes((ZH.format(k=1) + "\n").encode("gb18030") * 45)  # 2.3 KB; 3.5 KB of UTF-8

    def judged(*args: object) -> float:
        raise AssertionError("an encoding was judged")

    monkeypatch.setattr(decode, "_frequent_share", judged)
    monkeypatch.setattr(decode, "_implausible_share", judged)
    with pytest.raises(InputError, match=r"zh\.txt: input is .* of text in UTF-8 \(the "
                       r"file.s 0\.0 MB .*more than the limit of 0\.003 MB"):
        load_document(path, "zh", encoding, limits=Limits(max_input_mb=0.003))


class _LongestEncoder(CachedEncoder):
    name = "longest"
    dim = 4

    def __init__(self) -> None:
        super().__init__()
        self.longest = 0
        self.batch_chars: list[int] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.longest = max(self.longest, *(len(t) for t in texts))
        self.batch_chars.append(sum(len(t) for t in texts))
        return np.array([[t.count("a"), t.count("b"), 1.0, 0.0] for t in texts],
                        dtype=np.float32)


def test_encoder_embeds_a_long_text_in_bounded_pieces() -> None:
    enc = _LongestEncoder()
    long = "a " * (MAX_ENCODE_CHARS * 2) + "b " * MAX_ENCODE_CHARS
    out = enc.encode(["short ab", long])
    assert enc.longest <= MAX_ENCODE_CHARS
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, rtol=1e-5)
    assert out[1, 0] > out[1, 1] > 0  # both parts count, by their share of the text


def test_batches_are_bounded_in_texts_and_characters() -> None:
    texts = ["x" * 10] * 25 + ["y" * 100] + ["z"]
    ranges = batches(texts, max_texts=8, max_chars=50)
    assert ranges[0] == (0, 5)
    assert all(e - b <= 8 for b, e in ranges)
    assert ranges[-2:] == [(25, 26), (26, 27)]  # a long text alone, then the rest
    assert [i for b, e in ranges for i in range(b, e)] == list(range(27))


def _alignment(pairs: list[tuple[tuple[str, ...], tuple[str, ...]]]) -> Alignment:
    return Alignment("zh", "en", tuple(AlignedPair(s, t, 0.9, "") for s, t in pairs),
                     "sentence", {})


def test_near_empty_result_is_reported_with_counts() -> None:
    skips = _alignment([(("一。",), ()), ((), ("One.",)), (("二。",), ()), ((), ("Two.",))])
    message = near_empty(skips)
    assert message is not None and message.startswith("empty result: 0 links")
    assert "0 of 2 zh" in message
    few = _alignment([(("一。",), ("One.",)), (("二。",), ()), (("三。",), ()),
                      ((), ("Two.", "Three."))])
    message = near_empty(few)
    assert message is not None and message.startswith("near-empty result: 1 links")
    good = _alignment([(("一。",), ("One.",)), (("二。",), ("Two.",)), (("三。",), ())])
    assert near_empty(good) is None


def test_build_summary_carries_the_warning() -> None:
    from bitext.build import BuildResult

    assert "WARNING" not in BuildResult("doc").summary()
    warned = BuildResult("doc", warning="empty result: 0 links").summary().splitlines()
    assert warned[1] == "WARNING: empty result: 0 links"


def test_build_of_unrelated_documents_warns(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("委员会注意到报告。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(" ".join(f"Word{k} is here." for k in range(40)) + "\n",
                                     encoding="utf-8")
    res = subprocess.run([*BITEXT, "build", str(tmp_path), "-o", str(tmp_path / "out"),
                          "--encoder", "length", "--no-glossary"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "WARNING" in res.stderr and "Traceback" not in res.stderr


def test_memory_check_refuses_a_predicted_peak_over_the_budget() -> None:
    from bitext.limits import MemoryBudget, check_memory, predicted_peak_mb

    sizes = [("zh.txt", 15_000_000), ("en.txt", 20_000_000)]
    rss, vm = predicted_peak_mb(35.0)
    assert vm > rss > 2000  # 35 MB of text is GBs, linearly
    check_memory(sizes, MemoryBudget(vm + 1, rss + 1, "the free RAM"))
    with pytest.raises(InputError) as err:
        check_memory(sizes, MemoryBudget(vm - 1, None, "x"))
    msg = str(err.value)
    for part in ("zh.txt 15.0 MB", "en.txt 20.0 MB", f"{vm / 1024:.1f} GB",
                 "ulimit -v", "split", "BITEXT_NO_MEMORY_CHECK"):
        assert part in msg, msg
    with pytest.raises(InputError, match="free RAM"):
        check_memory(sizes, MemoryBudget(None, rss - 1, "the free RAM"))


def test_memory_check_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from bitext.limits import MemoryBudget, check_memory

    monkeypatch.setenv("BITEXT_NO_MEMORY_CHECK", "1")
    check_memory([("a", 10**9)], MemoryBudget(1.0, 1.0, "x"))


def test_the_budget_reads_the_address_space_limit() -> None:
    import resource

    from bitext.limits import memory_budget

    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))\n"
            "from bitext.limits import memory_budget\nb = memory_budget()\n"
            "print(b.address_space_mb, b.source)")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.stdout.split()[0] == "3072.0", res.stderr
    if resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY:
        assert memory_budget().address_space_mb is None


@pytest.mark.skipif(not Path("/proc/meminfo").is_file(), reason="needs Linux")
def test_align_under_ulimit_v_refuses_up_front_with_one_error(tmp_path: Path) -> None:
    """A large input under `ulimit -v`: one Error naming the sizes, the predicted
    need and the limit, before the model loads; nothing written, exit 1."""
    import resource

    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("委员会注意到关于该项目的报告。" * 50_000 + "\n", encoding="utf-8")  # 2.25 MB
    en.write_text(("The Committee took note of the report. " * 100 + "\n") * 500,
                  encoding="utf-8")  # 2 MB: 4.25 MB in all, about 0.9 GB predicted

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (800 << 20, 800 << 20))

    res = subprocess.run([*BITEXT, "align", str(zh), str(en), "-o", str(tmp_path / "out.tsv")],
                         capture_output=True, text=True, preexec_fn=limit, timeout=300)
    assert res.returncode == 1, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    assert "ulimit -v" in lines[0] and "0.8 GB" in lines[0] and "split" in lines[0]
    assert not (tmp_path / "out.tsv").exists()


def test_sentence_lines_are_predicted_at_their_own_rate() -> None:
    """One search over a whole file of sentence lines needs more memory per MB
    (the Bible as lines: 1,480 MB for 6.56 MB, where the per-paragraph rate
    predicts 716 MB)."""
    from bitext.errors import InputError
    from bitext.limits import MemoryBudget, check_memory, predicted_peak_mb

    sizes = [("bible.zh", 2_836_215), ("bible.en", 3_726_731)]
    rss, _ = predicted_peak_mb(6.56)
    assert rss < 1480
    check_memory(sizes, MemoryBudget(None, rss + 10, "the free RAM"))
    with pytest.raises(InputError, match=r"needs about 1\.5 GB"):
        check_memory(sizes, MemoryBudget(None, rss + 10, "the free RAM"), lines=True)


def test_a_collection_names_the_document_of_a_near_empty_result(tmp_path: Path) -> None:
    """A collection's near-empty warning came from the worker without the
    document's id ("near-empty result: 1 links ...": which of 50?). The run
    says it once, after the document's id, as it says a failure."""
    for doc, en in [("A", "The Committee noted the report.\n"),
                    ("B", " ".join(f"Word{k} is here." for k in range(40)) + "\n")]:
        (tmp_path / "tree" / doc).mkdir(parents=True)
        (tmp_path / "tree" / doc / "zh.txt").write_text("委员会注意到报告。\n", encoding="utf-8")
        (tmp_path / "tree" / doc / "en.txt").write_text(en, encoding="utf-8")
    res = subprocess.run([*BITEXT, "build", str(tmp_path / "tree"), "-o", str(tmp_path / "out"),
                          "--encoder", "length", "--no-glossary", "--jobs", "1", "--no-corpus"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    warned = [line for line in res.stderr.splitlines() if "empty result" in line]
    assert len(warned) == 1 and "B: " in warned[0] and "A: " not in warned[0], res.stderr
