#!/usr/bin/env python3
"""Closed-form BER curves for the validation plots (the same formulas as tests/support/theory.cpp).

Usage: theory_curves.py MODEL OUT.csv EBNO_START EBNO_STOP EBNO_STEP [options]
  MODEL: awgn-qam (--bits M --streams-per-ut S), rayleigh-mrc (--branches L --streams-per-ut S),
         rician (--k-db K)
Eb/N0 maps to the per-stream Es/N0 as sixg does with no pilots and no CP: Es/N0 = S_tx * m * Eb/N0.
"""
import argparse
import math


def q(x):
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def gray_axis_labels(n):
    return [i ^ (i >> 1) for i in range(1 << n)]


def qam_ber_awgn(m, esn0):
    """Exact Gray square-QAM bit error rate over AWGN (per-axis PAM sum)."""
    n = m // 2
    levels = 1 << n
    # 38.211 amplitudes are odd integers; energy per axis (levels^2 - 1)/3, per symbol twice that.
    es_unnorm = 2.0 * (levels * levels - 1) / 3.0
    sigma = math.sqrt(es_unnorm / esn0 / 2.0)
    amps = [-(levels - 1) + 2 * i for i in range(levels)]
    labels = gray_axis_labels(n)
    total = 0.0
    for a_idx, a in enumerate(amps):
        for b_idx in range(levels):
            lo = -math.inf if b_idx == 0 else amps[b_idx] - 1
            hi = math.inf if b_idx == levels - 1 else amps[b_idx] + 1
            p = (q((lo - a) / sigma) if lo != -math.inf else 1.0) - (q((hi - a) / sigma) if hi != math.inf else 0.0)
            total += p * bin(labels[a_idx] ^ labels[b_idx]).count("1")
    return total / (levels * n)


def rayleigh_mrc(branches, g):
    mu = math.sqrt(g / (1.0 + g))
    s = sum(math.comb(branches - 1 + k, k) * ((1 + mu) / 2) ** k for k in range(branches))
    return ((1 - mu) / 2) ** branches * s


def rician_bpsk(g, k):
    n = 4000
    total = 0.0
    for i in range(n):
        theta = (i + 0.5) * (math.pi / 2) / n
        s = -g / math.sin(theta) ** 2
        total += (1 + k) / (1 + k - s) * math.exp(k * s / (1 + k - s))
    return total * (math.pi / 2) / n / math.pi


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("start", type=float)
    p.add_argument("stop", type=float)
    p.add_argument("step", type=float)
    p.add_argument("--bits", type=int, default=2)
    p.add_argument("--streams-per-ut", type=int, default=1)
    p.add_argument("--branches", type=int, default=1)
    p.add_argument("--k-db", type=float, default=0.0)
    a = p.parse_args()
    rows = []
    x = a.start
    while x <= a.stop + 1e-9:
        ebno = 10 ** (x / 10)
        if a.model == "awgn-qam":
            ber = qam_ber_awgn(a.bits, a.streams_per_ut * a.bits * ebno)
        elif a.model == "rayleigh-mrc":  # QPSK per bit: Es/N0 / 2
            ber = rayleigh_mrc(a.branches, a.streams_per_ut * ebno)
        elif a.model == "rician":
            ber = rician_bpsk(ebno, 10 ** (a.k_db / 10))
        else:
            raise SystemExit("unknown model " + a.model)
        rows.append((round(x, 6), ber))
        x += a.step
    with open(a.out, "w") as f:
        f.write("ebno_db,ber\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]:.6e}\n")


if __name__ == "__main__":
    main()
