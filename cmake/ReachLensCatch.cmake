# reachlens_catch_discover_tests(<target> [WORKING_DIRECTORY dir] [EXTRA_ARGS args...])
#
# Registers one CTest test per Catch2 (v2) test case of <target>. After each
# build of <target> its test cases are listed (--list-test-names-only, run
# through the target's CROSSCOMPILING_EMULATOR, i.e. node for the wasm build)
# and cmake/catch_add_tests.cmake writes the add_test() calls that CTest loads.
#
# Like Catch2's own catch_discover_tests, but test names may contain ';',
# unbalanced brackets, quotes, commas or backslashes, and every test runs with
# "--warn NoTests" so a name that fails to select its test case fails instead
# of passing silently.
set(_REACHLENS_CATCH_ADD_TESTS_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/catch_add_tests.cmake")

function(reachlens_catch_discover_tests TARGET)
  cmake_parse_arguments(_arg "" "WORKING_DIRECTORY" "EXTRA_ARGS" ${ARGN})
  if(NOT _arg_WORKING_DIRECTORY)
    set(_arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
  endif()
  get_property(_emulator TARGET ${TARGET} PROPERTY CROSSCOMPILING_EMULATOR)

  set(_include_file "${CMAKE_CURRENT_BINARY_DIR}/${TARGET}_include.cmake")
  set(_tests_file "${CMAKE_CURRENT_BINARY_DIR}/${TARGET}_tests.cmake")
  add_custom_command(TARGET ${TARGET} POST_BUILD
    BYPRODUCTS "${_tests_file}"
    COMMAND "${CMAKE_COMMAND}"
            "-DTEST_EXECUTABLE=$<TARGET_FILE:${TARGET}>"
            "-DTEST_EXECUTOR=${_emulator}"
            "-DTEST_WORKING_DIR=${_arg_WORKING_DIRECTORY}"
            "-DTEST_EXTRA_ARGS=${_arg_EXTRA_ARGS}"
            "-DCTEST_FILE=${_tests_file}"
            -P "${_REACHLENS_CATCH_ADD_TESTS_SCRIPT}"
    COMMENT "Listing the Catch2 test cases of ${TARGET}"
    VERBATIM)

  file(WRITE "${_include_file}"
    "if(EXISTS \"${_tests_file}\")\n"
    "  include(\"${_tests_file}\")\n"
    "else()\n"
    "  add_test(${TARGET}_NOT_BUILT ${TARGET}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${_include_file}")
endfunction()
