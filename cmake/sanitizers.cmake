# Sanitizer and fuzzing builds. Included from the top-level CMakeLists.txt.
#
#   -DRECTIFY_SANITIZE=address   AddressSanitizer + UndefinedBehaviorSanitizer (gcc or clang)
#   -DRECTIFY_SANITIZE=thread    ThreadSanitizer
#   -DRECTIFY_FUZZ=ON            clang only: everything instrumented for libFuzzer
#                                (-fsanitize=fuzzer-no-link,address,undefined) and the fuzz
#                                targets of tests/fuzz built
#
# The flags apply to every target of the build (our libraries, the generated protobuf code, the
# tests), so that a report points at our code whichever library it starts in. Debian's own
# libraries (gRPC, protobuf, absl, SQLite) stay uninstrumented: see tests/sanitize.sh for what
# that means for ThreadSanitizer.
set(RECTIFY_SANITIZE "" CACHE STRING "Sanitizer build: address (ASan+UBSan) or thread (TSan)")
set_property(CACHE RECTIFY_SANITIZE PROPERTY STRINGS "" address thread)
option(RECTIFY_FUZZ "Build the libFuzzer targets (clang; implies ASan+UBSan)" OFF)

set(RECTIFY_SANITIZER_FLAGS "")
if(RECTIFY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "RECTIFY_FUZZ needs clang: -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(RECTIFY_SANITIZER_FLAGS -fsanitize=fuzzer-no-link,address,undefined)
elseif(RECTIFY_SANITIZE STREQUAL "address")
  set(RECTIFY_SANITIZER_FLAGS -fsanitize=address,undefined)
elseif(RECTIFY_SANITIZE STREQUAL "thread")
  set(RECTIFY_SANITIZER_FLAGS -fsanitize=thread)
elseif(NOT RECTIFY_SANITIZE STREQUAL "")
  message(FATAL_ERROR "RECTIFY_SANITIZE must be address or thread, not ${RECTIFY_SANITIZE}")
endif()

if(RECTIFY_SANITIZER_FLAGS)
  # A finding stops the program (and fails the test) instead of scrolling past.
  # -O1 -g1 (after the build type's -O2 -g, so they win): instrumented code at -O2 with full
  # debug information took gcc 3.5 times as long as the plain build; at -O1 with line tables
  # clang needs about what the plain build needs, and the reports still name file and line.
  # See docs/development.md "CI time".
  add_compile_options(${RECTIFY_SANITIZER_FLAGS} -fno-omit-frame-pointer -O1 -g1)
  if(NOT RECTIFY_SANITIZE STREQUAL "thread")
    add_compile_options(-fno-sanitize-recover=all)
  endif()
  # The linker gets the runtime part only (libFuzzer's main is linked into fuzz targets alone).
  string(REPLACE "fuzzer-no-link," "" RECTIFY_SANITIZER_LINK "${RECTIFY_SANITIZER_FLAGS}")
  add_link_options(${RECTIFY_SANITIZER_LINK})
endif()

# TSan only: the LD_PRELOAD library that tells TSan about absl::Mutex (see its header comment).
if(RECTIFY_SANITIZE STREQUAL "thread")
  add_library(rectify_tsan_absl_annotations SHARED
    ${PROJECT_SOURCE_DIR}/tests/tsan/absl_mutex_annotations.cc)
  target_link_libraries(rectify_tsan_absl_annotations PRIVATE absl::synchronization ${CMAKE_DL_LIBS})
endif()
if(RECTIFY_SANITIZE STREQUAL "thread")
  add_executable(rectify_tsan_deliberate_race ${PROJECT_SOURCE_DIR}/tests/tsan/deliberate_race.cc)
  target_link_libraries(rectify_tsan_deliberate_race PRIVATE absl::synchronization Threads::Threads)
endif()
