// Catch2 v2 main for reachlens_tests; the test cases live in the other tests/*.cpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
