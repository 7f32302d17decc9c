#!/usr/bin/env python3
"""Plots end-to-end throughput versus batch size and threads from end_to_end_bench's JSON output.

    build/release/bench/end_to_end_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
        --benchmark_out=bench/data/end_to_end.json --benchmark_out_format=json
    /usr/bin/python3 bench/plot_scaling.py bench/data/end_to_end.json bench/img/throughput_scaling.png

Uses the median aggregate of each (scenario, batch, threads) and prints it as a Markdown table too.
"""
import json
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def medians(path):
    with open(path) as f:
        data = json.load(f)
    rows = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name", "median") != "median":
            continue
        m = re.match(r"BM_(\w+)/batch:(\d+)/threads:(\d+)", b["name"])
        if not m:
            continue
        rows[(m.group(1), int(m.group(2)), int(m.group(3)))] = b["info_bit_rate"]
    return data.get("context", {}), rows


def main():
    context, rows = medians(sys.argv[1])
    scenarios = sorted({k[0] for k in rows})
    fig, axes = plt.subplots(1, len(scenarios), figsize=(5 * len(scenarios), 4), squeeze=False)
    print("| scenario | batch | threads | Mbit/s |")
    print("|---|---:|---:|---:|")
    for ax, name in zip(axes[0], scenarios):
        for threads in sorted({k[2] for k in rows if k[0] == name}):
            points = sorted((k[1], v) for k, v in rows.items() if k[0] == name and k[2] == threads)
            ax.plot([p[0] for p in points], [p[1] / 1e6 for p in points], marker="o", label=f"{threads} thread(s)")
            for batch, rate in points:
                print(f"| {name} | {batch} | {threads} | {rate / 1e6:.2f} |")
        ax.set_xscale("log", base=2)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("batch size (frames)")
        ax.set_ylabel("information Mbit/s")
        ax.set_title(name)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.suptitle(f"sixg end-to-end throughput ({context.get('num_cpus', '?')} CPUs, {context.get('date', '')[:10]})")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
