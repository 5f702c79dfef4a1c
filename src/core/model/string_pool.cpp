#include "core/model/string_pool.h"

#include <stdexcept>

namespace rl {

// Out of line: the header is also compiled into the wasm build's exception-free hot stages.
void string_pool_full() { throw std::length_error("a string pool holds at most 4 GB of text"); }

}  // namespace rl
