#pragma once
// Usage errors of the `gids` command in Dutch: CLI11 words them in English.

#include <string>

namespace gids::cli {

// The Dutch line for a CLI11 error message (what()), without "gids: " before it. Messages
// it does not know keep their own words after a Dutch opening.
std::string dutch_usage_error(const std::string& message);

} // namespace gids::cli
