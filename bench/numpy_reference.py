#!/usr/bin/python3
"""Batched NumPy reference of sixg's *uncoded* seed chain, written the way a Python user would.

Scenario (the sixg seed scenario with --code none --csi perfect --pilot-symbols none --cp-length 0
--channel rayleigh --detector lmmse): 32 BS antennas, 8 UTs x 2 antennas = 16 streams, FFT 512,
14 OFDM symbols, every resource element carries data, QPSK (38.211: (1-2b0)/sqrt2 + j(1-2b1)/sqrt2),
Rayleigh block fading (i.i.d. CN(0,1) per antenna pair, flat over the slot, new per frame), AWGN
with N0 from Sionna's ebnodb2no, one LMMSE filter per frame, max-log QPSK LLRs, hard decisions.

Without a cyclic prefix and with a channel that is flat in frequency, the IFFT/FFT pair is the
identity on the resource grid, so the chain is simulated directly on resource elements.

Only the simulation loop is timed (not imports, not argument parsing). Prints one JSON object:
{"bits", "bit_errors", "ber", "seconds", "bits_per_s", ...}.

Run with Debian's interpreter (the one that has NumPy):  /usr/bin/python3 bench/numpy_reference.py
"""
import os

# BLAS threads must be fixed before NumPy loads its BLAS; 2 = the cores sixg gets (--threads 2).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "2")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

NUM_RX = 32            # BS antennas
NUM_STREAMS = 16       # 8 UTs x 2 antennas
STREAMS_PER_TX = 2     # S_tx in ebnodb2no
FFT_SIZE = 512
NUM_OFDM_SYMBOLS = 14
CP_LENGTH = 0
BITS_PER_SYMBOL = 2    # QPSK
CODE_RATE = 1.0        # uncoded
NUM_RE = NUM_OFDM_SYMBOLS * FFT_SIZE   # data resource elements per stream (no pilots)


def noise_variance(ebno_db):
    """Sionna's ebnodb2no: N0 = Es / (EbN0 * r * m), Es = (1/S_tx) * N_sym * N_fft * (1 + N_cp/N_fft) / N_data."""
    es = (1.0 / STREAMS_PER_TX) * NUM_OFDM_SYMBOLS * FFT_SIZE * (1.0 + CP_LENGTH / FFT_SIZE) / NUM_RE
    return es / (10.0 ** (ebno_db / 10.0) * CODE_RATE * BITS_PER_SYMBOL)


def complex_normal(rng, shape, variance, real_dtype):
    """Circularly-symmetric CN(0, variance) samples."""
    scale = real_dtype(np.sqrt(variance / 2.0))
    z = rng.standard_normal((*shape, 2), dtype=real_dtype) * scale
    return z.view(np.result_type(real_dtype, np.complex64)).reshape(shape)


def simulate_batch(rng, batch, n0, real_dtype, stage_seconds):
    """One batch of frames; returns the bit errors of each frame. stage_seconds accumulates per-stage time."""
    t0 = time.perf_counter()
    # Bits and QPSK mapping, shape (B, RE, S, 2) -> symbols (B, RE, S).
    bits = rng.integers(0, 2, size=(batch, NUM_RE, NUM_STREAMS, BITS_PER_SYMBOL), dtype=np.int8)
    amp = real_dtype(1.0 / np.sqrt(2.0))
    levels = (1 - 2 * bits).astype(real_dtype) * amp
    x = levels.view(np.result_type(real_dtype, np.complex64))[..., 0]          # (B, RE, S)
    t1 = time.perf_counter()

    # Block-fading Rayleigh channel (B, R, S) and AWGN: y = x H^T + n, shape (B, RE, R).
    h = complex_normal(rng, (batch, NUM_RX, NUM_STREAMS), 1.0, real_dtype)
    y = np.matmul(x, h.transpose(0, 2, 1))
    t1b = time.perf_counter()
    y += complex_normal(rng, y.shape, n0, real_dtype)
    t2 = time.perf_counter()

    # LMMSE per frame: W = (H^H H + N0 I)^-1 H^H, unbiased by d_k = diag(W H).
    hh = np.conj(h.transpose(0, 2, 1))                                        # (B, S, R)
    gram = np.matmul(hh, h) + n0 * np.eye(NUM_STREAMS, dtype=h.dtype)
    w = np.linalg.solve(gram, hh)                                             # (B, S, R)
    d = np.real(np.einsum("bsr,brs->bs", w, h))                               # (B, S)
    x_hat = np.matmul(y, w.transpose(0, 2, 1)) / d[:, None, :]                # (B, RE, S)
    # Post-equalisation noise variance of the unbiased estimate (unit-energy symbols).
    sigma2 = (1.0 - d) / d                                                    # (B, S)
    t3 = time.perf_counter()

    # Max-log QPSK LLRs, ln P(b=0)/P(b=1) = 2*sqrt(2)*Re|Im(x_hat)/sigma2, and hard decisions.
    gain = (2.0 * np.sqrt(2.0) / sigma2)[:, None, :].astype(real_dtype)
    llr0 = x_hat.real * gain
    llr1 = x_hat.imag * gain
    wrong = ((llr0 < 0) != (bits[..., 0] == 1)).reshape(batch, -1).sum(axis=1)
    wrong += ((llr1 < 0) != (bits[..., 1] == 1)).reshape(batch, -1).sum(axis=1)
    t4 = time.perf_counter()

    stage_seconds["source+mapper"] += t1 - t0
    stage_seconds["channel"] += t1b - t1
    stage_seconds["awgn"] += t2 - t1b
    stage_seconds["lmmse"] += t3 - t2
    stage_seconds["demapper+count"] += t4 - t3
    return [int(e) for e in wrong]


def run(frames, batch_size, ebno_db, seed, dtype):
    real_dtype = np.float32 if dtype == "complex64" else np.float64
    rng = np.random.default_rng(seed)
    n0 = noise_variance(ebno_db)
    stage_seconds = {"source+mapper": 0.0, "channel": 0.0, "awgn": 0.0, "lmmse": 0.0, "demapper+count": 0.0}
    frame_errors = []  # per frame: errors cluster by frame (one fading draw), so frames are the sample unit
    done = 0
    start = time.perf_counter()
    while done < frames:
        batch = min(batch_size, frames - done)
        frame_errors += simulate_batch(rng, batch, n0, real_dtype, stage_seconds)
        done += batch
    seconds = time.perf_counter() - start
    bits = frames * NUM_RE * NUM_STREAMS * BITS_PER_SYMBOL
    errors = sum(frame_errors)
    return {
        "bits": bits,
        "bit_errors": errors,
        "ber": errors / bits,
        "seconds": seconds,
        "bits_per_s": bits / seconds,
        "frames": frames,
        "batch_size": batch_size,
        "ebno_db": ebno_db,
        "n0": n0,
        "dtype": dtype,
        "stage_seconds": stage_seconds,
        "frame_errors": frame_errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=8, help="frames per vectorised batch")
    parser.add_argument("--frames", type=int, default=32, help="frames to simulate")
    parser.add_argument("--ebno", type=float, default=-10.0, help="Eb/N0 in dB")
    parser.add_argument("--seed", type=int, default=1, help="seed of np.random.default_rng")
    parser.add_argument("--dtype", choices=("complex64", "complex128"), default="complex64",
                        help="complex64 matches sixg's cf32; complex128 is NumPy's default")
    parser.add_argument("--threads-note", default=None,
                        help="free text recorded in the output (BLAS threads come from OPENBLAS_NUM_THREADS, default 2)")
    args = parser.parse_args()
    if args.batch_size < 1 or args.frames < 1:
        parser.error("--batch-size and --frames must be >= 1")
    result = run(args.frames, args.batch_size, args.ebno, args.seed, args.dtype)
    result["blas_threads"] = os.environ.get("OPENBLAS_NUM_THREADS")
    if args.threads_note is not None:
        result["threads_note"] = args.threads_note
    print(json.dumps(result))


if __name__ == "__main__":
    main()
