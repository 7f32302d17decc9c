# One interface target carries the warning, optimisation and sanitizer flags for every sixg target.
add_library(sixg_options INTERFACE)
target_compile_options(sixg_options INTERFACE -Wall -Wextra -Wpedantic)
# No implicit a*b+c -> FMA contraction: GCC contracts in C++ even in ISO mode, and a loop's vector body
# and scalar remainder could then round differently. A frame's arithmetic must not depend on where it
# sits in a batch (DESIGN §3); kernels that want FMA use it explicitly.
target_compile_options(sixg_options INTERFACE -ffp-contract=off)
if(SIXG_WERROR)
  target_compile_options(sixg_options INTERFACE -Werror)
endif()
if(SIXG_NATIVE)
  target_compile_options(sixg_options INTERFACE -march=native)
endif()
if(SIXG_SANITIZE)
  target_compile_options(sixg_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                -fno-sanitize-recover=undefined)
  target_link_options(sixg_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(sixg_options INTERFACE SIXG_SANITIZE=1)
endif()
