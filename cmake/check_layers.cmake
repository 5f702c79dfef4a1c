# The layering rule as a test (CTest "layers_include_rules"; run by hand with
#   cmake -DSOURCE_DIR=. -P cmake/check_layers.cmake).
# The build already refuses a backward include (each layer's include root holds only
# the layers it may use, CMakeLists.txt "layers"); this check also catches what an include
# root cannot: relative "../" paths, and platform headers or calls that a layer could
# reach through the system include path.
#
#   core <- model <- ui <- app -> platform        core <- tools        core <- worker        cli, bench, tests -> tools, core, platform
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<repository root>")
endif()
get_filename_component(SOURCE_DIR "${SOURCE_DIR}" ABSOLUTE)

# folder: regular expressions no source line in it may match
set(_browser "#include <(emscripten|GLES|GLFW)|EM_JS|EM_ASM|EMSCRIPTEN_KEEPALIVE|__EMSCRIPTEN__")
set(_rules
  "src/core|#include \"(model|ui|app|platform|cli|tools)/|imgui|${_browser}"
  "src/tools|#include \"(model|ui|app|platform|cli)/|imgui|${_browser}"
  # The engine's stages, each after the ones it may include (CMakeLists.txt "core"):
  # time < model < audience < read < checks < simulation < output, insight; draft after read;
  # explore after output; reconcile after simulation.
  "src/core/time|#include \"core/(model|audience|read|checks|simulation|output|insight|draft|explore|reconcile)/"
  "src/core/model|#include \"core/(audience|read|checks|simulation|output|insight|draft|explore|reconcile)/"
  "src/core/audience|#include \"core/(read|checks|simulation|output|insight|draft|explore|reconcile)/"
  "src/core/read|#include \"core/(checks|simulation|output|insight|draft|explore|reconcile)/"
  "src/core/checks|#include \"core/(simulation|output|insight|draft|explore|reconcile)/"
  "src/core/simulation|#include \"core/(output|insight|draft|explore|reconcile)/"
  "src/core/output|#include \"core/(insight|draft|explore|reconcile)/"
  "src/core/insight|#include \"core/(output|draft|explore|reconcile)/"
  "src/core/explore|#include \"core/(insight|draft|reconcile)/"
  "src/core/reconcile|#include \"core/(output|insight|draft|explore)/"
  "src/core/draft|#include \"core/(checks|simulation|output|insight|explore|reconcile)/"
  "src/model|#include \"(ui|app|platform|cli|tools)/|imgui|${_browser}"
  "src/ui|#include \"(app|platform|cli|tools)/|imgui_impl_|${_browser}"
  "src/worker|#include \"(model|ui|app|platform|cli|tools)/|imgui"
  "src/platform|#include \"(model|ui|app|cli|tools)/|imgui"
  "src/cli|#include \"(model|ui|app)/|imgui|${_browser}"
  "bench|#include \"(model|ui|app)/|imgui|${_browser}")

set(_failures "")
file(GLOB_RECURSE _all RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/src/*.h" "${SOURCE_DIR}/src/*.cpp"
     "${SOURCE_DIR}/bench/*.h" "${SOURCE_DIR}/bench/*.cpp")
foreach(_file IN LISTS _all)
  file(STRINGS "${SOURCE_DIR}/${_file}" _lines)
  set(_patterns "#include \"\\.\\./")   # everywhere: name the layer, never climb out of it
  foreach(_rule IN LISTS _rules)
    string(FIND "${_rule}" "|" _bar)
    string(SUBSTRING "${_rule}" 0 ${_bar} _folder)
    math(EXPR _rest "${_bar} + 1")
    string(SUBSTRING "${_rule}" ${_rest} -1 _forbidden)
    if(_file MATCHES "^${_folder}/")
      list(APPEND _patterns "${_forbidden}")
    endif()
  endforeach()
  foreach(_line IN LISTS _lines)
    foreach(_pattern IN LISTS _patterns)
      if(_line MATCHES "${_pattern}")
        list(APPEND _failures "${_file}: ${_line}")
      endif()
    endforeach()
  endforeach()
endforeach()

if(_failures)
  list(JOIN _failures "\n  " _text)
  message(FATAL_ERROR "includes or calls against the layering (README \"Architecture\"):\n  ${_text}")
endif()
list(LENGTH _all _count)
message(STATUS "layers: ${_count} files follow the include rules")
