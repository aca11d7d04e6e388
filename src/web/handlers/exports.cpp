// The results of a round to take along: an Excel workbook and a CSV of the statements for
// the policy officer, a print page (A4) for the alderman, and the trend over the rounds of
// one chain (a round and its repeats). All four build on load_round, so a coordinator of
// another municipality gets "not found", and on load_round_results, so they show the same
// numbers as the results page.
#include "web/charts.hpp"
#include "web/handlers/round_access.hpp"
#include "web/round_results.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>
#include <utility>
#include <xlsxwriter.h>

namespace gids::web {

// In results.cpp: the template data of the results page, reused by the print page.
Data results_data(Context& ctx, const RoundContext& rc, const StoredRound& stored);

namespace {

// ---- Shared ------------------------------------------------------------------------------

// Only ASCII letters, digits and dashes, so that the name needs no quoting in any browser
// or file system; accented Latin letters lose their accent ("Súdwest-Fryslân" gives
// "Sudwest-Fryslan").
std::string file_name_part(std::string_view text) {
    // U+00C0..U+00FF, which UTF-8 writes as 0xC3 and one byte 0x80..0xBF; × and ÷ are no letter.
    static constexpr std::string_view latin1 = "AAAAAAACEEEEIIIIDNOOOOO-OUUUUYTs"
                                               "aaaaaaaceeeeiiiidnooooo-ouuuuyty";
    const auto ascii_alnum = [](unsigned char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    };
    std::string out;
    bool gap = false;
    for (std::size_t i = 0; i < text.size() && out.size() < 60; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        char letter = '-';
        if (ascii_alnum(c))
            letter = static_cast<char>(c);
        else if (c == 0xC3 && i + 1 < text.size() &&
                 (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80)
            letter = latin1[static_cast<unsigned char>(text[++i]) - 0x80u];
        if (letter == '-') {
            gap = true;
            continue;
        }
        if (gap && !out.empty())
            out += '-';
        gap = false;
        out += letter;
    }
    return out;
}

Response download(std::string body, std::string content_type, const std::string& file_name) {
    Response r = Response::text(200, std::move(body), std::move(content_type));
    r.set_header("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
    r.set_header("Cache-Control", "no-store");
    return r;
}

std::string download_name(const Context& ctx, const Assessment& round, std::string_view ext) {
    std::string title = file_name_part(round.title);
    if (title.empty())
        title = std::to_string(round.id);
    return file_name_part(ctx.t("export_file_name")) + "-" + title + "." + std::string(ext);
}

std::string theme_label(const Context& ctx, const Instrument& instrument, const std::string& id) {
    if (id.empty())
        return ctx.t("results_no_theme");
    const Theme* theme = instrument.find_theme(id);
    return theme ? theme->id + ". " + theme->title.in(ctx.lang) : id;
}

std::string statement_label(const Context& ctx, const Instrument& instrument,
                            const ScaleItemResult& r) {
    const Item* item = instrument.find_item(r.item_id);
    if (!item)
        return r.item_id;
    return item->number.empty() ? item->text.in(ctx.lang)
                                : item->number + " " + item->text.in(ctx.lang);
}

std::string participant_status(const Context& ctx, const Participant& p) {
    if (p.submitted_at)
        return ctx.t("export_status_submitted");
    if (p.revoked)
        return ctx.t("participant_revoked");
    if (p.started_at)
        return ctx.t("export_status_busy");
    return ctx.t("participant_not_started");
}

std::string date_of(long long unix_seconds) {
    return format_time(unix_seconds).substr(0, 10); // dd-mm-yyyy
}

// The round's actions in the instrument's theme order; without a known theme last.
std::vector<Action> agenda(Context& ctx, const Instrument& instrument, long long round_id) {
    auto actions = ctx.app.db().actions_of_assessment(round_id);
    const auto rank = [&](const Action& a) {
        for (std::size_t i = 0; i < instrument.themes.size(); ++i)
            if (instrument.themes[i].id == a.theme)
                return i;
        return instrument.themes.size();
    };
    std::stable_sort(actions.begin(), actions.end(),
                     [&](const Action& a, const Action& b) { return rank(a) < rank(b); });
    return actions;
}

std::string status_label(const Context& ctx, ActionStatus status) {
    return ctx.t("status_" + std::string(action_status_name(status)));
}

StoredRound stored_round(Context& ctx, const RoundContext& rc) {
    const bool drafts = ctx.request.query.get("concepten") == "1";
    return load_round_results(ctx.app.db(), rc.round, *rc.instrument.instrument, drafts);
}

// ---- Excel workbook ------------------------------------------------------------------------

struct Formats {
    lxw_format* header = nullptr;
    lxw_format* text = nullptr;
    lxw_format* integer = nullptr;
    lxw_format* decimal = nullptr;
    lxw_format* date = nullptr;
    lxw_format* moment = nullptr;
};

Formats make_formats(lxw_workbook* book) {
    Formats f;
    f.header = workbook_add_format(book);
    format_set_bold(f.header);
    format_set_text_wrap(f.header);
    format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
    format_set_bottom(f.header, LXW_BORDER_THIN);
    format_set_bg_color(f.header, 0xE2EEF0);
    f.text = workbook_add_format(book);
    format_set_text_wrap(f.text);
    format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
    f.integer = workbook_add_format(book);
    format_set_align(f.integer, LXW_ALIGN_VERTICAL_TOP);
    f.decimal = workbook_add_format(book);
    format_set_num_format(f.decimal, "0.0");
    format_set_align(f.decimal, LXW_ALIGN_VERTICAL_TOP);
    f.date = workbook_add_format(book);
    format_set_num_format(f.date, "dd-mm-yyyy");
    format_set_align(f.date, LXW_ALIGN_VERTICAL_TOP);
    f.moment = workbook_add_format(book);
    format_set_num_format(f.moment, "dd-mm-yyyy hh:mm");
    format_set_align(f.moment, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

// Excel refuses sheet names longer than 31 characters or with []:*?/\ in them.
std::string sheet_name(std::string name) {
    for (char& c : name)
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos)
            c = '-';
    std::size_t chars = 0, end = 0;
    for (; end < name.size(); ++end)
        if ((static_cast<unsigned char>(name[end]) & 0xC0) != 0x80 && ++chars > 31)
            break;
    name.resize(end);
    while (!name.empty() && name.back() == '\'')
        name.pop_back();
    return name;
}

struct Column {
    std::string title;
    double width; // in characters
};

// Writes one worksheet row by row, cell by cell, left to right.
class Sheet {
  public:
    Sheet(lxw_workbook* book, const Formats& formats, const std::string& name)
        : m_formats(formats) {
        m_sheet = workbook_add_worksheet(book, sheet_name(name).c_str());
        if (!m_sheet) // a name Excel refuses, or one used twice: Excel's own name then
            m_sheet = workbook_add_worksheet(book, nullptr);
        if (!m_sheet)
            throw std::runtime_error("Excel-werkblad kan niet worden gemaakt");
    }

    // A row of column titles in bold with the widths of the columns, kept in view while
    // scrolling, with the first `frozen` columns kept in view as well.
    void header(const std::vector<Column>& columns, int frozen = -1) {
        for (const auto& [title, width] : columns) {
            worksheet_set_column(m_sheet, m_col, m_col, width, nullptr);
            text(title, m_formats.header);
        }
        if (frozen >= 0)
            worksheet_freeze_panes(m_sheet, m_row + 1, static_cast<lxw_col_t>(frozen));
        end_row();
    }
    void text(const std::string& value, lxw_format* format = nullptr) {
        if (!value.empty())
            worksheet_write_string(m_sheet, m_row, m_col, value.c_str(),
                                   format ? format : m_formats.text);
        ++m_col;
    }
    void number(double value) { write_number(value, m_formats.integer); }
    void number_or_blank(const std::optional<int>& value) {
        if (value)
            number(*value);
        else
            skip();
    }
    void mean(const std::optional<double>& value) {
        if (value)
            write_number(*value, m_formats.decimal);
        else
            skip();
    }
    void date(const std::string& yyyy_mm_dd) {
        int year = 0, month = 0, day = 0;
        if (!is_valid_date(yyyy_mm_dd))
            return text(yyyy_mm_dd);
        std::from_chars(yyyy_mm_dd.data(), yyyy_mm_dd.data() + 4, year);
        std::from_chars(yyyy_mm_dd.data() + 5, yyyy_mm_dd.data() + 7, month);
        std::from_chars(yyyy_mm_dd.data() + 8, yyyy_mm_dd.data() + 10, day);
        lxw_datetime when{year, month, day, 0, 0, 0};
        worksheet_write_datetime(m_sheet, m_row, m_col++, &when, m_formats.date);
    }
    void moment(long long unix_seconds) {
        const auto t = static_cast<std::time_t>(unix_seconds);
        std::tm tm{};
        localtime_r(&t, &tm);
        lxw_datetime when{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour,        tm.tm_min,     static_cast<double>(tm.tm_sec)};
        worksheet_write_datetime(m_sheet, m_row, m_col++, &when, m_formats.moment);
    }
    void skip() { ++m_col; }
    void end_row() {
        ++m_row;
        m_col = 0;
    }

  private:
    void write_number(double value, lxw_format* format) {
        worksheet_write_number(m_sheet, m_row, m_col++, value, format);
    }
    lxw_worksheet* m_sheet = nullptr;
    const Formats& m_formats;
    lxw_row_t m_row = 0;
    lxw_col_t m_col = 0;
};

void write_statements(Sheet& sheet, const Context& ctx, const Instrument& instrument,
                      const StoredRound& stored, bool meeting) {
    const RoundResults& results = stored.results;
    std::vector<Column> columns = {{ctx.t("export_number"), 8}, {ctx.t("results_statement"), 60}};
    for (const auto& p : results.participants)
        columns.push_back(
            {p.label, std::clamp(static_cast<double>(p.label.size()) + 2, 10.0, 30.0)});
    columns.insert(columns.end(), {{ctx.t("results_mean"), 11},
                                   {ctx.t("results_spread"), 10},
                                   {ctx.t("results_dont_know"), 10}});
    if (meeting)
        columns.insert(columns.end(),
                       {{ctx.t("results_agreed"), 12}, {ctx.t("results_agreed_note"), 40}});
    sheet.header(columns, 2);
    for (const auto& r : results.scale_items) {
        const Item* item = instrument.find_item(r.item_id);
        sheet.text(item ? item->number : "");
        sheet.text(item ? item->text.in(ctx.lang) : r.item_id);
        for (const auto& p : r.participants) {
            if (p.state == ScoreState::value && p.value)
                sheet.number(*p.value);
            else if (p.state == ScoreState::dont_know)
                sheet.text(ctx.t("results_dont_know_short"));
            else
                sheet.skip();
        }
        sheet.mean(r.mean);
        sheet.number_or_blank(r.spread);
        sheet.number(r.dont_know);
        if (meeting) {
            sheet.number_or_blank(r.agreed);
            const auto a = stored.agreed.find(r.item_id);
            sheet.text(a != stored.agreed.end() ? a->second.second : "");
        }
        sheet.end_row();
    }
}

void write_themes(Sheet& sheet, const Context& ctx, const RoundResults& results) {
    sheet.header({{ctx.t("action_theme"), 50},
                  {ctx.t("results_mean"), 11},
                  {ctx.t("results_spread"), 10},
                  {ctx.t("results_dont_know"), 10},
                  {ctx.t("export_theme_n"), 14}},
                 1);
    for (const auto& t : results.themes) {
        if (!t.scored)
            continue;
        sheet.text(t.theme_id + ". " + t.title.in(ctx.lang));
        sheet.mean(t.mean);
        sheet.number_or_blank(t.spread);
        sheet.number(t.dont_know);
        sheet.number(t.n);
        sheet.end_row();
    }
}

void write_observations(Sheet& sheet, const Context& ctx, const RoundResults& results) {
    sheet.header({{ctx.t("results_observations"), 100}}, 0);
    if (results.observations.empty()) {
        sheet.text(ctx.t("results_no_observations"));
        sheet.end_row();
    }
    for (const auto& o : results.observations) {
        sheet.text(o.text);
        sheet.end_row();
    }
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ", ") + p;
    return out;
}

struct FreeText {
    std::string question, text, who;
};

// Choices, yes/no and numbers as counts with who chose them; then every free text.
void write_questions(Sheet& sheet, const Context& ctx, const Instrument& instrument,
                     const RoundResults& results) {
    // Both parts share the columns, so both headers give the same widths.
    sheet.header({{ctx.t("export_question"), 50},
                  {ctx.t("results_answer"), 60},
                  {ctx.t("results_times"), 16},
                  {ctx.t("results_who"), 40}},
                 0);
    std::vector<FreeText> texts;
    const auto row = [&](const std::string& question, const std::string& answer, int times,
                         const std::vector<std::string>& who) {
        sheet.text(question);
        sheet.text(answer);
        sheet.number(times);
        sheet.text(join(who));
        sheet.end_row();
    };
    for (const Item* item : instrument.answerable_items()) {
        if (item->type == ItemType::scale || item->type == ItemType::actions)
            continue;
        const std::string question = item->number.empty()
                                         ? item->text.in(ctx.lang)
                                         : item->number + " " + item->text.in(ctx.lang);
        if (const auto* c = results.find_choice(item->id)) {
            for (const auto& o : c->options) {
                const Option* opt = item->find_option(o.option_id);
                row(question, opt ? opt->text.in(ctx.lang) : o.option_id,
                    static_cast<int>(o.chosen_by.size()), o.chosen_by);
            }
            for (const auto& t : c->other_texts) {
                const Option* opt = item->find_option(t.option_id);
                texts.push_back(
                    {question, (opt ? opt->text.in(ctx.lang) + ": " : "") + t.text, t.label});
            }
        }
        for (const auto& y : results.yesno_items)
            if (y.item_id == item->id) {
                row(question, item->yes.in(ctx.lang), static_cast<int>(y.yes_by.size()), y.yes_by);
                row(question, item->no.in(ctx.lang), static_cast<int>(y.no_by.size()), y.no_by);
            }
        for (const auto& n : results.count_items)
            if (n.item_id == item->id)
                for (const auto& v : n.values)
                    if (v.value) {
                        sheet.text(question);
                        sheet.number(static_cast<double>(*v.value));
                        sheet.skip();
                        sheet.text(v.label);
                        sheet.end_row();
                    }
        for (const auto& t : results.text_items)
            if (t.item_id == item->id)
                for (const auto& e : t.texts)
                    texts.push_back({question, e.text, e.label});
    }
    sheet.end_row();
    sheet.header({{ctx.t("export_question"), 50},
                  {ctx.t("export_free_text"), 60},
                  {ctx.t("export_written_by"), 16}});
    for (const auto& t : texts) {
        sheet.text(t.question);
        sheet.text(t.text);
        sheet.text(t.who);
        sheet.end_row();
    }
}

void write_actions(Sheet& sheet, const Context& ctx, const Instrument& instrument,
                   const std::vector<Action>& actions) {
    sheet.header({{ctx.t("action_theme"), 40},
                  {ctx.t("action_row"), 60},
                  {ctx.t("export_owner"), 24},
                  {ctx.t("action_department"), 24},
                  {ctx.t("export_due"), 12},
                  {ctx.t("field_status"), 12}},
                 0);
    for (const auto& a : actions) {
        sheet.text(theme_label(ctx, instrument, a.theme));
        sheet.text(a.description);
        sheet.text(a.owner);
        sheet.text(a.department);
        sheet.date(a.due);
        sheet.text(status_label(ctx, a.status));
        sheet.end_row();
    }
}

void write_participants(Sheet& sheet, const Context& ctx,
                        const std::vector<Participant>& participants) {
    sheet.header({{ctx.t("participant"), 30},
                  {ctx.t("field_status"), 20},
                  {ctx.t("participant_submitted"), 18}},
                 0);
    for (const auto& p : participants) {
        sheet.text(p.label);
        sheet.text(participant_status(ctx, p));
        if (p.submitted_at)
            sheet.moment(*p.submitted_at);
        sheet.end_row();
    }
}

// libxlsxwriter 1.1 writes only to a file: a fresh one in the temporary directory, removed
// again when the download has been read.
class TempFile {
  public:
    TempFile() {
        std::error_code ec;
        std::string pattern =
            (std::filesystem::temp_directory_path(ec) / "gids-export-XXXXXX").string();
        if (ec)
            pattern = "/tmp/gids-export-XXXXXX";
        const int fd = mkstemp(pattern.data());
        if (fd >= 0) {
            ::close(fd);
            m_path = pattern;
        }
    }
    ~TempFile() {
        std::error_code ec;
        if (!m_path.empty())
            std::filesystem::remove(m_path, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return m_path; }

  private:
    std::string m_path;
};

Result<std::string> workbook_bytes(Context& ctx, const RoundContext& rc,
                                   const StoredRound& stored) {
    const Instrument& instrument = *rc.instrument.instrument;
    TempFile file;
    if (file.path().empty())
        return fail(Error::internal("Geen tijdelijk bestand voor de Excel-export"));
    lxw_workbook* book = workbook_new(file.path().c_str());
    if (!book)
        return fail(Error::internal("Excel-export kan niet beginnen"));
    {
        // Closing writes the file and frees the workbook, also when a sheet throws.
        struct Closer {
            lxw_workbook*& book;
            ~Closer() {
                if (book)
                    workbook_close(book);
            }
        } closer{book};
        lxw_doc_properties properties{};
        std::string title = rc.round.title;
        std::string application = "GIDS";
        properties.title = title.data();
        properties.author = application.data();
        workbook_set_properties(book, &properties);
        const Formats formats = make_formats(book);
        Sheet statements(book, formats, ctx.t("export_sheet_statements"));
        write_statements(statements, ctx, instrument, stored, rc.round.mode == RoundMode::meeting);
        Sheet themes(book, formats, ctx.t("export_sheet_themes"));
        write_themes(themes, ctx, stored.results);
        Sheet observations(book, formats, ctx.t("export_sheet_observations"));
        write_observations(observations, ctx, stored.results);
        Sheet questions(book, formats, ctx.t("export_sheet_questions"));
        write_questions(questions, ctx, instrument, stored.results);
        Sheet actions(book, formats, ctx.t("export_sheet_actions"));
        write_actions(actions, ctx, instrument, agenda(ctx, instrument, rc.round.id));
        Sheet participants(book, formats, ctx.t("export_sheet_participants"));
        write_participants(participants, ctx, stored.participants);
        lxw_workbook* done = std::exchange(book, nullptr);
        if (const lxw_error error = workbook_close(done); error != LXW_NO_ERROR)
            return fail(
                Error::internal(std::string("Excel-export mislukt: ") + lxw_strerror(error)));
    }
    std::ifstream in(file.path(), std::ios::binary);
    if (!in.is_open())
        return fail(Error::internal("Excel-export kan niet worden gelezen"));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// ---- CSV ---------------------------------------------------------------------------------

// RFC 4180 with ';' between the cells, as Dutch Excel expects. A cell that starts like a
// formula gets an apostrophe in front, so that Excel shows it instead of running it.
std::string csv_cell(std::string value) {
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string::npos)
        value.insert(0, "'");
    if (value.find_first_of(";\"\r\n") == std::string::npos)
        return value;
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string csv_row(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i)
        line += (i ? ";" : "") + csv_cell(cells[i]);
    return line + "\r\n";
}

std::string statements_csv(const Context& ctx, const Instrument& instrument,
                           const RoundResults& results) {
    std::string out = "\xEF\xBB\xBF"; // the byte order mark tells Excel this is UTF-8
    std::vector<std::string> header = {ctx.t("results_statement")};
    for (const auto& p : results.participants)
        header.push_back(p.label);
    header.insert(header.end(),
                  {ctx.t("results_mean"), ctx.t("results_spread"), ctx.t("results_dont_know")});
    out += csv_row(header);
    for (const auto& r : results.scale_items) {
        std::vector<std::string> cells = {statement_label(ctx, instrument, r)};
        for (const auto& p : r.participants)
            cells.push_back(p.state == ScoreState::value && p.value ? std::to_string(*p.value)
                            : p.state == ScoreState::dont_know ? ctx.t("results_dont_know_short")
                                                               : std::string());
        cells.push_back(r.mean ? format_decimal(*r.mean, 1) : "");
        cells.push_back(r.spread ? std::to_string(*r.spread) : "");
        cells.push_back(std::to_string(r.dont_know));
        out += csv_row(cells);
    }
    return out;
}

// ---- Print page --------------------------------------------------------------------------

Data print_data(Context& ctx, const RoundContext& rc, const StoredRound& stored) {
    const Instrument& instrument = *rc.instrument.instrument;
    Data d = results_data(ctx, rc, stored);
    d.set("municipality_name", ctx.municipality ? ctx.municipality->name : "");
    d.set("created", date_of(rc.round.created_at));
    d.set("printed_on", date_of(storage::now_seconds()));
    List participants;
    for (const auto& p : stored.participants) {
        Data pd;
        pd.set("label", p.label);
        pd.set("status", participant_status(ctx, p));
        pd.set("submitted_at", p.submitted_at ? format_time(*p.submitted_at) : "");
        participants.push_back(pd);
    }
    d.set("participants", participants);
    List actions;
    for (const auto& a : agenda(ctx, instrument, rc.round.id)) {
        Data ad;
        ad.set("theme", theme_label(ctx, instrument, a.theme));
        ad.set("description", a.description);
        ad.set("owner", a.owner);
        ad.set("department", a.department);
        ad.set("due", a.due);
        ad.set("status", status_label(ctx, a.status));
        actions.push_back(ad);
    }
    d.set("has_actions", !actions.empty());
    d.set("actions", actions);
    return d;
}

// ---- Trend -------------------------------------------------------------------------------

// The chain through a round, oldest first: back along previous_id, then forward to the
// round that repeats it (the first one, when it was repeated twice). Only rounds of the
// same municipality and instrument, so the chain never leaves the tenant.
std::vector<Assessment> round_chain(storage::Database& db, const Assessment& round) {
    const auto all = db.list_assessments(round.municipality_id);
    const auto fits = [&](const Assessment& a) {
        return a.municipality_id == round.municipality_id &&
               a.instrument_key == round.instrument_key;
    };
    std::set<long long> seen = {round.id};
    std::vector<Assessment> chain = {round};
    for (auto previous = round.previous_id; previous && !seen.contains(*previous);) {
        const auto it = std::find_if(all.begin(), all.end(),
                                     [&](const Assessment& a) { return a.id == *previous; });
        if (it == all.end() || !fits(*it))
            break;
        seen.insert(it->id);
        chain.insert(chain.begin(), *it);
        previous = it->previous_id;
    }
    for (;;) {
        const Assessment* next = nullptr;
        for (const auto& a : all)
            if (a.previous_id == chain.back().id && fits(a) && !seen.contains(a.id) &&
                (!next || std::pair(a.created_at, a.id) < std::pair(next->created_at, next->id)))
                next = &a;
        if (!next)
            break;
        seen.insert(next->id);
        chain.push_back(*next);
    }
    return chain;
}

Data trend_data(Context& ctx, const RoundContext& rc) {
    const Instrument& instrument = *rc.instrument.instrument;
    Data d;
    d.set("id", std::to_string(rc.round.id));
    d.set("title", rc.round.title);
    std::vector<TrendRound> rounds;
    List columns;
    for (const auto& round : round_chain(ctx.app.db(), rc.round)) {
        const auto entry = ctx.app.library().get(round.instrument_key, round.instrument_version);
        if (!entry)
            continue;
        auto stored = load_round_results(ctx.app.db(), round, *entry->instrument, false);
        rounds.push_back({round.id, date_of(round.created_at), std::move(stored.results)});
        Data c;
        c.set("id", std::to_string(round.id));
        c.set("title", round.title);
        c.set("date", date_of(round.created_at));
        c.set("current", round.id == rc.round.id);
        columns.push_back(c);
    }
    d.set("single", rounds.size() < 2);
    d.set("rounds", columns);
    const auto points = trend(rounds);
    static const RoundResults none;
    const auto here = std::find_if(rounds.begin(), rounds.end(),
                                   [&](const TrendRound& r) { return r.round_id == rc.round.id; });
    const RoundResults& current = here == rounds.end() ? none : here->results;
    List rows;
    std::vector<LineSeries> series;
    for (const auto& theme : instrument.themes) {
        const ThemeResult* result = current.find_theme(theme.id);
        if (!result || !result->scored)
            continue;
        Data row;
        row.set("id", theme.id);
        row.set("title", theme.title.in(ctx.lang));
        List cells;
        LineSeries line{theme.id, {}};
        for (const auto& point : points) {
            const auto it = point.theme_means.find(theme.id);
            const auto mean = it == point.theme_means.end() ? std::nullopt : it->second;
            cells.push_back(Data("value", mean ? format_decimal(*mean, 1) : "–"));
            line.values.push_back(mean);
        }
        row.set("cells", cells);
        rows.push_back(row);
        series.push_back(std::move(line));
    }
    d.set("themes", rows);
    std::vector<std::string> x_labels;
    for (const auto& point : points)
        x_labels.push_back(point.round_label);
    const bool has_scale = !current.scale_items.empty();
    // Safe: SVG drawn by line_svg from numbers and escaped labels.
    d.set("chart", line_svg(x_labels, series, has_scale ? current.scale_items.front().min : 1,
                            has_scale ? current.scale_items.front().max : 5));
    List observations;
    for (const auto& o : trend_observations(instrument, points))
        observations.push_back(Data(o.text));
    d.set("has_observations", !observations.empty());
    d.set("observations", observations);
    return d;
}

} // namespace

void register_export_routes(App& app) {
    app.add("GET", "/rondes/{id}/export.xlsx", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        auto bytes = workbook_bytes(ctx, *rc, stored_round(ctx, *rc));
        if (!bytes)
            return ctx.app.error_for(ctx, bytes.error());
        return download(std::move(*bytes),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        download_name(ctx, rc->round, "xlsx"));
    });

    app.add("GET", "/rondes/{id}/export.csv", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const auto stored = stored_round(ctx, *rc);
        return download(statements_csv(ctx, *rc->instrument.instrument, stored.results),
                        "text/csv; charset=utf-8", download_name(ctx, rc->round, "csv"));
    });

    app.add("GET", "/rondes/{id}/afdruk", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        return ctx.app.page(ctx, "rounds/print", ctx.t("print_title") + " " + rc->round.title,
                            print_data(ctx, *rc, stored_round(ctx, *rc)));
    });

    app.add("GET", "/rondes/{id}/trend", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        return ctx.app.page(ctx, "rounds/trend", ctx.t("trend_title") + " " + rc->round.title,
                            trend_data(ctx, *rc));
    });
}

} // namespace gids::web
