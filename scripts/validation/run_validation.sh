#!/usr/bin/env bash
# Regenerates the curves of docs/validation.md: sixg against closed-form theory (uncoded, perfect CSI,
# no pilots, no CP) and the default coded scenario. Usage: scripts/validation/run_validation.sh [build dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
sixg=${1:-build/release}/sixg
data=docs/data
img=docs/img
mkdir -p "$data" "$img"
# Debian's python3 has numpy and matplotlib (scripts/install-deps.sh); another python3 on PATH may not.
python=${PYTHON:-/usr/bin/python3}
theory=scripts/validation/theory_curves.py
plot=scripts/plot_ber.py
common=(--code none --csi perfect --pilot-symbols none --cp-length 0 --quiet --threads 2)

# 1. Gray QAM over AWGN, one stream, one antenna.
for mod in qpsk:2:0:12 16qam:4:4:14 64qam:6:8:18 256qam:8:12:22; do
  IFS=: read -r name bits lo hi <<< "$mod"
  "$sixg" simulate "${common[@]}" --channel awgn --num-bs-ant 1 --num-ut 1 --num-ut-ant 1 --detector zf \
    --modulation "$name" --ebno "$lo:1:$hi" --max-frames 400 --target-bit-errors 3000 --json "$data/awgn_$name.json"
  "$python" "$theory" awgn-qam "$data/awgn_${name}_theory.csv" "$lo" "$hi" 0.25 --bits "$bits"
done
"$python" "$plot" "$img/awgn_qam.png" --title "Gray QAM over AWGN: sixg (markers) vs exact theory (dashed)" \
  QPSK="$data/awgn_qpsk.json" 16QAM="$data/awgn_16qam.json" 64QAM="$data/awgn_64qam.json" 256QAM="$data/awgn_256qam.json" \
  --theory QPSK-theory="$data/awgn_qpsk_theory.csv" --theory 16QAM-theory="$data/awgn_16qam_theory.csv" \
  --theory 64QAM-theory="$data/awgn_64qam_theory.csv" --theory 256QAM-theory="$data/awgn_256qam_theory.csv"

# 2. Rayleigh block fading, MRC with L antennas; ZF with Nr = 4 and Nt = 2 (L = 3), both UT layouts.
short=(--fft-size 16 --num-ofdm-symbols 1 --batch-size 1024 --max-frames 200000 --target-bit-errors 4000)
for L in 1 2 4; do
  "$sixg" simulate "${common[@]}" "${short[@]}" --channel rayleigh --num-bs-ant "$L" --num-ut 1 --num-ut-ant 1 \
    --detector mrc --ebno 0:2:20 --json "$data/rayleigh_mrc_$L.json"
  "$python" "$theory" rayleigh-mrc "$data/rayleigh_mrc_${L}_theory.csv" 0 20 0.5 --branches "$L"
done
"$sixg" simulate "${common[@]}" "${short[@]}" --channel rayleigh --num-bs-ant 4 --num-ut 2 --num-ut-ant 1 \
  --detector zf --ebno 0:2:14 --json "$data/rayleigh_zf_2ut.json"
"$sixg" simulate "${common[@]}" "${short[@]}" --channel rayleigh --num-bs-ant 4 --num-ut 1 --num-ut-ant 2 \
  --detector zf --ebno -4:2:10 --json "$data/rayleigh_zf_1ut2ant.json"
"$python" "$theory" rayleigh-mrc "$data/rayleigh_zf_2ut_theory.csv" 0 14 0.5 --branches 3
"$python" "$theory" rayleigh-mrc "$data/rayleigh_zf_1ut2ant_theory.csv" -4 10 0.5 --branches 3 --streams-per-ut 2
"$python" "$plot" "$img/rayleigh_mrc_zf.png" --title "Rayleigh: MRC with L antennas, ZF Nr=4 Nt=2 (L=3)" \
  "MRC L=1=$data/rayleigh_mrc_1.json" "MRC L=2=$data/rayleigh_mrc_2.json" "MRC L=4=$data/rayleigh_mrc_4.json" \
  "ZF 2 UTs=$data/rayleigh_zf_2ut.json" "ZF 1 UT x 2 ant=$data/rayleigh_zf_1ut2ant.json" \
  --theory "L=1=$data/rayleigh_mrc_1_theory.csv" --theory "L=2=$data/rayleigh_mrc_2_theory.csv" \
  --theory "L=4=$data/rayleigh_mrc_4_theory.csv" --theory "ZF L=3=$data/rayleigh_zf_2ut_theory.csv" \
  --theory "ZF L=3, S_tx=2=$data/rayleigh_zf_1ut2ant_theory.csv"

# 3. TDL with perfect CSI, one antenna: per-RE Rayleigh (A, C) and Rician (D: K=8.98 dB, E: 9.27 dB).
for m in a c d e; do
  "$sixg" simulate "${common[@]}" --channel "tdl-$m" --num-bs-ant 1 --num-ut 1 --num-ut-ant 1 --detector zf \
    --fft-size 64 --num-ofdm-symbols 2 --batch-size 256 --ebno 0:2:20 --max-frames 100000 --target-bit-errors 4000 \
    --json "$data/tdl_$m.json"
done
"$python" "$theory" rayleigh-mrc "$data/tdl_rayleigh_theory.csv" 0 20 0.5 --branches 1
"$python" "$theory" rician "$data/tdl_d_theory.csv" 0 20 0.5 --k-db 8.985
"$python" "$theory" rician "$data/tdl_e_theory.csv" 0 20 0.5 --k-db 9.271
"$python" "$plot" "$img/tdl_per_re.png" --title "TDL, perfect CSI, 1x1: per-RE Rayleigh (A, C) and Rician (D, E)" \
  "TDL-A=$data/tdl_a.json" "TDL-C=$data/tdl_c.json" "TDL-D=$data/tdl_d.json" "TDL-E=$data/tdl_e.json" \
  --theory "Rayleigh=$data/tdl_rayleigh_theory.csv" --theory "Rician K=8.98 dB=$data/tdl_d_theory.csv" \
  --theory "Rician K=9.27 dB=$data/tdl_e_theory.csv"

# 4. The seed scenario: uncoded and the default coded run (LDPC 1/2, TDL-C, LS, LMMSE).
"$sixg" simulate --code none --ebno -16:2:0 --max-frames 50 --target-block-errors 200 --quiet --json "$data/seed_uncoded.json"
"$sixg" simulate --quiet --json "$data/seed_default.json"
"$python" "$plot" "$img/seed_scenario.png" --title "Seed scenario (32 BS ant, 8 UTs x 2 ant, TDL-C, LS, LMMSE)" \
  "uncoded=$data/seed_uncoded.json" "LDPC r=1/2 (default)=$data/seed_default.json"
echo "validation curves written to $img/"
