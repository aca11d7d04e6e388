#pragma once
// Reads the knowledge base under content/: practice examples (content/examples/*.md, a YAML
// front matter between two `---` lines, then Markdown) and the reference texts
// (content/reference/*.yaml). Failures are Error::invalid whose message names the place:
//   "content/examples/x.md:7:9: Het thema ‘G’ bestaat niet; kies uit A, B, C, D, E en F."
// with 1-based line and column. The first problem found is reported. Nothing throws.

#include "domain/error.hpp"
#include "domain/example.hpp"

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace gids {

inline constexpr std::size_t max_example_file_bytes = 256 * 1024;

// One example file. `file_name` only names the source in messages; `slug` becomes the
// example's address and must be a valid slug.
Result<Example> parse_example(std::string_view text, std::string_view file_name,
                              std::string_view slug);

// As above; the slug is the file name without `.md`.
Result<Example> load_example_file(const std::filesystem::path& path);

// Every `*.md` directly in `dir`, in file name order; the first failure wins.
Result<std::vector<Example>> load_example_dir(const std::filesystem::path& dir);

// themas.yaml, principes.yaml, sporen.yaml, lessen.yaml and leerkringen.yaml in `dir`.
Result<Reference> load_reference_dir(const std::filesystem::path& dir);

struct Content {
    Reference reference;
    std::vector<Example> examples;
};

// `content_dir`/reference and `content_dir`/examples; the examples a lesson names must exist.
Result<Content> load_content(const std::filesystem::path& content_dir);

} // namespace gids
