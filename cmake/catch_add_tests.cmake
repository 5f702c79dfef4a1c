# Script mode helper of ReachLensCatch.cmake: lists the test cases of a Catch2
# v2 executable and writes one add_test() per test case into CTEST_FILE.
#   -DTEST_EXECUTABLE= -DTEST_EXECUTOR= -DTEST_WORKING_DIR= -DTEST_EXTRA_ARGS= -DCTEST_FILE=

if(NOT EXISTS "${TEST_EXECUTABLE}")
  message(FATAL_ERROR "Test executable '${TEST_EXECUTABLE}' does not exist")
endif()

execute_process(
  COMMAND ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" --list-test-names-only
  OUTPUT_VARIABLE output
  ERROR_VARIABLE errors
  RESULT_VARIABLE result
  WORKING_DIRECTORY "${TEST_WORKING_DIR}")
# Catch2 v2 exits with the number of test cases listed (mod 256); anything
# that is not a number means the executable could not run.
if(NOT result MATCHES "^[0-9]+$")
  message(FATAL_ERROR "Running '${TEST_EXECUTABLE}' to list its tests failed: ${result}\n${errors}\n${output}")
endif()

# Split the output into lines without letting CMake's list rules touch the
# names: ';' separates list items and '[' ']' group them, so hide them first.
string(ASCII 1 _semi)
string(ASCII 2 _lbr)
string(ASCII 3 _rbr)
string(REPLACE ";" "${_semi}" output "${output}")
string(REPLACE "[" "${_lbr}" output "${output}")
string(REPLACE "]" "${_rbr}" output "${output}")
string(REPLACE "\r" "" output "${output}")
string(REPLACE "\n" ";" lines "${output}")

# quote(<out> <text>): <text> as a CMake bracket argument.
function(quote out text)
  set(eq "=")
  while(text MATCHES "]${eq}]")
    string(APPEND eq "=")
  endwhile()
  set(${out} "[${eq}[${text}]${eq}]" PARENT_SCOPE)
endfunction()

set(command_tail "")
foreach(arg IN LISTS TEST_EXTRA_ARGS)
  quote(q "${arg}")
  string(APPEND command_tail " ${q}")
endforeach()
set(executor "")
foreach(arg IN LISTS TEST_EXECUTOR)
  quote(q "${arg}")
  string(APPEND executor "${q} ")
endforeach()
quote(exe "${TEST_EXECUTABLE}")
quote(wd "${TEST_WORKING_DIR}")

set(script "")
set(count 0)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(REPLACE "${_semi}" ";" name "${line}")
  string(REPLACE "${_lbr}" "[" name "${name}")
  string(REPLACE "${_rbr}" "]" name "${name}")
  # Catch's test spec: '\' escapes; ',' separates specs; '[' ']' mark tags.
  set(spec "${name}")
  string(REPLACE "\\" "\\\\" spec "${spec}")
  foreach(char , [ ])
    string(REPLACE "${char}" "\\${char}" spec "${spec}")
  endforeach()
  quote(qname "${name}")
  quote(qspec "${spec}")
  string(APPEND script
    "add_test(${qname} ${executor}${exe} ${qspec}${command_tail})\n"
    "set_tests_properties(${qname} PROPERTIES WORKING_DIRECTORY ${wd})\n")
  math(EXPR count "${count} + 1")
endforeach()

file(WRITE "${CTEST_FILE}" "# ${count} Catch2 test cases of ${TEST_EXECUTABLE}\n${script}")
