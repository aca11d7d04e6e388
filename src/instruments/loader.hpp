#pragma once
// Reads instrument files (docs/instrument-format.md) and checks everything the format
// promises, so the rest of GIDS can trust an Instrument without checking again.
// Failures are Error::invalid whose message reads like a compiler's:
//   "instruments/x.yaml:12:7: Het thema ‘G’ staat niet onder ‘themes’."
// with 1-based line and column; when a file has several problems, the first one found
// is reported, always the same one. Nothing throws, whatever the input.

#include "domain/error.hpp"
#include "domain/instrument.hpp"

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace gids {

// Generous bounds that no real instrument reaches; they keep a hostile upload (aliases
// that repeat a large list, say) from costing unbounded time or memory.
inline constexpr std::size_t max_instrument_bytes = 1024 * 1024;
inline constexpr std::size_t max_instrument_steps = 100;
inline constexpr std::size_t max_instrument_items = 2000;
inline constexpr std::size_t max_item_options = 200;

// `file_name` only names the source in messages.
Result<Instrument> load_instrument_text(std::string_view yaml, std::string_view file_name);

// As above, and the instrument's `id` must equal the file name without `.yaml`.
Result<Instrument> load_instrument_file(const std::filesystem::path& path);

// Every `*.yaml` file directly in `dir`, in file name order; the first failure wins.
Result<std::vector<Instrument>> load_instrument_dir(const std::filesystem::path& dir);

} // namespace gids
