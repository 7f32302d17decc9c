#!/usr/bin/env python3
"""Paired A/B timing of end_to_end_bench on a noisy machine.

The VM's speed drifts by +-25 % between minutes, so two figures measured a minute apart do not compare.
This runs A and B alternately (A B A B ...), one short benchmark each, and reports every pair's ratio
B/A and their median: drift that is slow against one pair cancels in the ratio.

  # old build vs new build, coded chain, batch 16, one thread:
  bench/ab_end_to_end.py --a old/bench/end_to_end_bench --b build/release/bench/end_to_end_bench \
      --filter 'Coded.*batch:16/threads:1/' --pairs 5
  # the two SIMD kernel targets of one portable build (SIXG_SIMD, see sixg/phy/simd/kernel_target.h):
  bench/ab_end_to_end.py --a build/portable/bench/end_to_end_bench --a-env SIXG_SIMD=baseline \
      --b build/portable/bench/end_to_end_bench --filter 'Coded.*batch:16/threads:1/' --pairs 5
  # thread scaling of one build: same binary, 1 vs 2 threads:
  bench/ab_end_to_end.py --a build/release/bench/end_to_end_bench --b build/release/bench/end_to_end_bench \
      --filter 'Uncoded.*batch:16/threads:1/' --b-filter 'Uncoded.*batch:16/threads:2/' --pairs 6
"""
import argparse
import os
import re
import statistics
import subprocess
import sys


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def rate(binary: str, bench_filter: str, env: dict) -> float:
    out = subprocess.run([binary, f"--benchmark_filter={bench_filter}"], capture_output=True, text=True, check=True,
                         env=env)
    rates = re.findall(r"info_bit_rate=([0-9.]+)([kMG]?)/s", out.stdout)
    if len(rates) != 1:
        fail(f"--filter '{bench_filter}' must select exactly one benchmark of {binary} (got {len(rates)})")
    value, unit = rates[0]
    return float(value) * {"": 1.0, "k": 1e3, "M": 1e6, "G": 1e9}[unit]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--a", required=True, help="end_to_end_bench binary of the baseline")
    p.add_argument("--b", required=True, help="end_to_end_bench binary of the candidate")
    p.add_argument("--filter", required=True, help="Google Benchmark filter selecting one benchmark")
    p.add_argument("--b-filter", help="filter for B (default: --filter)")
    p.add_argument("--pairs", type=int, default=5, help="number of A/B pairs (default 5)")
    p.add_argument("--a-env", action="append", default=[], metavar="NAME=VALUE", help="environment for A (repeatable)")
    p.add_argument("--b-env", action="append", default=[], metavar="NAME=VALUE", help="environment for B (repeatable)")
    args = p.parse_args()
    if args.pairs < 1:
        fail("--pairs must be at least 1")

    def environment(assignments: list, option: str) -> dict:
        env = dict(os.environ)
        for assignment in assignments:
            name, sep, value = assignment.partition("=")
            if not sep or not name:
                fail(f"{option} '{assignment}' must be NAME=VALUE")
            env[name] = value
        return env

    a_env, b_env = environment(args.a_env, "--a-env"), environment(args.b_env, "--b-env")
    b_filter = args.b_filter or args.filter
    ratios = []
    for i in range(args.pairs):
        a, b = rate(args.a, args.filter, a_env), rate(args.b, b_filter, b_env)
        ratios.append(b / a)
        print(f"pair {i + 1}: A {a / 1e6:.2f} Mbit/s, B {b / 1e6:.2f} Mbit/s, B/A {b / a:.3f}", flush=True)
    print(f"median B/A over {args.pairs} pairs: {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f})")


if __name__ == "__main__":
    main()
