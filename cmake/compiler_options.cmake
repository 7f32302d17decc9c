# One interface target carries the warning, optimisation and sanitizer flags for every sixg target.
add_library(sixg_options INTERFACE)
target_compile_options(sixg_options INTERFACE -Wall -Wextra -Wpedantic)
# No implicit a*b+c -> FMA contraction: GCC contracts in C++ even in ISO mode, and a loop's vector body
# and scalar remainder could then round differently. A frame's arithmetic must not depend on where it
# sits in a batch (DESIGN §3).
target_compile_options(sixg_options INTERFACE -ffp-contract=off)
if(SIXG_WERROR)
  target_compile_options(sixg_options INTERFACE -Werror)
endif()
if(SIXG_NATIVE)
  target_compile_options(sixg_options INTERFACE -march=native)
  # And no FMA instruction at all, so that native and portable builds share the arithmetic:
  # -ffp-contract=off does not stop explicit intrinsics (Eigen's kernels call FMA whenever the target
  # has it) nor GCC 12's complex multiply-add patterns (vfmaddsub). tests/phy/no_fused_multiply_add_test
  # checks the result. (bench/roofline_bench.cpp turns FMA back on for its own peak measurement.)
  # -mno-avx512f as well: on an AVX-512 machine GCC keeps AVX-512F without FMA, which Eigen refuses to
  # compile ("compiling with -mavx512f alone without SSE/AVX FMA is not supported"), and AVX-512F brings
  # its own fused multiply-adds. The kernels use 8-lane (ymm) vectors, so native builds stop at AVX2
  # on every x86-64 machine and run the same instructions as a portable build's AVX2 kernels.
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
    target_compile_options(sixg_options INTERFACE -mno-fma -mno-avx512f)
  endif()
endif()
if(SIXG_SANITIZE)
  target_compile_options(sixg_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                -fno-sanitize-recover=undefined)
  target_link_options(sixg_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(sixg_options INTERFACE SIXG_SANITIZE=1)
endif()
