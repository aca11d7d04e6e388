#include "domain/example.hpp"

#include "domain/instrument.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <random>

namespace gids {

namespace {

std::string trimmed(std::string_view text) {
    constexpr std::string_view space = " \t\r\n";
    const auto first = text.find_first_not_of(space);
    if (first == std::string_view::npos)
        return {};
    return std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// U+00C0..U+00FF; '.' marks × and ÷, which are not letters; '1' to '3' mark the letters
// that fold to two (Æ æ -> ae, Þ þ -> th, ß -> ss).
constexpr std::string_view latin1 = "aaaaaa1ceeeeiiiidnooooo.ouuuuy23"
                                    "aaaaaa1ceeeeiiiidnooooo.ouuuuy2y";
// U+0100..U+017F; '1' marks Ĳ ĳ (-> ij), '2' Œ œ (-> oe).
constexpr std::string_view latin_a = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii11jjkkk"
                                     "llllllllllnnnnnnnnnoooooo22rrrrrrsssssssstttttt"
                                     "uuuuuuuuuuuuwwyyyzzzzzzs";

std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto end = text.find('\n', pos);
        std::string line =
            trimmed(text.substr(pos, end == std::string_view::npos ? text.npos : end - pos));
        if (!line.empty())
            out.push_back(std::move(line));
        if (end == std::string_view::npos)
            break;
        pos = end + 1;
    }
    return out;
}

template <typename List> bool contains(const List& list, std::string_view value) {
    return std::ranges::find(list, value) != list.end();
}

std::string too_long(std::string_view what, std::size_t max, std::size_t now) {
    return std::string(what) + " mag hoogstens " + std::to_string(max) + " tekens lang zijn (nu " +
           std::to_string(now) + ").";
}

} // namespace

bool is_example_theme(std::string_view id) {
    return contains(example_themes, id);
}
bool is_example_track(std::string_view id) {
    return contains(example_tracks, id);
}
bool is_example_principle(int number) {
    return number >= 1 && number <= example_principle_count;
}
bool is_example_life_phase(std::string_view phase) {
    return contains(example_life_phases, phase);
}

std::string_view example_status_name(ExampleStatus status) {
    switch (status) {
    case ExampleStatus::submitted:
        return "ingediend";
    case ExampleStatus::published:
        return "gepubliceerd";
    case ExampleStatus::rejected:
        return "afgewezen";
    }
    return "ingediend";
}

std::optional<ExampleStatus> parse_example_status(std::string_view name) {
    for (auto s : {ExampleStatus::submitted, ExampleStatus::published, ExampleStatus::rejected})
        if (example_status_name(s) == name)
            return s;
    return std::nullopt;
}

std::string_view example_origin_name(ExampleOrigin origin) {
    switch (origin) {
    case ExampleOrigin::source:
        return "bron";
    case ExampleOrigin::submission:
        return "inzending";
    case ExampleOrigin::generated:
        return "gegenereerd";
    }
    return "bron";
}

std::optional<ExampleOrigin> parse_example_origin(std::string_view name) {
    for (auto o : {ExampleOrigin::source, ExampleOrigin::submission, ExampleOrigin::generated})
        if (example_origin_name(o) == name)
            return o;
    return std::nullopt;
}

std::string without_control_characters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 || c == '\n' || c == '\t')
            out += byte == 0x7F ? ' ' : c;
        else if (c != '\r')
            out += ' ';
    }
    return out;
}

Result<Example> validate_submission(const ExampleSubmission& input,
                                    const std::string& municipality) {
    std::map<std::string, std::string> errors;
    Example e;
    e.title = trimmed(without_control_characters(input.title));
    e.body = trimmed(without_control_characters(input.summary));
    e.municipality = municipality;
    if (e.title.empty())
        errors["title"] = "Vul een titel in.";
    else if (const auto n = count_characters(e.title); n > max_example_title)
        errors["title"] = too_long("De titel", max_example_title, n);
    if (e.body.empty())
        errors["summary"] = "Beschrijf het voorbeeld in een paar zinnen.";
    else if (const auto n = count_characters(e.body); n > max_example_summary)
        errors["summary"] = too_long("De beschrijving", max_example_summary, n);

    for (const auto& theme : input.themes) {
        if (!is_example_theme(theme))
            errors["themes"] = "Kies de thema's uit de lijst.";
        else if (!contains(e.themes, theme))
            e.themes.push_back(theme);
    }
    if (e.themes.empty() && !errors.contains("themes"))
        errors["themes"] = "Kies ten minste één thema.";
    for (const auto& track : input.tracks) {
        if (!is_example_track(track))
            errors["tracks"] = "Kies de sporen uit de lijst.";
        else if (!contains(e.tracks, track))
            e.tracks.push_back(track);
    }
    for (const auto& text : input.principles) {
        int number = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec != std::errc() || end != text.data() + text.size() || !is_example_principle(number))
            errors["principles"] = "Kies de principes uit de lijst.";
        else if (std::ranges::find(e.principles, number) == e.principles.end())
            e.principles.push_back(number);
    }
    std::ranges::sort(e.principles);
    for (const auto& phase : input.life_phases) {
        if (!is_example_life_phase(phase))
            errors["life_phases"] = "Kies de levensfasen uit de lijst.";
        else if (!contains(e.life_phases, phase))
            e.life_phases.push_back(phase);
    }
    const auto list = [&](const std::string& field, const std::string& text, std::string_view what,
                          std::vector<std::string>& out) {
        out = lines_of(without_control_characters(text));
        if (out.size() > max_example_list_entries)
            errors[field] = "Noem hoogstens " + std::to_string(max_example_list_entries) + " " +
                            std::string(what) + ", één per regel.";
        for (const auto& entry : out)
            if (count_characters(entry) > max_example_list_entry)
                errors[field] = "Elke regel mag hoogstens " +
                                std::to_string(max_example_list_entry) + " tekens lang zijn.";
    };
    list("target_groups", input.target_groups, "doelgroepen", e.target_groups);
    list("organisations", input.organisations, "organisaties", e.organisations);
    if (!errors.empty())
        return fail(Error::invalid("Controleer de velden hieronder.", std::move(errors)));
    e.source.document = "Ingezonden door " + municipality;
    return e;
}

char32_t next_code_point(std::string_view text, std::size_t& pos) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    const std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
    if (length == 1 || pos + length > text.size() || !is_valid_utf8(text.substr(pos, length))) {
        ++pos;
        return byte < 0x80 ? byte : U'\uFFFD';
    }
    char32_t c = byte & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t i = 1; i < length; ++i)
        c = (c << 6) | (static_cast<unsigned char>(text[pos + i]) & 0x3F);
    pos += length;
    return c;
}

std::string fold_letter(char32_t c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return std::string(1, static_cast<char>(c));
    if (c >= 'A' && c <= 'Z')
        return std::string(1, static_cast<char>(c - 'A' + 'a'));
    if (c >= 0xC0 && c <= 0xFF) {
        const char f = latin1[c - 0xC0];
        return f == '.'   ? ""
               : f == '1' ? "ae"
               : f == '2' ? "th"
               : f == '3' ? "ss"
                          : std::string(1, f);
    }
    if (c >= 0x100 && c <= 0x17F) {
        const char f = latin_a[c - 0x100];
        return f == '1' ? "ij" : f == '2' ? "oe" : std::string(1, f);
    }
    std::string out;
    if ((c >= 0x391 && c <= 0x3A9) || (c >= 0x410 && c <= 0x42F))
        append_utf8(out, c + 0x20); // Greek and Cyrillic capitals
    else if (c >= 0x400 && c <= 0x40F)
        append_utf8(out, c + 0x50);
    else if ((c >= 0x180 && c <= 0x24F) || (c >= 0x370 && c <= 0x3FF && c != 0x37E && c != 0x387) ||
             (c >= 0x410 && c <= 0x4FF) || (c >= 0x1E00 && c <= 0x1EFF))
        append_utf8(out, c);
    return out;
}

std::string slugify(std::string_view title) {
    std::string out;
    std::size_t pos = 0;
    while (pos < title.size() && out.size() < 80) {
        const std::string folded = fold_letter(next_code_point(title, pos));
        const bool ascii = !folded.empty() && static_cast<unsigned char>(folded[0]) < 0x80;
        if (ascii)
            out += folded;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "voorbeeld" : out;
}

bool is_valid_slug(std::string_view slug) {
    return !slug.empty() && slug.size() <= 100 && slug.front() != '-' && slug.back() != '-' &&
           std::ranges::all_of(slug, [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

bool is_reserved_slug(std::string_view slug) {
    static constexpr std::array<std::string_view, 6> reserved{"themas", "principes",   "sporen",
                                                              "lessen", "leerkringen", "nieuw"};
    return contains(reserved, slug);
}

std::string markdown_plain_text(std::string_view markdown) {
    std::string out;
    out.reserve(markdown.size());
    std::size_t pos = 0;
    while (pos <= markdown.size()) {
        const auto end = markdown.find('\n', pos);
        std::string_view line =
            markdown.substr(pos, end == std::string_view::npos ? markdown.npos : end - pos);
        while (!line.empty() && (line.front() == ' ' || line.front() == '#' ||
                                 line.front() == '>' || line.front() == '\t'))
            line.remove_prefix(1);
        if (line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') &&
            line[1] == ' ')
            line.remove_prefix(2);
        for (std::size_t i = 0; i < line.size(); ++i) {
            const char c = line[i];
            if (c == '*' || c == '`' || c == '~' ||
                (c == '!' && i + 1 < line.size() && line[i + 1] == '['))
                continue;
            if (c == '[' || c == ']') {
                // "[text](target)": the text stays, the target goes.
                if (c == ']' && i + 1 < line.size() && line[i + 1] == '(') {
                    const auto close = line.find(')', i + 2);
                    if (close != std::string_view::npos)
                        i = close;
                }
                continue;
            }
            if (c == '<' && i + 1 < line.size() &&
                (std::isalpha(static_cast<unsigned char>(line[i + 1])) || line[i + 1] == '/')) {
                const auto close = line.find('>', i);
                if (close != std::string_view::npos) {
                    i = close;
                    continue;
                }
            }
            out += c;
        }
        out += '\n';
        if (end == std::string_view::npos)
            break;
        pos = end + 1;
    }
    return trimmed(out);
}

const ReferenceEntry* ReferenceSet::find(std::string_view id) const {
    const auto it = std::ranges::find(items, id, &ReferenceEntry::id);
    return it == items.end() ? nullptr : &*it;
}

std::vector<Example> generate_examples(const std::vector<Example>& from, std::size_t count,
                                       unsigned seed) {
    std::vector<Example> out;
    if (from.empty())
        return out;
    std::vector<std::string> paragraphs;
    for (const auto& e : from) {
        std::size_t pos = 0;
        while (pos < e.body.size()) {
            const auto end = e.body.find("\n\n", pos);
            std::string p =
                trimmed(e.body.substr(pos, end == std::string::npos ? e.body.npos : end - pos));
            if (!p.empty() && !p.starts_with("Bron:"))
                paragraphs.push_back(std::move(p));
            pos = end == std::string::npos ? e.body.size() : end + 2;
        }
    }
    std::mt19937 random(seed);
    const auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    out.reserve(count);
    for (std::size_t i = 1; i <= count; ++i) {
        Example e = from[pick(from.size())];
        const std::string number = std::to_string(i);
        e.slug = "gegenereerd-" + number;
        e.title = e.title + " (variant " + number + ")";
        e.municipality = from[pick(from.size())].municipality;
        e.body.clear();
        for (std::size_t p = 0, n = 3 + pick(4); p < n; ++p)
            e.body += paragraphs[pick(paragraphs.size())] + "\n\n";
        e.body += "Gegenereerd voorbeeld voor een meting van de zoekfunctie.";
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace gids
