#pragma once
// Practice examples (praktijkvoorbeelden): the knowledge base of GIDS. Built-in examples come
// from content/examples/*.md; coordinators submit their own municipality's example, which an
// administrator publishes or rejects. The reference texts (themes, principles, tracks,
// lessons, learning circles) give the words examples are filed under.
//
// Reading files is not domain work: src/instruments/content_loader.hpp builds these values.

#include "domain/error.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gids {

// The fixed vocabularies examples are filed under.
inline constexpr std::array<std::string_view, 6> example_themes{"A", "B", "C", "D", "E", "F"};
inline constexpr std::array<std::string_view, 5> example_tracks{
    "fysieke-omgeving", "gedrag-en-vaardigheden", "participatie", "preventie-en-zorg",
    "sociale-omgeving"};
inline constexpr int example_principle_count = 9;
inline constexpr std::array<std::string_view, 4> example_life_phases{"jeugd", "volwassenen",
                                                                     "ouderen", "alle leeftijden"};

bool is_example_theme(std::string_view id);
bool is_example_track(std::string_view id);
bool is_example_principle(int number);
bool is_example_life_phase(std::string_view phase);

enum class ExampleStatus { submitted, published, rejected };

// "ingediend", "gepubliceerd", "afgewezen": the words stored and shown.
std::string_view example_status_name(ExampleStatus status);
std::optional<ExampleStatus> parse_example_status(std::string_view name);

// Where an example comes from: a source document, a submission, or the benchmark generator.
enum class ExampleOrigin { source, submission, generated };

std::string_view example_origin_name(ExampleOrigin origin); // "bron", "inzending", "gegenereerd"
std::optional<ExampleOrigin> parse_example_origin(std::string_view name);

struct ExampleSource {
    std::string document;
    std::string file;
    std::string section;
    bool operator==(const ExampleSource&) const = default;
};

struct ExampleLink {
    std::string name;
    std::string url; // empty when the source names the link without an address
    bool operator==(const ExampleLink&) const = default;
};

struct Example {
    std::string slug; // the file name without .md; the address /inspiratie/{slug}
    std::string title;
    std::string municipality; // a municipality, a region or "landelijk"
    std::vector<std::string> organisations;
    ExampleSource source;
    std::vector<std::string> themes; // A-F, the first is the main theme
    std::vector<std::string> tracks;
    std::vector<int> principles; // 1-9
    std::vector<std::string> target_groups;
    std::vector<std::string> life_phases;
    std::vector<ExampleLink> links;
    std::string body; // Markdown, in GIDS's own words
    bool operator==(const Example&) const = default;
};

// What a coordinator types into the form; lists are one entry per line.
struct ExampleSubmission {
    std::string title;
    std::string summary;
    std::vector<std::string> themes;
    std::vector<std::string> tracks;
    std::vector<std::string> principles;
    std::vector<std::string> life_phases;
    std::string target_groups;
    std::string organisations;
};

inline constexpr std::size_t max_example_title = 150;
inline constexpr std::size_t max_example_summary = 8000;
inline constexpr std::size_t max_example_list_entries = 10;
inline constexpr std::size_t max_example_list_entry = 120;

// Checks a submission; errors per field in plain Dutch. The example gets no slug here.
Result<Example> validate_submission(const ExampleSubmission& input,
                                    const std::string& municipality);

// Lower case ASCII letters, digits and '-' from a title: "Súdwest-Fryslân" -> "sudwest-fryslan".
std::string slugify(std::string_view title);
bool is_valid_slug(std::string_view slug);
// Slugs that would hide a page under /inspiratie/.
bool is_reserved_slug(std::string_view slug);

// Removes control characters (keeping line breaks and tabs) so that no stored text can
// carry the markers search uses to highlight words.
std::string without_control_characters(std::string_view text);

// The text of a Markdown body without its markup, for the search index and snippets:
// link targets, emphasis marks, heading marks and list bullets go.
std::string markdown_plain_text(std::string_view markdown);

// How search and slugs see a letter: lower case, accents folded away (é -> e, ĳ -> ij,
// ß -> ss). Returns "" for code points that are not letters or digits; code points beyond
// the Latin, Greek and Cyrillic blocks count as separators.
std::string fold_letter(char32_t code_point);

// Decodes one UTF-8 code point at `pos`, advancing it; invalid bytes give U+FFFD and skip one.
char32_t next_code_point(std::string_view text, std::size_t& pos);

// The reference texts behind the vocabularies.
struct ReferenceEntry {
    std::string id;                    // "A", "participatie", "3"
    std::string title;                 // may be empty (learning circle themes have none)
    std::string short_title;           // principles only
    std::string text;                  // explanation, several paragraphs separated by blank lines
    std::vector<std::string> examples; // lessons only: slugs named in the source
};

struct ReferenceSet {
    ExampleSource source;
    std::string intro; // tracks and learning circles have one
    std::vector<ReferenceEntry> items;

    const ReferenceEntry* find(std::string_view id) const;
};

struct Reference {
    ReferenceSet themes;
    ReferenceSet principles;
    ReferenceSet tracks;
    ReferenceSet lessons;
    ReferenceSet circles;
};

// Benchmark data only (`gids content generate`): `count` examples recombined from the
// paragraphs of `from`, deterministic for a given seed, slugs "gegenereerd-N".
std::vector<Example> generate_examples(const std::vector<Example>& from, std::size_t count,
                                       unsigned seed = 42);

} // namespace gids
