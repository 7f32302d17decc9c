#!/usr/bin/env python3
"""Plot BER and BLER curves from one or more `sixg simulate --json` result files.

Usage: scripts/plot_ber.py out.png result1.json [result2.json ...] [--theory NAME=FILE.csv ...]

Each JSON gives one curve (label: its file name, or LABEL=FILE.json). --theory adds reference curves
from a CSV with columns ebno_db,ber (or ebno_db,bler). Points with no errors are not drawn (log scale).
"""
import argparse
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def split_label(arg):
    if "=" in arg:
        label, path = arg.rsplit("=", 1)
        return label, path
    return os.path.splitext(os.path.basename(arg))[0], arg


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="PNG file to write")
    parser.add_argument("results", nargs="+", help="result JSON files (LABEL=FILE allowed)")
    parser.add_argument("--theory", action="append", default=[], help="LABEL=FILE.csv with ebno_db and ber/bler")
    parser.add_argument("--title", default="")
    args = parser.parse_args()

    fig, (ax_ber, ax_bler) = plt.subplots(1, 2, figsize=(12, 4.5))
    for arg in args.results:
        label, path = split_label(arg)
        with open(path) as f:
            doc = json.load(f)
        pts = [p for p in doc["points"] if p["status"] != "skipped" and p["num_bits"] > 0]
        ber = [(p["ebno_db"], p["ber"]) for p in pts if p["bit_errors"] > 0]
        bler = [(p["ebno_db"], p["bler"]) for p in pts if p["block_errors"] > 0]
        if ber:
            ax_ber.semilogy(*zip(*ber), "o-", label=label)
        if bler:
            ax_bler.semilogy(*zip(*bler), "o-", label=label)
    for arg in args.theory:
        label, path = split_label(arg)
        with open(path) as f:
            rows = list(csv.DictReader(f))
        x = [float(r["ebno_db"]) for r in rows]
        for key, ax in (("ber", ax_ber), ("bler", ax_bler)):
            if rows and key in rows[0]:
                ax.semilogy(x, [float(r[key]) for r in rows], "k--", label=label)
    for ax, name in ((ax_ber, "BER"), (ax_bler, "BLER")):
        ax.set_xlabel("Eb/N0 [dB]")
        ax.set_ylabel(name)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    if args.title:
        fig.suptitle(args.title)
    fig.tight_layout()
    fig.savefig(args.output, dpi=110)


if __name__ == "__main__":
    main()
