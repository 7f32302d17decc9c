// Counts every heap allocation the process makes (malloc, calloc, realloc, aligned forms; operator new
// and Eigen end there too) while a piece of code runs. glibc lets a program replace malloc; linking
// this file's object does that for the whole test executable. Sanitizer builds replace malloc
// themselves, so there heap_counting_available() is false and the count is always 0: skip the test.
#pragma once

#include <functional>

namespace sixg::test {

[[nodiscard]] bool heap_counting_available();

/// Number of heap allocations (from any thread) made while `body` runs.
long heap_allocations_during(const std::function<void()>& body);

}  // namespace sixg::test
