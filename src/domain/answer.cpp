#include "domain/answer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <utility>

namespace gids {

namespace {

// Input comes from a person and is tidied; stored text was tidied when it was saved
// and must come back byte for byte, so it is only checked.
enum class Mode { input, stored };

// Per-field problems; the first one found becomes the overall message.
class Problems {
  public:
    void add(const std::string& field, std::string message) {
        if (m_first.empty()) {
            m_first = message;
        }
        m_fields.try_emplace(field, std::move(message));
    }
    bool any() const { return !m_first.empty(); }
    Error error() const { return Error::invalid(m_first, m_fields); }

  private:
    std::string m_first;
    std::map<std::string, std::string> m_fields;
};

std::string in_quotes(std::string_view text) {
    return "‘" + std::string(text) + "’";
}

// Field names come from outside: show them only when they are short, readable text.
std::string shown(std::string_view name) {
    if (!is_valid_utf8(name) || name.size() > 60 ||
        std::ranges::any_of(name, [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        return "?";
    }
    return std::string(name);
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n';
}

bool has_control_character(std::string_view text) {
    return std::ranges::any_of(text, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F;
    });
}

// Browsers send line breaks as "\r\n"; we keep "\n" only and drop outer whitespace.
std::string tidy(std::string_view raw) {
    std::string text;
    text.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\r') {
            text += raw[i];
            continue;
        }
        text += '\n';
        if (i + 1 < raw.size() && raw[i + 1] == '\n') {
            ++i;
        }
    }
    const auto first = std::ranges::find_if_not(text, is_space);
    const auto last = std::find_if_not(text.rbegin(), text.rend(), is_space).base();
    return first < last ? std::string(first, last) : std::string();
}

std::string first_value(const RawAnswer& values, const std::string& field) {
    const auto found = values.find(field);
    return found == values.end() ? std::string() : found->second;
}

struct RowField {
    std::size_t index = 0;
    ActionColumn column = ActionColumn::action;
};

// "rows[3].who" -> {3, who}
std::optional<RowField> parse_row_field(std::string_view name) {
    constexpr std::string_view prefix = "rows[";
    const std::size_t close = name.find("].");
    if (!name.starts_with(prefix) || close == std::string_view::npos || close == prefix.size() ||
        close > prefix.size() + 6) {
        return std::nullopt;
    }
    RowField field;
    const char* begin = name.data() + prefix.size();
    const char* end = name.data() + close;
    const auto [ptr, ec] = std::from_chars(begin, end, field.index);
    const auto column = parse_action_column(name.substr(close + 2));
    if (ec != std::errc() || ptr != end || !column) {
        return std::nullopt;
    }
    field.column = *column;
    return field;
}

bool is_allowed_field(const Item& item, const std::string& name, Mode mode) {
    switch (item.type) {
    case ItemType::scale:
    case ItemType::yesno:
    case ItemType::count:
    case ItemType::text:
        return name == "value";
    case ItemType::single:
    case ItemType::multi: {
        if (name == "option") {
            return true;
        }
        const Option* option =
            name.starts_with("other.") ? item.find_option(name.substr(6)) : nullptr;
        return option != nullptr && option->other;
    }
    case ItemType::actions: {
        const auto field = parse_row_field(name);
        // Stored rows carry every column so that empty rows survive a round trip.
        return field && (mode == Mode::stored || item.has_column(field->column));
    }
    case ItemType::guidance:
        return false;
    }
    return false;
}

std::string main_field(const Item& item) {
    switch (item.type) {
    case ItemType::single:
    case ItemType::multi:
        return "option";
    case ItemType::actions:
        return "rows[0]." +
               std::string(action_column_name(item.columns.empty() ? ActionColumn::action
                                                                   : item.columns.front()));
    default:
        return "value";
    }
}

void check_length(const std::string& field, std::string_view text, std::size_t limit,
                  Problems& problems) {
    const std::size_t used = count_characters(text);
    if (used > limit) {
        problems.add(field, "Gebruik hoogstens " + std::to_string(limit) +
                                " tekens; u gebruikte er " + std::to_string(used) + ".");
    }
}

std::string other_missing_message(const Option& option) {
    std::string label = option.text.nl;
    while (!label.empty() &&
           (label.back() == '.' || label.back() == ':' || is_space(label.back()))) {
        label.pop_back();
    }
    // "Nee, want" asks for a reason; "Anders, namelijk" asks what is meant.
    const bool reason = label.ends_with(" want") || label.ends_with(" omdat") ||
                        label.ends_with(",want") || label.ends_with(",omdat");
    return reason ? "Vul in waarom u " + in_quotes(label) + " kiest."
                  : "Vul in wat u bedoelt met " + in_quotes(label) + ".";
}

// Free text belongs to a chosen `other` option and is required there.
std::map<std::string, std::string> other_texts(const Item& item, const RawAnswer& values,
                                               const std::set<std::string>& chosen,
                                               Problems& problems) {
    std::map<std::string, std::string> texts;
    for (const Option& option : item.options) {
        if (!option.other) {
            continue;
        }
        const std::string field = "other." + option.id;
        const std::string text = first_value(values, field);
        if (chosen.contains(option.id)) {
            if (text.empty()) {
                problems.add(field, other_missing_message(option));
            } else {
                check_length(field, text, max_short_text, problems);
                texts.emplace(option.id, text);
            }
        } else if (!text.empty()) {
            problems.add(field, "Kies " + in_quotes(option.text.nl) + " als u hier iets invult.");
        }
    }
    return texts;
}

bool is_valid_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return false;
    }
    const auto number = [&](std::size_t from, std::size_t length) {
        unsigned value = 0;
        const char* begin = text.data() + from;
        const auto [ptr, ec] = std::from_chars(begin, begin + length, value);
        return ec == std::errc() && ptr == begin + length ? value : 0U;
    };
    const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(number(0, 4))},
                                           std::chrono::month{number(5, 2)},
                                           std::chrono::day{number(8, 2)}};
    return number(0, 4) >= 1 && date.ok();
}

Answer scale_answer(const Item& item, const RawAnswer& values, Problems& problems) {
    const std::string text = first_value(values, "value");
    if (text == "dont_know" && item.scale.dont_know) {
        return {ScaleAnswer{}};
    }
    int value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc() && ptr == text.data() + text.size() && item.scale.contains(value)) {
        return {ScaleAnswer{value}};
    }
    const std::string range = "Kies een getal van " + std::to_string(item.scale.min) + " tot " +
                              std::to_string(item.scale.max);
    problems.add("value", item.scale.dont_know
                              ? range + " of " + in_quotes(item.scale.dont_know->nl) + "."
                              : range + ".");
    return {};
}

Answer single_answer(const Item& item, const RawAnswer& values, Problems& problems) {
    SingleAnswer answer{first_value(values, "option"), {}};
    // Problems with the free text first: text typed next to an unchosen option means
    // the person forgot to choose it, which is the more helpful thing to say.
    auto texts = other_texts(item, values, {answer.option}, problems);
    if (!texts.empty()) {
        answer.other = std::move(texts.begin()->second);
    }
    if (values.count("option") > 1) {
        problems.add("option", "Kies één antwoord.");
    } else if (item.find_option(answer.option) == nullptr) {
        problems.add("option", "Kies een van de antwoorden uit de lijst.");
    }
    return {std::move(answer)};
}

Answer multi_answer(const Item& item, const RawAnswer& values, Mode mode, Problems& problems) {
    MultiAnswer answer;
    const auto [from, to] = values.equal_range("option");
    for (auto it = from; it != to; ++it) {
        if (it->second.empty() && mode == Mode::input) {
            continue; // an unchecked box some forms still send
        }
        if (item.find_option(it->second) == nullptr) {
            problems.add("option", "Kies een van de antwoorden uit de lijst.");
        }
        answer.options.insert(it->second);
    }
    for (const Option& option : item.options) {
        if (option.exclusive && answer.options.contains(option.id) && answer.options.size() > 1) {
            problems.add("option", in_quotes(option.text.nl) +
                                       " kunt u niet combineren met andere antwoorden.");
        }
    }
    answer.other = other_texts(item, values, answer.options, problems);
    return {std::move(answer)};
}

Answer yesno_answer(const Item& item, const RawAnswer& values, Problems& problems) {
    const std::string text = first_value(values, "value");
    if (text != "yes" && text != "no") {
        problems.add("value",
                     "Kies " + in_quotes(item.yes.nl) + " of " + in_quotes(item.no.nl) + ".");
    }
    return {YesNoAnswer{text == "yes"}};
}

Answer count_answer(const Item& item, const RawAnswer& values, Problems& problems) {
    const std::string text = first_value(values, "value");
    long value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || text.front() == '-') {
        problems.add("value", "Vul een heel getal in, 0 of meer.");
    } else if (ec == std::errc::result_out_of_range) {
        problems.add("value", "Dit getal is te groot.");
    } else if (ec != std::errc() || ptr != text.data() + text.size()) {
        problems.add("value", "Vul een heel getal in, 0 of meer.");
    } else if (item.max && value > *item.max) {
        problems.add("value",
                     "Vul een heel getal in van 0 tot en met " + std::to_string(*item.max) + ".");
    }
    return {CountAnswer{value}};
}

std::string& column_of(ActionRow& row, ActionColumn column) {
    switch (column) {
    case ActionColumn::theme:
        return row.theme;
    case ActionColumn::who:
        return row.who;
    case ActionColumn::department:
        return row.department;
    case ActionColumn::due:
        return row.due;
    case ActionColumn::action:
        break;
    }
    return row.action;
}

Answer actions_answer(const Item& item, const RawAnswer& values, Mode mode, Problems& problems) {
    std::map<std::size_t, ActionRow> rows;
    for (const auto& [name, value] : values) {
        const auto field = parse_row_field(name);
        if (field->index >= max_action_rows) {
            problems.add(name, "Er passen hoogstens " + std::to_string(max_action_rows) +
                                   " acties in deze lijst.");
            continue;
        }
        check_length(name, value, max_short_text, problems);
        if (!item.has_column(field->column) && !value.empty()) {
            problems.add(name,
                         "Het veld " + in_quotes(shown(name)) + " hoort niet bij deze vraag.");
        }
        column_of(rows[field->index], field->column) = value;
    }
    ActionsAnswer answer;
    for (auto& [index, row] : rows) {
        const std::string prefix = "rows[" + std::to_string(index) + "].";
        if (mode == Mode::input) {
            if (row == ActionRow{}) {
                continue; // a spare row the person did not use
            }
            if (item.has_column(ActionColumn::action) && row.action.empty()) {
                problems.add(prefix + "action", "Vul in welke actie u afspreekt.");
            }
        }
        if (!row.due.empty() && !is_valid_date(row.due)) {
            problems.add(prefix + "due",
                         "Vul een bestaande datum in als jjjj-mm-dd, bijvoorbeeld 2025-03-31.");
        }
        answer.rows.push_back(std::move(row));
    }
    return {std::move(answer)};
}

Answer typed_answer(const Item& item, const RawAnswer& values, Mode mode, Problems& problems) {
    switch (item.type) {
    case ItemType::scale:
        return scale_answer(item, values, problems);
    case ItemType::single:
        return single_answer(item, values, problems);
    case ItemType::multi:
        return multi_answer(item, values, mode, problems);
    case ItemType::yesno:
        return yesno_answer(item, values, problems);
    case ItemType::count:
        return count_answer(item, values, problems);
    case ItemType::text: {
        const std::string text = first_value(values, "value");
        check_length("value", text, item.max_length, problems);
        return {TextAnswer{text}};
    }
    case ItemType::actions:
        return actions_answer(item, values, mode, problems);
    case ItemType::guidance:
        break;
    }
    return {};
}

Result<Answer> build_answer(const Item& item, const RawAnswer& raw, Mode mode) {
    Problems problems;
    RawAnswer values;
    for (auto it = raw.begin(); it != raw.end(); it = raw.upper_bound(it->first)) {
        const std::string& name = it->first;
        if (!is_allowed_field(item, name, mode)) {
            problems.add(shown(name),
                         "Het veld " + in_quotes(shown(name)) + " hoort niet bij deze vraag.");
            continue;
        }
        // Only options repeat; single_answer says so itself when more than one arrives.
        if (name != "option" && raw.count(name) > 1) {
            problems.add(name, "Vul dit veld één keer in.");
            continue;
        }
        const auto [from, to] = raw.equal_range(name);
        for (auto value = from; value != to; ++value) {
            if (!is_valid_utf8(value->second)) {
                problems.add(
                    name,
                    "Deze tekst bevat tekens die wij niet kunnen lezen; typ of plak hem opnieuw.");
            } else if (mode == Mode::stored) {
                values.emplace(name, value->second);
            } else if (std::string text = tidy(value->second); has_control_character(text)) {
                problems.add(name, "Deze tekst bevat onzichtbare stuurtekens; haal die weg.");
            } else {
                values.emplace(name, std::move(text));
            }
        }
    }
    if (problems.any()) {
        return fail(problems.error());
    }
    const bool empty = std::ranges::all_of(values, [](const auto& v) { return v.second.empty(); });
    if (mode == Mode::input && empty) {
        if (!item.required) {
            return Answer{};
        }
        problems.add(main_field(item), "Geef een antwoord op deze vraag.");
        return fail(problems.error());
    }
    Answer answer = typed_answer(item, values, mode, problems);
    if (problems.any()) {
        return fail(problems.error());
    }
    return answer;
}

bool needs_escape(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return c == '%' || c == '&' || c == '=' || byte < 0x20 || byte == 0x7F;
}

std::string escape(std::string_view text) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (needs_escape(c)) {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4U];
            out += hex[byte & 0x0FU];
        } else {
            out += c;
        }
    }
    return out;
}

std::optional<std::string> unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        unsigned byte = 0;
        const char* begin = text.data() + i + 1;
        if (i + 2 >= text.size() || std::from_chars(begin, begin + 2, byte, 16).ptr != begin + 2) {
            return std::nullopt;
        }
        out += static_cast<char>(byte);
        i += 2;
    }
    return out;
}

class Writer {
  public:
    explicit Writer(std::string_view type) : m_text(std::string(type) + "?") {}
    void put(std::string_view field, std::string_view value) {
        if (m_text.back() != '?') {
            m_text += '&';
        }
        m_text += escape(field);
        m_text += '=';
        m_text += escape(value);
    }
    std::string text() && { return std::move(m_text); }

  private:
    std::string m_text;
};

struct Serializer {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(const ScaleAnswer& a) const {
        Writer w(item_type_name(ItemType::scale));
        w.put("value", a.value ? std::to_string(*a.value) : "dont_know");
        return std::move(w).text();
    }
    std::string operator()(const SingleAnswer& a) const {
        Writer w(item_type_name(ItemType::single));
        w.put("option", a.option);
        if (!a.other.empty()) {
            w.put("other." + a.option, a.other);
        }
        return std::move(w).text();
    }
    std::string operator()(const MultiAnswer& a) const {
        Writer w(item_type_name(ItemType::multi));
        for (const std::string& option : a.options) {
            w.put("option", option);
        }
        for (const auto& [option, text] : a.other) {
            w.put("other." + option, text);
        }
        return std::move(w).text();
    }
    std::string operator()(const YesNoAnswer& a) const {
        Writer w(item_type_name(ItemType::yesno));
        w.put("value", a.yes ? "yes" : "no");
        return std::move(w).text();
    }
    std::string operator()(const CountAnswer& a) const {
        Writer w(item_type_name(ItemType::count));
        w.put("value", std::to_string(a.value));
        return std::move(w).text();
    }
    std::string operator()(const TextAnswer& a) const {
        Writer w(item_type_name(ItemType::text));
        w.put("value", a.text);
        return std::move(w).text();
    }
    std::string operator()(const ActionsAnswer& a) const {
        Writer w(item_type_name(ItemType::actions));
        for (std::size_t i = 0; i < a.rows.size(); ++i) {
            const std::string prefix = "rows[" + std::to_string(i) + "].";
            const ActionRow& row = a.rows[i];
            w.put(prefix + "theme", row.theme);
            w.put(prefix + "action", row.action);
            w.put(prefix + "who", row.who);
            w.put(prefix + "department", row.department);
            w.put(prefix + "due", row.due);
        }
        return std::move(w).text();
    }
};

Error unreadable(const Item& item) {
    return Error::internal("Het opgeslagen antwoord op vraag " + in_quotes(item.id) +
                           " kan niet worden gelezen.");
}

} // namespace

Result<Answer> parse_answer(const Item& item, const RawAnswer& raw) {
    return build_answer(item, raw, Mode::input);
}

std::string serialize_answer(const Answer& answer) {
    return std::visit(Serializer{}, answer.value);
}

Result<Answer> deserialize_answer(const Item& item, std::string_view stored) {
    if (stored.empty()) {
        return Answer{};
    }
    const std::size_t mark = stored.find('?');
    if (mark == std::string_view::npos || stored.substr(0, mark) != item_type_name(item.type)) {
        return fail(unreadable(item));
    }
    RawAnswer raw;
    std::string_view rest = stored.substr(mark + 1);
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find('&'), rest.size());
        const std::string_view pair = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        const std::size_t equals = pair.find('=');
        auto name = unescape(pair.substr(0, equals));
        auto value =
            equals == std::string_view::npos ? std::nullopt : unescape(pair.substr(equals + 1));
        if (!name || !value) {
            return fail(unreadable(item));
        }
        raw.emplace(std::move(*name), std::move(*value));
    }
    auto answer = build_answer(item, raw, Mode::stored);
    if (!answer) {
        Error error = unreadable(item);
        error.fields = std::move(answer.error().fields);
        return fail(std::move(error));
    }
    return answer;
}

} // namespace gids
