#!/usr/bin/python3
"""End-to-end throughput of sixg vs the batched NumPy reference on the uncoded seed chain.

Both run the same number of frames at each Eb/N0, alternately, several times in the same run;
the table reports the median information-bit throughput of each and the ratio sixg/NumPy, and
checks that the two BERs agree (different random numbers, same statistics).

Usage (Debian's python, which has NumPy):
  /usr/bin/python3 bench/compare_numpy.py --sixg build-bench/sixg --frames 64 --repeats 3
Prints a markdown table preceded by the machine line and the date.
"""
import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "numpy_reference.py")


def machine_line():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()
    return (f"{model}, {os.cpu_count()} logical cores visible, {platform.system()} {platform.release()}, "
            f"load average at start {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}")


def numpy_line():
    """NumPy version and the BLAS it resolves to (Debian's NumPy links the libblas.so.3 alternative)."""
    version = subprocess.run(["/usr/bin/python3", "-c", "import numpy; print(numpy.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    return f"NumPy {version} (/usr/bin/python3 {platform.python_version()}), BLAS {blas}"


def run_sixg(binary, ebno, frames, batch, threads, seed):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.json")
        # --target-block-errors is lifted: its default (100) would end the point before --max-frames.
        cmd = [binary, "simulate", "--code", "none", "--csi", "perfect", "--pilot-symbols", "none",
               "--cp-length", "0", "--channel", "rayleigh", "--detector", "lmmse", "--ebno", str(ebno),
               "--max-frames", str(frames), "--batch-size", str(batch), "--threads", str(threads),
               "--seed", str(seed), "--target-block-errors", str(2**62), "--quiet", "--json", out]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            doc = json.load(f)
    point = doc["points"][0]
    return {"bits": point["num_bits"], "bit_errors": point["bit_errors"],
            "bits_per_s": point["throughput_bits_per_s"], "seconds": point["runtime_s"]}


def run_numpy(ebno, frames, batch, seed, dtype, blas_threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(blas_threads), OMP_NUM_THREADS=str(blas_threads))
    cmd = ["/usr/bin/python3", REFERENCE, "--ebno", str(ebno), "--frames", str(frames),
           "--batch-size", str(batch), "--seed", str(seed), "--dtype", dtype]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout)


def ber_z(sixg_errors, sixg_frames, numpy_frame_errors, bits_per_frame):
    """z statistic of the BER difference with the frame as the independent unit.

    Bit errors inside a frame are strongly correlated (one fading draw per frame), so a binomial
    interval on bits would be far too narrow. Under the hypothesis that both simulate the same link,
    the per-frame BER has the same variance on both sides; NumPy's per-frame counts estimate it.
    """
    per_frame = [e / bits_per_frame for e in numpy_frame_errors]
    var = statistics.variance(per_frame)
    se = math.sqrt(var * (1.0 / sixg_frames + 1.0 / len(per_frame)))
    diff = sixg_errors / (sixg_frames * bits_per_frame) - statistics.fmean(per_frame)
    return diff / se if se > 0 else (0.0 if diff == 0 else math.inf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sixg", default=os.path.join(HERE, "..", "build-bench", "sixg"))
    parser.add_argument("--ebno", type=float, nargs="+", default=[-10.0, -8.0])
    parser.add_argument("--frames", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="sixg --threads and NumPy BLAS threads")
    parser.add_argument("--dtype", choices=("complex64", "complex128"), default="complex64")
    parser.add_argument("--z-bound", type=float, default=3.0,
                        help="|z| bound of the BER check (3 = 99.7 %% two-sided), frames as the sample unit")
    args = parser.parse_args()

    print(f"Machine: {machine_line()}")
    print(f"NumPy: {numpy_line()}")
    print(f"Date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"Work per run: {args.frames} frames x 229376 bits, batch {args.batch_size}, sixg --threads "
          f"{args.threads}, NumPy {args.dtype} with OPENBLAS_NUM_THREADS={args.threads}, {args.repeats} repeats")
    print()
    print("| Eb/N0 (dB) | sixg Mbit/s | NumPy Mbit/s | sixg/NumPy | sixg BER | NumPy BER | BER check |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    all_ok = True
    for ebno in args.ebno:
        sixg_rates, numpy_rates = [], []
        sixg_err = sixg_bits = 0
        numpy_frame_errors = []
        for r in range(args.repeats):
            # Alternate the two so that a change of machine load hits both alike.
            s = run_sixg(args.sixg, ebno, args.frames, args.batch_size, args.threads, seed=1000 + r)
            n = run_numpy(ebno, args.frames, args.batch_size, 2000 + r, args.dtype, args.threads)
            if s["bits"] != n["bits"]:
                raise SystemExit(f"sixg simulated {s['bits']} bits but NumPy {n['bits']}: not the same work")
            sixg_rates.append(s["bits_per_s"])
            numpy_rates.append(n["bits_per_s"])
            sixg_err += s["bit_errors"]
            sixg_bits += s["bits"]
            numpy_frame_errors += n["frame_errors"]
            print(f"  run {r}: Eb/N0 {ebno}: sixg {s['bits_per_s'] / 1e6:.2f} Mbit/s ({s['bits']} bits), NumPy "
                  f"{n['bits_per_s'] / 1e6:.2f} Mbit/s, NumPy stage seconds {json.dumps(n['stage_seconds'])}",
                  file=sys.stderr)
        s_med = statistics.median(sixg_rates)
        n_med = statistics.median(numpy_rates)
        bits_per_frame = n["bits"] / args.frames
        sixg_frames = round(sixg_bits / bits_per_frame)
        s_ber = sixg_err / sixg_bits
        n_ber = sum(numpy_frame_errors) / (len(numpy_frame_errors) * bits_per_frame)
        z = ber_z(sixg_err, sixg_frames, numpy_frame_errors, bits_per_frame)
        ok = abs(z) < args.z_bound and sixg_err > 0 and sum(numpy_frame_errors) > 0
        all_ok = all_ok and ok
        ratio = s_med / n_med
        print(f"| {ebno:g} | {s_med / 1e6:.2f} | {n_med / 1e6:.2f} | {ratio:.2f} | {s_ber:.3e} | {n_ber:.3e} | "
              f"{'agree' if ok else 'DISAGREE'} (z={z:+.2f}) |")
    print()
    print("BERs agree at every point" if all_ok else "BER MISMATCH: see the table")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
