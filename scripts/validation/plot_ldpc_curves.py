#!/usr/bin/env python3
"""Plots the LDPC validation tables of docs/ldpc.md (sixg BLER beside AFF3CT's reference FER).

Usage: plot_ldpc_curves.py docs/ldpc.md docs/img/ldpc_vs_aff3ct.png
Each curve table in docs/ldpc.md is preceded by a title line ("BG1 N12288 K6144, sum-product, ...")
and has the columns Eb/N0 | AFF3CT FER | sixg BLER (errors/frames) | sixg NMS 0.75.
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def parse(path):
    curves, title, rows = [], None, []
    for line in open(path):
        line = line.strip()
        if line.startswith("BG") and "iterations" in line:
            title, rows = line, []
            curves.append((title, rows))
        elif title and line.startswith("| ") and line[2:3].isdigit():
            cells = [c.strip() for c in line.strip("|").split("|")]
            try:
                rows.append((float(cells[0]), float(cells[1]), float(cells[2].split()[0])))
            except ValueError:
                pass
        elif title and rows and not line.startswith("|"):
            title = None
    return [(t, r) for t, r in curves if r]


def main():
    curves = parse(sys.argv[1])
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for title, rows in curves:
        ax = axes[0] if title.startswith("BG1") else axes[1]
        x = [r[0] for r in rows]
        line, = ax.semilogy(x, [r[2] if r[2] > 0 else float("nan") for r in rows], "o-", label="sixg " + title.split(",")[1])
        ax.semilogy(x, [r[1] for r in rows], "--", color=line.get_color(), label="AFF3CT " + title.split(",")[1])
    for ax, name in zip(axes, ("BG1 N=12288 K=6144", "BG2 N=1024 K=512")):
        ax.set_title(name + ", 10 iterations, layered")
        ax.set_xlabel("Eb/N0 [dB]")
        ax.set_ylabel("BLER / FER")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
