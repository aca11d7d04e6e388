#include "instruments/loader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace gids {

namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 11> top_keys{
    "id",     "version", "title", "subtitle", "source", "introduction", "duration_minutes",
    "themes", "scales",  "steps", "adapted"};
constexpr std::array<std::string_view, 4> source_keys{"document", "publisher", "year", "section"};
constexpr std::array<std::string_view, 2> intro_keys{"heading", "text"};
constexpr std::array<std::string_view, 3> theme_keys{"id", "title", "description"};
constexpr std::array<std::string_view, 4> scale_keys{"min", "max", "labels", "dont_know"};
constexpr std::array<std::string_view, 6> step_keys{"id",       "title", "intro",
                                                    "question", "items", "adapted"};
constexpr std::array<std::string_view, 6> option_keys{"id",        "text",  "other",
                                                      "exclusive", "group", "adapted"};
constexpr std::array<std::string_view, 2> text_keys{"nl", "en"};
constexpr std::array<std::string_view, 18> item_keys{
    "id",    "type",    "text", "number", "hint", "theme", "required", "adapted",    "heading",
    "scale", "options", "yes",  "no",     "unit", "max",   "rows",     "max_length", "columns"};
constexpr std::array<std::string_view, 7> common_item_keys{"id",   "type",     "text",   "number",
                                                           "hint", "required", "adapted"};

// The keys an item of `type` may carry besides `theme` and the common ones.
std::vector<std::string_view> item_keys_for(ItemType type) {
    std::vector<std::string_view> keys(common_item_keys.begin(), common_item_keys.end());
    keys.emplace_back("theme");
    switch (type) {
    case ItemType::scale:
        keys.emplace_back("scale");
        break;
    case ItemType::single:
    case ItemType::multi:
        keys.emplace_back("options");
        break;
    case ItemType::yesno:
        keys.insert(keys.end(), {"yes", "no"});
        break;
    case ItemType::count:
        keys.insert(keys.end(), {"unit", "max"});
        break;
    case ItemType::text:
        keys.insert(keys.end(), {"rows", "max_length"});
        break;
    case ItemType::actions:
        keys.emplace_back("columns");
        break;
    case ItemType::guidance:
        std::erase(keys, "required"); // there is nothing to answer
        keys.emplace_back("heading");
        break;
    }
    return keys;
}

std::string in_quotes(std::string_view text) {
    return "‘" + std::string(text) + "’";
}

// Text from the file inside a message: readable, valid UTF-8 and short.
std::string shown(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    for (std::size_t shown_chars = 0; i < text.size() && shown_chars < 40; ++shown_chars) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const std::size_t length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2;
        const std::string_view piece = text.substr(i, length);
        const bool readable = byte >= 0x20 && byte != 0x7F && is_valid_utf8(piece);
        out += readable ? piece : "?";
        i += readable ? piece.size() : 1;
    }
    return i < text.size() ? out + "…" : out;
}

std::string trimmed(std::string_view text) {
    constexpr std::string_view space = " \t\r\n";
    const std::size_t first = text.find_first_not_of(space);
    return first == std::string_view::npos
               ? std::string()
               : std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string unknown_key_message(std::string_view key, Keys allowed) {
    std::string message = "De sleutel " + in_quotes(shown(key)) + " is hier onbekend";
    if (key.size() >= 4 && key.size() <= 40) { // in shorter keys every key looks like a typo
        for (const std::string_view candidate : allowed) {
            if (edit_distance(key, candidate) <= 2) {
                return message + "; bedoelt u " + in_quotes(candidate) + "?";
            }
        }
    }
    return message + ".";
}

enum class IdKind { plain, theme, scale };

bool is_valid_id(std::string_view id, IdKind kind) {
    const auto allowed = [kind](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
               (kind == IdKind::theme && c >= 'A' && c <= 'Z');
    };
    return !id.empty() && id.front() != '-' && std::ranges::all_of(id, allowed);
}

std::string id_message(std::string_view id, IdKind kind) {
    const std::string subject = kind == IdKind::theme   ? "Het thema-id"
                                : kind == IdKind::scale ? "De schaalnaam"
                                                        : "Het id";
    if (id.empty()) {
        return subject + " is leeg.";
    }
    if (id.size() > 64) {
        return subject + " " + in_quotes(shown(id)) + " is langer dan 64 tekens.";
    }
    return subject + " " + in_quotes(shown(id)) + " mag alleen " +
           (kind == IdKind::theme ? "letters" : "kleine letters") +
           ", cijfers en ‘-’ bevatten en moet met een letter of cijfer beginnen.";
}

struct Entry {
    std::string key;
    YAML::Mark key_mark;
    YAML::Node value;
};

struct Map {
    YAML::Mark mark;
    std::vector<Entry> entries;

    const Entry* find(std::string_view key) const {
        const auto found = std::ranges::find(entries, key, &Entry::key);
        return found == entries.end() ? nullptr : &*found;
    }
};

// Walks the YAML tree along the shape of an instrument. Problems are recorded, the first
// one wins and reading stops early, so a hostile file costs no more than a valid one.
class Reader {
  public:
    Reader(std::string_view source, std::string_view file) : m_source(source), m_file(file) {}

    void fail(const YAML::Mark& mark, std::string_view message) {
        if (!m_error) {
            m_error = Error::invalid(
                std::string(m_file) + ":" + std::to_string(std::max(mark.line, 0) + 1) + ":" +
                std::to_string(std::max(mark.column, 0) + 1) + ": " + std::string(message));
        }
    }
    bool failed() const { return m_error.has_value(); }

    Result<Instrument> read(const YAML::Node& root, std::optional<std::string_view> stem);
    Result<Instrument> result() {
        return m_error ? gids::fail(std::move(*m_error))
                       : Result<Instrument>(std::move(m_instrument));
    }

  private:
    std::optional<Map> entries(const YAML::Node& node, std::string_view what);
    std::optional<Map> map(const YAML::Node& node, std::string_view what, Keys allowed);
    const Entry* required(const Map& map, std::string_view key);
    const Entry* optional(const Map& map, std::string_view key);
    bool is_list(const Entry& entry, std::size_t limit);
    std::optional<std::string> string(const YAML::Node& node, std::string_view name);
    std::optional<Text> text(const YAML::Node& node, std::string_view name);
    Text required_text(const Map& map, std::string_view key);
    std::optional<Text> optional_text(const Map& map, std::string_view key);
    std::string id(const YAML::Node& node, IdKind kind);
    std::optional<long long> integer(const YAML::Node& node, std::string_view name, long long min,
                                     long long max, std::string_view wrong = {});
    bool boolean(const Map& map, std::string_view key);

    Source source(const Entry& entry);
    std::vector<IntroBlock> introduction(const Entry& entry);
    std::vector<Theme> themes(const Entry& entry);
    std::map<std::string, Scale, std::less<>> scales(const Entry& entry);
    Scale scale(const Entry& entry);
    std::vector<Step> steps(const Entry& entry);
    Step step(const YAML::Node& node);
    Item item(const YAML::Node& node);
    void item_details(const Map& map, Item& item);
    std::vector<Option> options(const Entry& entry, ItemType type);
    std::vector<ActionColumn> columns(const Entry& entry);

    bool is_closed_quote(const YAML::Node& node);

    std::string_view m_source;
    std::string_view m_file;
    std::optional<Error> m_error;
    std::set<std::size_t> m_closed_quotes; // positions already checked
    Instrument m_instrument;
    std::map<std::string, int, std::less<>> m_item_lines; // item id -> line, for duplicates
    std::set<std::string, std::less<>> m_step_ids;
    std::size_t m_item_count = 0;
};

std::optional<Map> Reader::entries(const YAML::Node& node, std::string_view what) {
    if (!node.IsMap()) {
        fail(node.Mark(), std::string(what) + " moet bestaan uit sleutels met waarden.");
        return std::nullopt;
    }
    Map map{node.Mark(), {}};
    for (auto it = node.begin(); it != node.end() && !failed(); ++it) {
        // Copies: yaml-cpp's operator-> hands out a temporary, so a reference would dangle.
        const YAML::Node key = (*it).first;
        const YAML::Node value = (*it).second;
        if (!key.IsScalar()) {
            fail(key.Mark(), "Een sleutel moet een enkel woord zijn, geen lijst of blok.");
        } else if (map.find(key.Scalar()) != nullptr) {
            fail(key.Mark(),
                 "De sleutel " + in_quotes(shown(key.Scalar())) + " staat hier twee keer.");
        } else {
            map.entries.push_back({key.Scalar(), key.Mark(), value});
        }
    }
    return failed() ? std::nullopt : std::optional<Map>(std::move(map));
}

std::optional<Map> Reader::map(const YAML::Node& node, std::string_view what, Keys allowed) {
    auto checked = entries(node, what);
    for (const Entry& entry : checked ? checked->entries : std::vector<Entry>{}) {
        if (std::ranges::find(allowed, entry.key) == allowed.end()) {
            fail(entry.key_mark, unknown_key_message(entry.key, allowed));
            return std::nullopt;
        }
    }
    return checked;
}

const Entry* Reader::required(const Map& map, std::string_view key) {
    const Entry* entry = map.find(key);
    if (entry == nullptr) {
        fail(map.mark, "De verplichte sleutel " + in_quotes(key) + " ontbreekt.");
    } else if (entry->value.IsNull()) {
        fail(entry->key_mark, "Vul bij " + in_quotes(key) + " een waarde in.");
    }
    return failed() ? nullptr : entry;
}

const Entry* Reader::optional(const Map& map, std::string_view key) {
    const Entry* entry = map.find(key);
    return entry == nullptr || entry->value.IsNull() || failed() ? nullptr : entry;
}

bool Reader::is_list(const Entry& entry, std::size_t limit) {
    if (!entry.value.IsSequence()) {
        fail(entry.value.Mark(), in_quotes(entry.key) + " moet een lijst zijn.");
    } else if (entry.value.size() > limit) {
        fail(entry.value.Mark(), in_quotes(entry.key) + " mag hoogstens " + std::to_string(limit) +
                                     " elementen bevatten.");
    }
    return !failed();
}

// yaml-cpp 0.7 accepts a quoted text that runs on to the end of the file when a line
// break precedes the end, so we look for the closing quote ourselves.
bool Reader::is_closed_quote(const YAML::Node& node) {
    const std::size_t start = static_cast<std::size_t>(std::max(node.Mark().pos, 0));
    if (node.Tag() != "!" || start >= m_source.size() || m_closed_quotes.contains(start)) {
        return true;
    }
    const std::size_t open = m_source.find_first_of("\"'\n", start); // skips an anchor or tag
    if (open == std::string_view::npos || m_source[open] == '\n') {
        return true;
    }
    const char quote = m_source[open];
    for (std::size_t i = open + 1; i < m_source.size(); ++i) {
        if (quote == '"' && m_source[i] == '\\') {
            ++i;
        } else if (m_source[i] == quote && quote == '\'' && i + 1 < m_source.size() &&
                   m_source[i + 1] == '\'') {
            ++i; // '' is an escaped quote inside single quotes
        } else if (m_source[i] == quote) {
            m_closed_quotes.insert(start);
            return true;
        }
    }
    return false;
}

std::optional<std::string> Reader::string(const YAML::Node& node, std::string_view name) {
    if (!node.IsScalar()) {
        fail(node.Mark(), in_quotes(name) + " moet een tekst zijn, geen lijst of blok.");
        return std::nullopt;
    }
    if (!is_closed_quote(node)) {
        fail(node.Mark(), "Dit is geen geldige YAML: een tekst tussen aanhalingstekens is niet "
                          "afgesloten.");
        return std::nullopt;
    }
    if (!is_valid_utf8(node.Scalar())) {
        fail(node.Mark(), "Deze tekst is geen geldige UTF-8; sla het bestand op als UTF-8.");
        return std::nullopt;
    }
    return trimmed(node.Scalar());
}

std::optional<Text> Reader::text(const YAML::Node& node, std::string_view name) {
    const std::string missing = "De Nederlandse tekst bij " + in_quotes(name) + " ontbreekt.";
    if (node.IsScalar()) {
        auto nl = string(node, name);
        if (nl && nl->empty()) {
            fail(node.Mark(), missing);
        }
        return failed() ? std::nullopt : std::optional<Text>(Text{std::move(*nl), {}});
    }
    if (!node.IsMap()) {
        fail(node.Mark(), in_quotes(name) + " moet een tekst zijn, of ‘nl:’ met eventueel ‘en:’.");
        return std::nullopt;
    }
    const auto texts = map(node, in_quotes(name), text_keys);
    const Entry* nl = texts ? texts->find("nl") : nullptr;
    if (texts && (nl == nullptr || nl->value.IsNull())) {
        fail(texts->mark, missing);
    }
    Text result{failed() ? "" : string(nl->value, "nl").value_or(""), {}};
    if (!failed() && result.nl.empty()) {
        fail(nl->value.Mark(), missing);
    }
    if (const Entry* en = failed() ? nullptr : optional(*texts, "en")) {
        result.en = string(en->value, "en").value_or("");
    }
    return failed() ? std::nullopt : std::optional<Text>(std::move(result));
}

Text Reader::required_text(const Map& map, std::string_view key) {
    const Entry* entry = required(map, key);
    return entry == nullptr ? Text{} : text(entry->value, key).value_or(Text{});
}

std::optional<Text> Reader::optional_text(const Map& map, std::string_view key) {
    const Entry* entry = optional(map, key);
    return entry == nullptr ? std::nullopt : text(entry->value, key);
}

std::string Reader::id(const YAML::Node& node, IdKind kind) {
    std::string value = string(node, "id").value_or("");
    if (!failed() && (value.size() > 64 || !is_valid_id(value, kind))) {
        fail(node.Mark(), id_message(value, kind));
    }
    return value;
}

std::optional<long long> Reader::integer(const YAML::Node& node, std::string_view name,
                                         long long min, long long max, std::string_view wrong) {
    long long value = 0;
    const std::string_view text = node.IsScalar() ? node.Scalar() : std::string_view();
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // A quoted "3" is text; only a plain 3 (or !!int 3) is a number.
    const bool plain = node.Tag() == "?" || node.Tag() == "tag:yaml.org,2002:int";
    const bool number = node.IsScalar() && !text.empty() && error == std::errc() &&
                        end == text.data() + text.size();
    if (!wrong.empty() && (!number || !plain || value < min || value > max)) {
        fail(node.Mark(), wrong);
    } else if (number && !plain) {
        fail(node.Mark(), in_quotes(name) + " is een getal; zet het niet tussen aanhalingstekens.");
    } else if (!number || value < min) {
        fail(node.Mark(),
             in_quotes(name) + " moet een heel getal" +
                 (min < 0 ? std::string() : " van " + std::to_string(min) + " of hoger") +
                 " zijn.");
    } else if (value > max) {
        fail(node.Mark(), in_quotes(name) + " mag hoogstens " + std::to_string(max) + " zijn.");
    }
    return failed() ? std::nullopt : std::optional<long long>(value);
}

bool Reader::boolean(const Map& map, std::string_view key) {
    const Entry* entry = optional(map, key);
    if (entry == nullptr) {
        return false;
    }
    const YAML::Node& node = entry->value;
    const std::string text = node.IsScalar() && node.Tag() == "?" ? node.Scalar() : "";
    if (text == "true" || text == "True" || text == "TRUE") {
        return true;
    }
    if (text != "false" && text != "False" && text != "FALSE") {
        fail(node.Mark(), in_quotes(key) + " moet true of false zijn.");
    }
    return false;
}

Result<Instrument> Reader::read(const YAML::Node& root, std::optional<std::string_view> stem) {
    const auto top = map(root, "Een instrumentbestand", top_keys);
    Instrument& instrument = m_instrument;
    if (const Entry* entry = top ? required(*top, "id") : nullptr) {
        instrument.id = id(entry->value, IdKind::plain);
        if (!failed() && stem && instrument.id != *stem) {
            fail(entry->value.Mark(),
                 "Het id " + in_quotes(instrument.id) +
                     " moet gelijk zijn aan de bestandsnaam zonder ‘.yaml’, dus " +
                     in_quotes(shown(*stem)) + ".");
        }
    }
    if (const Entry* entry = top ? required(*top, "version") : nullptr) {
        instrument.version =
            static_cast<int>(integer(entry->value, "version", 1, 1'000'000).value_or(1));
    }
    if (top) {
        instrument.title = required_text(*top, "title");
        instrument.subtitle = optional_text(*top, "subtitle");
    }
    if (const Entry* entry = top ? required(*top, "source") : nullptr) {
        instrument.source = source(*entry);
    }
    if (const Entry* entry = top ? optional(*top, "introduction") : nullptr) {
        instrument.introduction = introduction(*entry);
    }
    if (const Entry* entry = top ? optional(*top, "duration_minutes") : nullptr) {
        instrument.duration_minutes =
            static_cast<int>(integer(entry->value, "duration_minutes", 1, 1440).value_or(0));
    }
    if (const Entry* entry = top ? optional(*top, "themes") : nullptr) {
        instrument.themes = themes(*entry);
    }
    if (const Entry* entry = top ? optional(*top, "scales") : nullptr) {
        instrument.scales = scales(*entry);
    }
    if (const Entry* entry = top ? required(*top, "steps") : nullptr) {
        instrument.steps = steps(*entry);
    }
    instrument.adapted = top && boolean(*top, "adapted");
    return result();
}

Source Reader::source(const Entry& entry) {
    Source source;
    if (const auto fields = map(entry.value, in_quotes(entry.key), source_keys)) {
        source.document = required_text(*fields, "document");
        source.publisher = required_text(*fields, "publisher");
        if (const Entry* year = required(*fields, "year")) {
            source.year = static_cast<int>(integer(year->value, "year", 1000, 9999,
                                                   "‘year’ moet een jaartal zijn, zoals 2018.")
                                               .value_or(0));
        }
        source.section = optional_text(*fields, "section");
    }
    return source;
}

std::vector<IntroBlock> Reader::introduction(const Entry& entry) {
    std::vector<IntroBlock> blocks;
    for (const YAML::Node& node : is_list(entry, 100) ? entry.value : YAML::Node()) {
        if (const auto fields = map(node, "Een introductieblok", intro_keys)) {
            Text heading = required_text(*fields, "heading");
            blocks.push_back({std::move(heading), required_text(*fields, "text")});
        }
        if (failed()) {
            break;
        }
    }
    return blocks;
}

std::vector<Theme> Reader::themes(const Entry& entry) {
    std::vector<Theme> themes;
    for (const YAML::Node& node : is_list(entry, 100) ? entry.value : YAML::Node()) {
        const auto fields = map(node, "Een thema", theme_keys);
        const Entry* id_entry = fields ? required(*fields, "id") : nullptr;
        if (id_entry == nullptr) {
            break;
        }
        Theme theme{id(id_entry->value, IdKind::theme), {}, {}};
        if (!failed() && std::ranges::find(themes, theme.id, &Theme::id) != themes.end()) {
            fail(id_entry->value.Mark(),
                 "Het thema-id " + in_quotes(theme.id) + " komt al eerder voor.");
        }
        theme.title = required_text(*fields, "title");
        theme.description = optional_text(*fields, "description");
        if (failed()) {
            break;
        }
        themes.push_back(std::move(theme));
    }
    return themes;
}

std::map<std::string, Scale, std::less<>> Reader::scales(const Entry& entry) {
    std::map<std::string, Scale, std::less<>> scales;
    const Map named_scales = entries(entry.value, in_quotes(entry.key)).value_or(Map{});
    for (const Entry& named : named_scales.entries) {
        if (!is_valid_id(named.key, IdKind::plain) || named.key.size() > 64) {
            fail(named.key_mark, id_message(named.key, IdKind::scale));
        }
        Scale scale = failed() ? Scale{} : this->scale(named);
        if (failed()) {
            break;
        }
        scales.emplace(named.key, std::move(scale));
    }
    return scales;
}

Scale Reader::scale(const Entry& entry) {
    Scale scale;
    scale.name = entry.key;
    const auto fields = map(entry.value, "De schaal " + in_quotes(entry.key), scale_keys);
    const Entry* min = fields ? required(*fields, "min") : nullptr;
    scale.min = min ? static_cast<int>(integer(min->value, "min", -1000, 1000).value_or(0)) : 0;
    const Entry* max = fields ? required(*fields, "max") : nullptr;
    scale.max = max ? static_cast<int>(integer(max->value, "max", -1000, 1000).value_or(0)) : 0;
    if (!failed() && scale.min >= scale.max) {
        fail(max->value.Mark(), "‘min’ moet kleiner zijn dan ‘max’.");
    }
    const Entry* labels = fields ? required(*fields, "labels") : nullptr;
    for (const YAML::Node& node : labels&& is_list(*labels, 2001) ? labels->value : YAML::Node()) {
        scale.labels.push_back(text(node, "labels").value_or(Text{}));
    }
    const auto needed = static_cast<std::size_t>(scale.max - scale.min + 1);
    if (!failed() && scale.labels.size() != needed) {
        fail(labels->value.Mark(),
             "De schaal loopt van " + std::to_string(scale.min) + " tot en met " +
                 std::to_string(scale.max) + " en heeft dus " + std::to_string(needed) +
                 " labels nodig, maar heeft er " + std::to_string(scale.labels.size()) + ".");
    }
    scale.dont_know = fields ? optional_text(*fields, "dont_know") : std::nullopt;
    return scale;
}

std::vector<Step> Reader::steps(const Entry& entry) {
    std::vector<Step> steps;
    if (is_list(entry, max_instrument_steps) && entry.value.size() == 0) {
        fail(entry.value.Mark(), "Een instrument heeft minstens één stap onder ‘steps’ nodig.");
    }
    for (const YAML::Node& node : failed() ? YAML::Node() : entry.value) {
        Step step = this->step(node);
        if (failed()) {
            break;
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

Step Reader::step(const YAML::Node& node) {
    Step step;
    const auto fields = map(node, "Een stap", step_keys);
    if (const Entry* id_entry = fields ? required(*fields, "id") : nullptr) {
        step.id = id(id_entry->value, IdKind::plain);
        if (!failed() && !m_step_ids.insert(step.id).second) {
            fail(id_entry->value.Mark(),
                 "Het stap-id " + in_quotes(step.id) + " komt al eerder voor.");
        }
    }
    if (failed()) {
        return step;
    }
    step.title = required_text(*fields, "title");
    step.intro = optional_text(*fields, "intro");
    step.question = optional_text(*fields, "question");
    const Entry* items = required(*fields, "items");
    if (items != nullptr && is_list(*items, max_instrument_items) && items->value.size() == 0) {
        fail(items->value.Mark(),
             "Een stap heeft minstens één vraag of tekst onder ‘items’ nodig.");
    }
    for (const YAML::Node& item_node : failed() ? YAML::Node() : items->value) {
        Item item = this->item(item_node);
        if (failed()) {
            break;
        }
        step.items.push_back(std::move(item));
    }
    step.adapted = boolean(*fields, "adapted");
    return step;
}

Item Reader::item(const YAML::Node& node) {
    Item item;
    if (++m_item_count > max_instrument_items) {
        fail(node.Mark(), "Een instrument mag hoogstens " + std::to_string(max_instrument_items) +
                              " vragen en teksten bevatten.");
    }
    const auto fields = failed() ? std::nullopt : map(node, "Een vraag", item_keys);
    const Entry* type_entry = fields ? required(*fields, "type") : nullptr;
    const std::string type_name = type_entry ? string(type_entry->value, "type").value_or("") : "";
    const auto type = parse_item_type(type_name);
    if (!failed() && !type) {
        fail(type_entry->value.Mark(),
             "Het type " + in_quotes(shown(type_name)) +
                 " bestaat niet; kies uit scale, single, multi, yesno, count, text, actions of "
                 "guidance.");
    }
    if (failed()) {
        return item;
    }
    item.type = *type;
    const auto allowed = item_keys_for(item.type);
    for (const Entry& entry : fields->entries) {
        if (std::ranges::find(allowed, entry.key) == allowed.end()) {
            fail(entry.key_mark, "De sleutel " + in_quotes(entry.key) +
                                     " hoort niet bij een vraag van het type " +
                                     in_quotes(type_name) + ".");
            return item;
        }
    }
    // Guidance has nothing to answer, so it needs no id unless someone wants to link to it.
    const Entry* id_entry =
        item.type == ItemType::guidance ? optional(*fields, "id") : required(*fields, "id");
    if (id_entry != nullptr) {
        item.id = id(id_entry->value, IdKind::plain);
        const auto earlier = m_item_lines.find(item.id);
        if (!failed() && earlier != m_item_lines.end()) {
            fail(id_entry->value.Mark(), "Het vraag-id " + in_quotes(item.id) +
                                             " komt al eerder voor, op regel " +
                                             std::to_string(earlier->second) + ".");
        }
        m_item_lines.emplace(item.id, id_entry->value.Mark().line + 1);
    }
    item.text = required_text(*fields, "text");
    if (const Entry* number = optional(*fields, "number")) {
        item.number = string(number->value, "number").value_or("");
    }
    item.hint = optional_text(*fields, "hint");
    item.heading = optional_text(*fields, "heading");
    if (const Entry* theme = optional(*fields, "theme")) {
        item.theme = id(theme->value, IdKind::theme);
        if (!failed() && m_instrument.find_theme(*item.theme) == nullptr) {
            fail(theme->value.Mark(),
                 "Het thema " + in_quotes(*item.theme) + " staat niet onder ‘themes’.");
        }
    }
    item.required = boolean(*fields, "required");
    item.adapted = boolean(*fields, "adapted");
    item_details(*fields, item);
    return item;
}

void Reader::item_details(const Map& fields, Item& item) {
    switch (item.type) {
    case ItemType::scale:
        if (const Entry* name = required(fields, "scale")) {
            item.scale_name = string(name->value, "scale").value_or("");
            const auto found = m_instrument.scales.find(item.scale_name);
            if (!failed() && found == m_instrument.scales.end()) {
                fail(name->value.Mark(), "De schaal " + in_quotes(shown(item.scale_name)) +
                                             " staat niet onder ‘scales’.");
            }
            item.scale = failed() ? Scale{} : found->second;
        }
        break;
    case ItemType::single:
    case ItemType::multi:
        if (const Entry* options = required(fields, "options")) {
            item.options = this->options(*options, item.type);
        }
        break;
    case ItemType::yesno:
        item.yes = optional_text(fields, "yes").value_or(item.yes);
        item.no = optional_text(fields, "no").value_or(item.no);
        break;
    case ItemType::count:
        item.unit = required_text(fields, "unit");
        if (const Entry* max = optional(fields, "max")) {
            item.max = static_cast<long>(integer(max->value, "max", 1, 1'000'000'000).value_or(1));
        }
        break;
    case ItemType::text:
        if (const Entry* rows = optional(fields, "rows")) {
            item.rows = static_cast<int>(integer(rows->value, "rows", 1, 100).value_or(4));
        }
        if (const Entry* length = optional(fields, "max_length")) {
            item.max_length = static_cast<std::size_t>(
                integer(length->value, "max_length", 1, 100'000).value_or(4000));
        }
        break;
    case ItemType::actions:
        if (const Entry* columns = required(fields, "columns")) {
            item.columns = this->columns(*columns);
        }
        break;
    case ItemType::guidance:
        break;
    }
}

std::vector<Option> Reader::options(const Entry& entry, ItemType type) {
    std::vector<Option> options;
    if (is_list(entry, max_item_options) && entry.value.size() == 0) {
        fail(entry.value.Mark(), "Een vraag van het type " + in_quotes(item_type_name(type)) +
                                     " heeft minstens één antwoord onder ‘options’ nodig.");
    }
    for (const YAML::Node& node : failed() ? YAML::Node() : entry.value) {
        const auto fields = map(node, "Een antwoord", option_keys);
        const Entry* id_entry = fields ? required(*fields, "id") : nullptr;
        if (id_entry == nullptr) {
            break;
        }
        Option option;
        option.id = id(id_entry->value, IdKind::plain);
        if (!failed() && std::ranges::find(options, option.id, &Option::id) != options.end()) {
            fail(id_entry->value.Mark(), "Het antwoord-id " + in_quotes(option.id) +
                                             " komt al eerder voor bij deze vraag.");
        }
        option.text = required_text(*fields, "text");
        option.other = boolean(*fields, "other");
        const Entry* exclusive = optional(*fields, "exclusive");
        if (exclusive != nullptr && type != ItemType::multi) {
            fail(exclusive->key_mark, "‘exclusive’ kan alleen bij een vraag van het type ‘multi’.");
        }
        option.exclusive = boolean(*fields, "exclusive");
        option.group = optional_text(*fields, "group");
        option.adapted = boolean(*fields, "adapted");
        if (failed()) {
            break;
        }
        options.push_back(std::move(option));
    }
    return options;
}

std::vector<ActionColumn> Reader::columns(const Entry& entry) {
    std::vector<ActionColumn> columns;
    if (is_list(entry, 5) && entry.value.size() == 0) {
        fail(entry.value.Mark(), "Kies bij ‘columns’ minstens één kolom.");
    }
    for (const YAML::Node& node : failed() ? YAML::Node() : entry.value) {
        const std::string name = string(node, "columns").value_or("");
        const auto column = parse_action_column(name);
        if (failed()) {
            break;
        }
        if (!column) {
            fail(node.Mark(), "De kolom " + in_quotes(shown(name)) +
                                  " bestaat niet; kies uit theme, action, who, department en due.");
        } else if (std::ranges::find(columns, *column) != columns.end()) {
            fail(node.Mark(), "De kolom " + in_quotes(name) + " staat er twee keer in.");
        } else {
            columns.push_back(*column);
        }
    }
    return columns;
}

// yaml-cpp explains syntax errors in English; the people who upload instruments read Dutch.
std::string syntax_problem(const std::string& message) {
    static const std::array<std::pair<std::string_view, std::string_view>, 17> known{{
        {YAML::ErrorMsg::END_OF_MAP_FLOW, "er ontbreekt een ‘}’"},
        {YAML::ErrorMsg::END_OF_MAP,
         "controleer het inspringen van deze regel en of aanhalingstekens erboven zijn afgesloten"},
        {YAML::ErrorMsg::END_OF_SEQ_FLOW, "er ontbreekt een ‘]’"},
        {YAML::ErrorMsg::END_OF_SEQ, "controleer het inspringen van deze lijst"},
        {YAML::ErrorMsg::EOF_IN_SCALAR, "een tekst tussen aanhalingstekens is niet afgesloten"},
        {YAML::ErrorMsg::MAP_VALUE,
         "hier staat een dubbele punt die niet mag; zet de tekst tussen aanhalingstekens"},
        {YAML::ErrorMsg::MAP_KEY, "hier staat onverwacht een sleutel"},
        {YAML::ErrorMsg::BLOCK_ENTRY, "hier staat onverwacht een lijstelement (‘-’)"},
        {YAML::ErrorMsg::TAB_IN_INDENTATION, "spring in met spaties, niet met tabs"},
        {YAML::ErrorMsg::UNKNOWN_ANCHOR, "deze verwijzing (‘*’) noemt een anker dat niet bestaat"},
        {YAML::ErrorMsg::ALIAS_NOT_FOUND, "na ‘*’ ontbreekt de naam van een anker"},
        {YAML::ErrorMsg::ANCHOR_NOT_FOUND, "na ‘&’ ontbreekt de naam van het anker"},
        {YAML::ErrorMsg::INVALID_ESCAPE, "een tekst bevat een ongeldige ‘\\’-code"},
        {YAML::ErrorMsg::INVALID_UNICODE, "een tekst bevat een ongeldige ‘\\’-code"},
        {YAML::ErrorMsg::DOC_IN_SCALAR,
         "een tekst bevat ‘---’ of ‘...’ aan het begin van een regel"},
        {YAML::ErrorMsg::FLOW_END, "hier staat een ‘]’ of ‘}’ te veel"},
        {"max depth", "het bestand is te diep genest"},
    }};
    for (const auto& [english, dutch] : known) {
        if (message.starts_with(english)) {
            return "Dit is geen geldige YAML: " + std::string(dutch) + ".";
        }
    }
    return "Dit is geen geldige YAML; controleer deze regel.";
}

// Remembers where the latest document began; all other parse events are ignored.
class DocumentStarts : public YAML::EventHandler {
  public:
    void OnDocumentStart(const YAML::Mark& mark) override { m_mark = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

    const YAML::Mark& mark() const { return m_mark; }

  private:
    YAML::Mark m_mark;
};

// Counts the documents, stopping at the second. yaml-cpp 0.7 never consumes a ',' outside
// [ ] or { } and its LoadAll then makes empty documents until memory runs out; here such
// a standstill shows as a document starting where the previous one did.
void check_documents(const std::string& text, Reader& reader) {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts starts;
    int documents = 0;
    YAML::Mark previous;
    while (documents < 2 && parser.HandleNextDocument(starts)) {
        if (documents == 1 && starts.mark().pos == previous.pos) {
            const auto at = static_cast<std::size_t>(std::max(previous.pos, 0));
            reader.fail(previous, at < text.size() && text[at] == ','
                                      ? "Dit is geen geldige YAML: deze komma staat buiten een "
                                        "lijst tussen [ ] of een blok tussen { }."
                                      : "Dit is geen geldige YAML; controleer deze regel.");
            return;
        }
        previous = starts.mark();
        ++documents;
    }
    if (documents == 2) {
        reader.fail(starts.mark(), "Het bestand bevat meer dan één YAML-document; zet elk "
                                   "instrument in een eigen bestand.");
    }
}

Result<Instrument> load(std::string_view yaml, std::string_view file_name,
                        std::optional<std::string_view> stem) {
    Reader reader(yaml, file_name);
    if (yaml.size() > max_instrument_bytes) {
        reader.fail(YAML::Mark(), "Het bestand is groter dan 1 MB.");
        return reader.result();
    }
    try {
        const std::string text(yaml);
        check_documents(text, reader);
        if (reader.failed()) {
            return reader.result();
        }
        const YAML::Node root = YAML::Load(text); // the first and only document
        if (!root.IsDefined() || root.IsNull()) {
            reader.fail(YAML::Mark(), "Het bestand is leeg.");
            return reader.result();
        }
        return reader.read(root, stem);
    } catch (const YAML::ParserException& e) {
        reader.fail(e.mark, syntax_problem(e.msg));
    } catch (const std::exception&) {
        // Not a syntax error: yaml-cpp (or memory) failed in a way a file should not cause.
        reader.fail(YAML::Mark(), "Het bestand kan niet worden gelezen.");
    }
    return reader.result();
}

} // namespace

Result<Instrument> load_instrument_text(std::string_view yaml, std::string_view file_name) {
    return load(yaml, file_name, std::nullopt);
}

Result<Instrument> load_instrument_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::error_code error;
    std::ifstream in(path, std::ios::binary);
    if (!std::filesystem::is_regular_file(path, error) || !in) {
        return fail(Error::invalid(name + ":1:1: Het bestand kan niet worden geopend."));
    }
    // One byte more than allowed is enough to know that a file is too large.
    std::string text(max_instrument_bytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return load(text, name, path.stem().string());
}

Result<std::vector<Instrument>> load_instrument_dir(const std::filesystem::path& dir) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::directory_iterator(dir, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
        if (it->path().extension() == ".yaml" && it->is_regular_file(error)) {
            files.push_back(it->path());
        }
    }
    if (error) {
        return fail(Error::invalid(dir.string() + ": De map kan niet worden gelezen."));
    }
    std::ranges::sort(files);
    std::vector<Instrument> instruments;
    for (const auto& file : files) {
        auto instrument = load_instrument_file(file);
        if (!instrument) {
            return fail(std::move(instrument.error()));
        }
        instruments.push_back(std::move(*instrument));
    }
    return instruments;
}

} // namespace gids
