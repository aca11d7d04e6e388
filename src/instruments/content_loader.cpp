#include "instruments/content_loader.hpp"

#include "domain/instrument.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <yaml-cpp/yaml.h>

namespace gids {

namespace {

using Keys = std::span<const std::string_view>;

constexpr std::array<std::string_view, 11> example_keys{
    "title",      "municipality",  "organisations", "source", "themes", "tracks",
    "principles", "target_groups", "life_phase",    "links",  "summary"};
constexpr std::array<std::string_view, 3> source_keys{"document", "file", "section"};
constexpr std::array<std::string_view, 2> link_keys{"name", "url"};

std::string in_quotes(std::string_view text) {
    return "‘" + std::string(text) + "’";
}

// Text from the file inside a message: readable and short.
std::string shown(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    for (std::size_t count = 0; i < text.size() && count < 40; ++count) {
        const std::size_t before = i;
        const char32_t c = next_code_point(text, i);
        out += c < 0x20 || c == U'\uFFFD' ? std::string("?")
                                          : std::string(text.substr(before, i - before));
    }
    return i < text.size() ? out + "…" : out;
}

std::string trimmed(std::string_view text) {
    constexpr std::string_view space = " \t\r\n";
    const auto first = text.find_first_not_of(space);
    return first == std::string_view::npos
               ? std::string()
               : std::string(text.substr(first, text.find_last_not_of(space) - first + 1));
}

std::string choices(Keys values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : i + 1 == values.size() ? " en " : ", ") + std::string(values[i]);
    return out;
}

// yaml-cpp explains syntax errors in English; the people who edit content read Dutch.
std::string syntax_problem(const std::string& message) {
    static const std::array<std::pair<std::string_view, std::string_view>, 9> known{{
        {YAML::ErrorMsg::END_OF_MAP_FLOW, "er ontbreekt een ‘}’"},
        {YAML::ErrorMsg::END_OF_SEQ_FLOW, "er ontbreekt een ‘]’"},
        {YAML::ErrorMsg::END_OF_MAP,
         "controleer het inspringen van deze regel en of aanhalingstekens erboven zijn afgesloten"},
        {YAML::ErrorMsg::END_OF_SEQ, "controleer het inspringen van deze lijst"},
        {YAML::ErrorMsg::EOF_IN_SCALAR, "een tekst tussen aanhalingstekens is niet afgesloten"},
        {YAML::ErrorMsg::MAP_VALUE,
         "hier staat een dubbele punt die niet mag; zet de tekst tussen aanhalingstekens"},
        {YAML::ErrorMsg::BLOCK_ENTRY, "hier staat onverwacht een lijstelement (‘-’)"},
        {YAML::ErrorMsg::TAB_IN_INDENTATION, "spring in met spaties, niet met tabs"},
        {YAML::ErrorMsg::UNKNOWN_ANCHOR, "deze verwijzing (‘*’) noemt een anker dat niet bestaat"},
    }};
    for (const auto& [english, dutch] : known)
        if (message.starts_with(english))
            return "Dit is geen geldige YAML: " + std::string(dutch) + ".";
    return "Dit is geen geldige YAML; controleer deze regel.";
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
        const auto it = std::ranges::find(entries, key, &Entry::key);
        return it == entries.end() ? nullptr : &*it;
    }
};

// Walks a YAML tree; the first problem wins and later checks do nothing.
class Reader {
  public:
    // `line_offset`: lines of the file before the YAML text (the front matter's `---`).
    Reader(std::string_view file, std::string_view source, int line_offset)
        : m_file(file), m_source(source), m_line_offset(line_offset) {}

    void fail_at(int line, int column, std::string_view message) {
        if (!m_error)
            m_error = Error::invalid(std::string(m_file) + ":" + std::to_string(line) + ":" +
                                     std::to_string(column) + ": " + std::string(message));
    }
    void fail(const YAML::Mark& mark, std::string_view message) {
        fail_at(std::max(mark.line, 0) + 1 + m_line_offset, std::max(mark.column, 0) + 1, message);
    }
    bool failed() const { return m_error.has_value(); }
    const Error& error() const { return *m_error; }
    std::string where(const YAML::Mark& mark) const {
        return std::string(m_file) + ":" +
               std::to_string(std::max(mark.line, 0) + 1 + m_line_offset) + ":" +
               std::to_string(std::max(mark.column, 0) + 1);
    }

    std::optional<Map> map(const YAML::Node& node, std::string_view what, Keys allowed) {
        if (failed())
            return std::nullopt;
        if (!node.IsMap()) {
            fail(node.Mark(), std::string(what) + " moet bestaan uit sleutels met waarden.");
            return std::nullopt;
        }
        Map out{node.Mark(), {}};
        for (auto it = node.begin(); it != node.end() && !failed(); ++it) {
            const YAML::Node key = (*it).first;
            const YAML::Node value = (*it).second;
            if (!key.IsScalar())
                fail(key.Mark(), "Een sleutel moet een enkel woord zijn, geen lijst of blok.");
            else if (out.find(key.Scalar()))
                fail(key.Mark(),
                     "De sleutel " + in_quotes(shown(key.Scalar())) + " staat hier twee keer.");
            else if (std::ranges::find(allowed, key.Scalar()) == allowed.end())
                fail(key.Mark(), "De sleutel " + in_quotes(shown(key.Scalar())) +
                                     " is hier onbekend; gebruik " + choices(allowed) + ".");
            else
                out.entries.push_back({key.Scalar(), key.Mark(), value});
        }
        return failed() ? std::nullopt : std::optional<Map>(std::move(out));
    }

    const Entry* required(const Map& map, std::string_view key) {
        const Entry* entry = map.find(key);
        if (failed())
            return nullptr;
        if (!entry)
            fail(map.mark, "De verplichte sleutel " + in_quotes(key) + " ontbreekt.");
        else if (entry->value.IsNull())
            fail(entry->key_mark, "Vul bij " + in_quotes(key) + " een waarde in.");
        return failed() ? nullptr : entry;
    }

    const Entry* optional(const Map& map, std::string_view key) {
        const Entry* entry = map.find(key);
        return failed() || !entry || entry->value.IsNull() ? nullptr : entry;
    }

    std::string string(const YAML::Node& node, std::string_view name, bool may_be_empty = false) {
        if (failed())
            return {};
        if (!node.IsScalar()) {
            fail(node.Mark(), in_quotes(name) + " moet een tekst zijn, geen lijst of blok.");
            return {};
        }
        if (!is_closed_quote(node)) {
            fail(node.Mark(), "Het aanhalingsteken op deze regel wordt niet afgesloten.");
            return {};
        }
        std::string value = trimmed(without_control_characters(node.Scalar()));
        if (value.empty() && !may_be_empty)
            fail(node.Mark(), "Vul bij " + in_quotes(name) + " een tekst in.");
        return value;
    }

    std::vector<YAML::Node> list(const Entry& entry, std::size_t limit = 100) {
        std::vector<YAML::Node> out;
        if (failed())
            return out;
        if (!entry.value.IsSequence()) {
            fail(entry.value.Mark(), in_quotes(entry.key) + " moet een lijst zijn, zoals [A, D].");
            return out;
        }
        if (entry.value.size() > limit) {
            fail(entry.value.Mark(), in_quotes(entry.key) + " mag hoogstens " +
                                         std::to_string(limit) + " elementen bevatten.");
            return out;
        }
        for (const auto& node : entry.value)
            out.push_back(node);
        return out;
    }

    std::vector<std::string> strings(const Entry& entry) {
        std::vector<std::string> out;
        for (const auto& node : list(entry))
            if (auto value = string(node, entry.key); !failed())
                out.push_back(std::move(value));
        return out;
    }

    std::optional<int> number(const YAML::Node& node, std::string_view wrong, int min, int max) {
        if (failed())
            return std::nullopt;
        int value = 0;
        const std::string text = node.IsScalar() ? node.Scalar() : std::string();
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool plain = node.Tag() == "?" || node.Tag() == "tag:yaml.org,2002:int";
        if (!node.IsScalar() || text.empty() || ec != std::errc() ||
            end != text.data() + text.size() || !plain || value < min || value > max) {
            fail(node.Mark(), wrong);
            return std::nullopt;
        }
        return value;
    }

  private:
    // A quoted text in front matter closes on its own line; yaml-cpp would otherwise take
    // the following lines into the text and report a missing key far from the real mistake.
    bool is_closed_quote(const YAML::Node& node) const {
        const auto start = static_cast<std::size_t>(std::max(node.Mark().pos, 0));
        if (node.Tag() != "!" || start >= m_source.size())
            return true;
        const auto open = m_source.find_first_of("\"'\n", start);
        if (open == std::string_view::npos || m_source[open] == '\n')
            return true;
        const char quote = m_source[open];
        for (std::size_t i = open + 1; i < m_source.size() && m_source[i] != '\n'; ++i) {
            if (quote == '"' && m_source[i] == '\\')
                ++i;
            else if (m_source[i] == quote && quote == '\'' && i + 1 < m_source.size() &&
                     m_source[i + 1] == '\'')
                ++i;
            else if (m_source[i] == quote)
                return true;
        }
        return false;
    }

    std::string_view m_file;
    std::string_view m_source;
    int m_line_offset;
    std::optional<Error> m_error;
};

// The place of the '[' or '{' that is never closed; yaml-cpp notices only at the end.
YAML::Mark unclosed_bracket(std::string_view text, YAML::Mark fallback) {
    std::vector<YAML::Mark> open;
    char quote = 0;
    YAML::Mark at;
    at.line = 0;
    at.column = 0;
    for (std::size_t i = 0; i < text.size(); ++i, ++at.column) {
        const char c = text[i];
        if (c == '\n') {
            at.line++;
            at.column = -1;
            quote = 0;
        } else if (quote != 0) {
            quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '[' || c == '{') {
            open.push_back(at);
        } else if ((c == ']' || c == '}') && !open.empty()) {
            open.pop_back();
        }
    }
    return open.empty() ? fallback : open.back();
}

// Loads YAML text, turning syntax errors into a Dutch message at their place.
std::optional<YAML::Node> load_yaml(std::string_view text, Reader& reader) {
    // A tab in the indentation confuses yaml-cpp into another complaint; name it first.
    for (std::size_t line = 0, pos = 0; pos < text.size(); ++line) {
        const auto end = std::min(text.find('\n', pos), text.size());
        const auto first = text.find_first_not_of(' ', pos);
        if (first < end && text[first] == '\t') {
            YAML::Mark mark;
            mark.line = static_cast<int>(line);
            mark.column = static_cast<int>(first - pos);
            reader.fail(mark, "Dit is geen geldige YAML: spring in met spaties, niet met tabs.");
            return std::nullopt;
        }
        pos = end + 1;
    }
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        const bool bracket = e.msg.starts_with(YAML::ErrorMsg::END_OF_SEQ_FLOW) ||
                             e.msg.starts_with(YAML::ErrorMsg::END_OF_MAP_FLOW);
        reader.fail(bracket ? unclosed_bracket(text, e.mark) : e.mark, syntax_problem(e.msg));
    } catch (const std::exception&) {
        reader.fail(YAML::Mark(), "Het bestand kan niet worden gelezen.");
    }
    return std::nullopt;
}

std::optional<std::string> read_file(const std::filesystem::path& path, std::size_t limit) {
    std::error_code error;
    std::ifstream in(path, std::ios::binary);
    if (!std::filesystem::is_regular_file(path, error) || !in)
        return std::nullopt;
    std::string text(limit + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

// The 1-based line of byte `pos`.
int line_of(std::string_view text, std::size_t pos) {
    return 1 + static_cast<int>(std::count(
                   text.begin(),
                   text.begin() + static_cast<std::ptrdiff_t>(std::min(pos, text.size())), '\n'));
}

bool is_fence(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    return line == "---";
}

void read_example_fields(Reader& r, const Map& m, Example& e) {
    if (const Entry* title = r.required(m, "title"))
        e.title = r.string(title->value, "title");
    if (const Entry* municipality = r.required(m, "municipality"))
        e.municipality = r.string(municipality->value, "municipality");
    if (const Entry* source = r.required(m, "source")) {
        if (auto s = r.map(source->value, "‘source’", source_keys)) {
            if (const Entry* d = r.required(*s, "document"))
                e.source.document = r.string(d->value, "document");
            if (const Entry* f = r.optional(*s, "file"))
                e.source.file = r.string(f->value, "file");
            if (const Entry* sec = r.required(*s, "section"))
                e.source.section = r.string(sec->value, "section");
        }
    }
    if (const Entry* themes = r.required(m, "themes")) {
        for (const auto& node : r.list(*themes)) {
            const std::string theme = r.string(node, "themes");
            if (!r.failed() && !is_example_theme(theme))
                r.fail(node.Mark(), "Het thema " + in_quotes(shown(theme)) +
                                        " bestaat niet; kies uit " + choices(example_themes) + ".");
            else if (!r.failed())
                e.themes.push_back(theme);
        }
        if (!r.failed() && e.themes.empty())
            r.fail(themes->value.Mark(), "Noem ten minste één thema (A tot en met F).");
    }
    if (const Entry* tracks = r.optional(m, "tracks")) {
        for (const auto& node : r.list(*tracks)) {
            const std::string track = r.string(node, "tracks");
            if (!r.failed() && !is_example_track(track))
                r.fail(node.Mark(), "Het spoor " + in_quotes(shown(track)) +
                                        " bestaat niet; kies uit " + choices(example_tracks) + ".");
            else if (!r.failed())
                e.tracks.push_back(track);
        }
    }
    if (const Entry* principles = r.optional(m, "principles")) {
        for (const auto& node : r.list(*principles))
            if (auto n = r.number(node, "Een principe is een getal van 1 tot en met 9.", 1,
                                  example_principle_count))
                e.principles.push_back(*n);
    }
    if (const Entry* groups = r.optional(m, "target_groups"))
        e.target_groups = r.strings(*groups);
    if (const Entry* phases = r.optional(m, "life_phase")) {
        for (const auto& node : r.list(*phases)) {
            const std::string phase = r.string(node, "life_phase");
            if (!r.failed() && !is_example_life_phase(phase))
                r.fail(node.Mark(), "De levensfase " + in_quotes(shown(phase)) +
                                        " bestaat niet; kies uit " + choices(example_life_phases) +
                                        ".");
            else if (!r.failed())
                e.life_phases.push_back(phase);
        }
    }
    if (const Entry* organisations = r.optional(m, "organisations"))
        e.organisations = r.strings(*organisations);
    if (const Entry* links = r.optional(m, "links")) {
        for (const auto& node : r.list(*links)) {
            auto link = r.map(node, "Een link", link_keys);
            if (!link)
                break;
            ExampleLink l;
            if (const Entry* name = r.required(*link, "name"))
                l.name = r.string(name->value, "name");
            if (const Entry* url = r.optional(*link, "url")) {
                l.url = r.string(url->value, "url");
                if (!r.failed() && !l.url.starts_with("https://") && !l.url.starts_with("http://"))
                    r.fail(url->value.Mark(), "Een link moet beginnen met https:// of http://.");
            }
            if (!r.failed())
                e.links.push_back(std::move(l));
        }
    }
}

} // namespace

Result<Example> parse_example(std::string_view text, std::string_view file_name,
                              std::string_view slug) {
    Reader r(file_name, {}, 0);
    if (text.starts_with("\xEF\xBB\xBF"))
        text.remove_prefix(3);
    if (text.size() > max_example_file_bytes) {
        r.fail_at(1, 1, "Het bestand is groter dan 256 kB.");
        return fail(r.error());
    }
    if (!is_valid_utf8(text)) {
        std::size_t pos = 0;
        while (pos < text.size() && is_valid_utf8(text.substr(0, pos + 1)))
            ++pos;
        r.fail_at(line_of(text, pos), 1,
                  "Het bestand is geen geldige UTF-8; sla het op als UTF-8.");
        return fail(r.error());
    }
    if (!is_valid_slug(slug) || is_reserved_slug(slug)) {
        r.fail_at(1, 1,
                  "De bestandsnaam " + in_quotes(shown(slug)) +
                      " kan geen adres worden: gebruik alleen kleine letters, cijfers en "
                      "‘-’, en niet de naam van een vaste pagina.");
        return fail(r.error());
    }
    const auto first_end = text.find('\n');
    if (first_end == std::string_view::npos || !is_fence(text.substr(0, first_end))) {
        r.fail_at(1, 1,
                  "Het bestand moet beginnen met een regel ‘---’, dan de gegevens van het "
                  "voorbeeld en dan weer een regel ‘---’.");
        return fail(r.error());
    }
    std::size_t close = std::string_view::npos;
    std::size_t after_close = text.size();
    for (std::size_t pos = first_end + 1; pos < text.size();) {
        const auto end = text.find('\n', pos);
        const auto line = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
        if (is_fence(line)) {
            close = pos;
            after_close = end == std::string_view::npos ? text.size() : end + 1;
            break;
        }
        pos = end == std::string_view::npos ? text.size() : end + 1;
    }
    if (close == std::string_view::npos) {
        r.fail_at(1, 1, "De gegevens bovenaan worden niet afgesloten met een regel ‘---’.");
        return fail(r.error());
    }
    const std::string_view front = text.substr(first_end + 1, close - first_end - 1);
    Reader reader(file_name, front, 1);
    const auto root = load_yaml(front, reader);
    if (reader.failed())
        return fail(reader.error());
    if (!root || !root->IsDefined() || root->IsNull()) {
        reader.fail_at(2, 1, "Tussen de regels ‘---’ staan geen gegevens.");
        return fail(reader.error());
    }
    Example e;
    e.slug = std::string(slug);
    if (auto m = reader.map(*root, "De gegevens bovenaan", example_keys)) {
        if (m->find("summary"))
            reader.fail(m->find("summary")->key_mark,
                        "Zet de samenvatting onder de tweede regel ‘---’, niet bij de gegevens.");
        read_example_fields(reader, *m, e);
    }
    if (reader.failed())
        return fail(reader.error());
    e.body = trimmed(without_control_characters(text.substr(after_close)));
    if (e.body.empty()) {
        reader.fail_at(line_of(text, close) + 1, 1,
                       "Onder de gegevens staat geen tekst; beschrijf het voorbeeld in Markdown.");
        return fail(reader.error());
    }
    return e;
}

Result<Example> load_example_file(const std::filesystem::path& path) {
    const auto text = read_file(path, max_example_file_bytes);
    if (!text)
        return fail(Error::invalid(path.string() + ":1:1: Het bestand kan niet worden geopend."));
    return parse_example(*text, path.string(), path.stem().string());
}

Result<std::vector<Example>> load_example_dir(const std::filesystem::path& dir) {
    std::error_code error;
    std::vector<std::filesystem::path> files;
    for (auto it = std::filesystem::directory_iterator(dir, error);
         !error && it != std::filesystem::directory_iterator(); it.increment(error))
        if (it->path().extension() == ".md")
            files.push_back(it->path());
    if (error)
        return fail(Error::invalid(dir.string() + ": de map kan niet worden gelezen."));
    std::ranges::sort(files);
    std::vector<Example> out;
    for (const auto& file : files) {
        auto example = load_example_file(file);
        if (!example)
            return fail(example.error());
        out.push_back(std::move(*example));
    }
    return out;
}

namespace {

// How one reference file is laid out.
struct Shape {
    std::string_view file;
    std::string_view intro_key;   // "" when the file has no introduction
    std::string_view id_key;      // "id" or "number"
    std::string_view text_key;    // "intro", "explanation", "description" or "text"
    std::vector<std::string> ids; // the ids that must all be there, in any order; may be empty
    std::string_view what;        // "Het thema"
};

struct SlugUse {
    std::string slug;
    std::string where;
};

std::optional<ReferenceSet> read_reference(const std::filesystem::path& dir, const Shape& shape,
                                           std::vector<SlugUse>& slug_uses, Error& error) {
    const auto path = dir / shape.file;
    const std::string name = path.string();
    const auto text = read_file(path, 4 * 1024 * 1024);
    if (!text) {
        error = Error::invalid(name + ":1:1: Het bestand kan niet worden geopend.");
        return std::nullopt;
    }
    Reader r(name, *text, 0);
    const auto root = load_yaml(*text, r);
    std::vector<std::string_view> top{"source", "items"};
    if (!shape.intro_key.empty())
        top.push_back(shape.intro_key);
    const std::array<std::string_view, 6> item_keys{"id",          "number",       "title",
                                                    "short_title", shape.text_key, "examples"};
    ReferenceSet set;
    if (auto m = root ? r.map(*root, "Het bestand", top) : std::nullopt) {
        if (const Entry* source = r.required(*m, "source"))
            if (auto s = r.map(source->value, "‘source’", source_keys)) {
                if (const Entry* d = r.required(*s, "document"))
                    set.source.document = r.string(d->value, "document");
                if (const Entry* f = r.optional(*s, "file"))
                    set.source.file = r.string(f->value, "file");
                if (const Entry* sec = r.optional(*s, "section"))
                    set.source.section = r.string(sec->value, "section");
            }
        if (!shape.intro_key.empty())
            if (const Entry* intro = r.required(*m, shape.intro_key))
                set.intro = r.string(intro->value, shape.intro_key);
        const Entry* items = r.required(*m, "items");
        for (const auto& node : items ? r.list(*items) : std::vector<YAML::Node>{}) {
            auto item = r.map(node, "Elk element", item_keys);
            if (!item)
                break;
            ReferenceEntry entry;
            if (const Entry* id = r.required(*item, shape.id_key)) {
                entry.id = shape.id_key == "number"
                               ? std::to_string(r.number(id->value,
                                                         "Het nummer moet een getal "
                                                         "van 1 tot en met 99 zijn.",
                                                         1, 99)
                                                    .value_or(0))
                               : r.string(id->value, shape.id_key);
                if (!r.failed() && set.find(entry.id))
                    r.fail(id->value.Mark(), std::string(shape.what) + " " + in_quotes(entry.id) +
                                                 " staat hier twee keer.");
                if (!r.failed() && !shape.ids.empty() &&
                    std::ranges::find(shape.ids, entry.id) == shape.ids.end())
                    r.fail(id->value.Mark(), std::string(shape.what) + " " +
                                                 in_quotes(shown(entry.id)) + " bestaat niet.");
            }
            if (const Entry* title = r.optional(*item, "title"))
                entry.title = r.string(title->value, "title");
            if (const Entry* st = r.optional(*item, "short_title"))
                entry.short_title = r.string(st->value, "short_title");
            if (const Entry* body = r.required(*item, shape.text_key))
                entry.text = r.string(body->value, shape.text_key);
            if (const Entry* examples = r.optional(*item, "examples"))
                for (const auto& slug : r.list(*examples)) {
                    entry.examples.push_back(r.string(slug, "examples"));
                    slug_uses.push_back({entry.examples.back(), r.where(slug.Mark())});
                }
            if (r.failed())
                break;
            set.items.push_back(std::move(entry));
        }
        for (const auto& id : shape.ids)
            if (!r.failed() && !set.find(id))
                r.fail(items->value.Mark(),
                       std::string(shape.what) + " " + in_quotes(id) + " ontbreekt in de lijst.");
    }
    if (r.failed()) {
        error = r.error();
        return std::nullopt;
    }
    return set;
}

std::vector<std::string> strings_of(auto values) {
    return {values.begin(), values.end()};
}

Result<Reference> load_reference(const std::filesystem::path& dir,
                                 std::vector<SlugUse>& slug_uses) {
    std::vector<std::string> principles;
    for (int i = 1; i <= example_principle_count; ++i)
        principles.push_back(std::to_string(i));
    const Shape shapes[] = {
        {"themas.yaml", "", "id", "intro", strings_of(example_themes), "Het thema"},
        {"principes.yaml", "", "number", "explanation", principles, "Het principe"},
        {"sporen.yaml", "intro", "id", "description", strings_of(example_tracks), "Het spoor"},
        {"lessen.yaml", "", "number", "text", {}, "De les"},
        {"leerkringen.yaml", "explanation", "number", "text", {}, "Het thema"},
    };
    Reference reference;
    ReferenceSet* targets[] = {&reference.themes, &reference.principles, &reference.tracks,
                               &reference.lessons, &reference.circles};
    for (std::size_t i = 0; i < std::size(shapes); ++i) {
        Error error;
        auto set = read_reference(dir, shapes[i], slug_uses, error);
        if (!set)
            return fail(std::move(error));
        *targets[i] = std::move(*set);
    }
    return reference;
}

} // namespace

Result<Reference> load_reference_dir(const std::filesystem::path& dir) {
    std::vector<SlugUse> ignored;
    return load_reference(dir, ignored);
}

Result<Content> load_content(const std::filesystem::path& content_dir) {
    std::vector<SlugUse> slug_uses;
    auto reference = load_reference(content_dir / "reference", slug_uses);
    if (!reference)
        return fail(reference.error());
    auto examples = load_example_dir(content_dir / "examples");
    if (!examples)
        return fail(examples.error());
    for (const auto& use : slug_uses)
        if (std::ranges::find(*examples, use.slug, &Example::slug) == examples->end())
            return fail(Error::invalid(use.where + ": Het voorbeeld " + in_quotes(shown(use.slug)) +
                                       " bestaat niet in " + (content_dir / "examples").string() +
                                       "."));
    return Content{std::move(*reference), std::move(*examples)};
}

} // namespace gids
