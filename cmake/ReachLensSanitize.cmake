# Sanitizer and fuzzing builds (issue 10). Included right after project() so the flags
# reach every target, the engine (reachlens_core) included.
#
#   REACHLENS_SANITIZE=ON   ASan + UBSan, no recovery: any report fails the test.
#                           scripts/test.sh builds reachlens_tests and the CLI this way
#                           (build/sanitize, clang, -O1) and runs the Catch2 suite.
#   REACHLENS_FUZZ=ON       libFuzzer targets (fuzz/CMakeLists.txt); needs clang. Implies
#                           REACHLENS_SANITIZE, and instruments the whole build for
#                           coverage (-fsanitize=fuzzer-no-link), so one build dir holds
#                           both the sanitizer suite and the fuzzers.
option(REACHLENS_SANITIZE "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(REACHLENS_FUZZ "Build the libFuzzer targets in fuzz/ (clang only)" OFF)

if(REACHLENS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "REACHLENS_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(REACHLENS_SANITIZE ON CACHE BOOL "" FORCE)
endif()

if(REACHLENS_SANITIZE)
  if(EMSCRIPTEN)
    message(FATAL_ERROR "REACHLENS_SANITIZE is for native builds")
  endif()
  set(REACHLENS_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_compile_options(${REACHLENS_SANITIZER_FLAGS})
  add_link_options(-fsanitize=address,undefined)
  if(REACHLENS_FUZZ)
    add_compile_options(-fsanitize=fuzzer-no-link)
    # clang 14 cannot emit coverage together with UBSan for the snapshot reader's C++20
    # coroutines ("Cannot represent a difference across sections"): that file is built
    # under ASan+UBSan without coverage; the fuzzers still run it, guided by the rest.
    set_source_files_properties("${CMAKE_SOURCE_DIR}/src/core/read/snapshot.cpp" DIRECTORY "${CMAKE_SOURCE_DIR}"
                                PROPERTIES COMPILE_OPTIONS "-fno-sanitize=fuzzer-no-link")
  endif()
endif()
