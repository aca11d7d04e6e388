// Inspiration: the practice examples of the sources, searchable in Dutch, with the reference
// pages (themes, principles, tracks, lessons, learning circles) that file them; coordinators
// submit their own municipality's example and an administrator moderates it; the results
// page of the conversation tool suggests examples for its two lowest themes.
#include "domain/results.hpp"
#include "instruments/content_loader.hpp"
#include "web/app.hpp"
#include "web/html.hpp"
#include "web/item_view.hpp"
#include "web/markdown.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>

namespace gids::web {

namespace {

constexpr long long per_page = 10;
constexpr std::string_view conversation_tool = "gesprekstool-armoede-gezondheid";

// The reference texts, read once: `gids serve` has checked them (and refused to start when
// one is broken) before the first request arrives.
const Reference& reference(Context& ctx) {
    static std::once_flag once;
    static Reference loaded;
    std::call_once(once, [&] {
        auto r = load_reference_dir(ctx.app.options().root / "content" / "reference");
        if (r)
            loaded = std::move(*r);
        else
            spdlog::error("{}", r.error().message);
    });
    return loaded;
}

// Joins texts; also keeps g++ 12 from a false -Wrestrict alarm on "literal" + temporary.
std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const auto part : parts)
        out.append(part);
    return out;
}

// A text with matched words between match_open and match_close, as HTML: everything escaped,
// the markers (and only they) turned into balanced <mark> elements.
std::string marked_html(std::string_view text) {
    std::string out;
    bool open = false;
    std::size_t from = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != storage::match_open && c != storage::match_close)
            continue;
        out += html_escape(text.substr(from, i - from));
        from = i + 1;
        if (c == storage::match_open && !open)
            out += "<mark>";
        else if (c == storage::match_close && open)
            out += "</mark>";
        open = c == storage::match_open;
    }
    out += html_escape(text.substr(from));
    return open ? out + "</mark>" : out;
}

// The words between the markers, lower case, each once.
void marked_words(std::string_view text, std::vector<std::string>& out) {
    for (auto at = text.find(storage::match_open); at != std::string_view::npos;
         at = text.find(storage::match_open, at + 1)) {
        const auto end = text.find(storage::match_close, at);
        if (end == std::string_view::npos)
            break;
        std::string word(text.substr(at + 1, end - at - 1));
        for (char& c : word)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        if (std::ranges::find(out, word) == out.end() && out.size() < 6)
            out.push_back(word);
    }
}

std::string query_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string search_href(const std::string& text, const storage::ExampleFilters& f,
                        bool any_word = false, long long page = 1) {
    std::string out;
    const auto add = [&](std::string_view name, const std::string& value) {
        if (value.empty())
            return;
        out += out.empty() ? '?' : '&';
        out.append(name).append("=").append(query_encode(value));
    };
    add("q", text);
    add("thema", f.theme);
    add("spoor", f.track);
    add("principe", f.principle);
    add("gemeente", f.municipality);
    add("doelgroep", f.target_group);
    add("woorden", any_word ? "een" : "");
    add("pagina", page > 1 ? std::to_string(page) : "");
    return "/inspiratie" + out;
}

std::string quoted(const std::string& text) {
    return "‘" + text + "’";
}

// "a, b en c" in Dutch, "a, b and c" in English.
std::string and_list(const Context& ctx, const std::vector<std::string>& parts) {
    std::string last = " ";
    last.append(ctx.t("and")).append(" ");
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0)
            out.append(i + 1 == parts.size() ? last : std::string(", "));
        out.append(parts[i]);
    }
    return out;
}

std::string count_text(Context& ctx, long long n) {
    return std::to_string(n) + " " + ctx.t(n == 1 ? "insp_example" : "insp_examples");
}

std::string date_of(long long unix_seconds) {
    return format_time(unix_seconds).substr(0, 10);
}

// The start of a summary as plain text, cut at a word.
std::string excerpt(const std::string& markdown, std::size_t max = 260) {
    std::string text = markdown_plain_text(markdown);
    for (char& c : text)
        if (c == '\n')
            c = ' ';
    if (text.size() <= max)
        return text;
    auto cut = text.rfind(' ', max);
    return text.substr(0, cut == std::string::npos ? max : cut) + " …";
}

const std::string& title_of(const ReferenceSet& set, const std::string& id) {
    static const std::string none;
    const ReferenceEntry* e = set.find(id);
    return e ? e->title : none;
}

Data theme_list(Context& ctx, const std::vector<std::string>& themes) {
    List out;
    for (const auto& id : themes) {
        Data d;
        d.set("id", id);
        d.set("title", title_of(reference(ctx).themes, id));
        out.push_back(d);
    }
    return out;
}

Data example_summary(Context& ctx, const storage::StoredExample& s) {
    const Example& e = s.example;
    Data d;
    d.set("slug", e.slug);
    d.set("title", e.title);
    d.set("municipality", e.municipality);
    d.set("themes", theme_list(ctx, e.themes));
    d.set("submitted", s.origin == ExampleOrigin::submission);
    if (s.published_at)
        d.set("date", date_of(*s.published_at));
    return d;
}

// Why a hit was found, in one or two sentences.
std::string why_found(Context& ctx, const storage::ExampleHit& hit,
                      const storage::ExampleFilters& f) {
    std::vector<std::string> places, words, sentences;
    const std::pair<const std::string*, const char*> fields[] = {
        {&hit.title_marked, "insp_in_title"},
        {&hit.snippet_marked, "insp_in_text"},
        {&hit.municipality_marked, "insp_in_municipality"},
        {&hit.organisations_marked, "insp_in_organisations"}};
    for (const auto& [text, key] : fields)
        if (text->find(storage::match_open) != std::string::npos) {
            places.push_back(ctx.t(key));
            marked_words(*text, words);
        }
    if (!places.empty()) {
        std::vector<std::string> shown;
        for (const auto& w : words)
            shown.push_back(quoted(w));
        sentences.push_back(ctx.t("insp_found_in") + " " + and_list(ctx, places) +
                            (shown.empty() ? std::string() : cat({": ", and_list(ctx, shown)})) +
                            ".");
    }
    std::vector<std::string> filters;
    if (!f.theme.empty())
        filters.push_back(ctx.t("insp_theme_word") + " " + f.theme);
    if (!f.track.empty())
        filters.push_back(ctx.t("insp_track_word") + " " +
                          title_of(reference(ctx).tracks, f.track));
    if (!f.principle.empty())
        filters.push_back(ctx.t("insp_principle_word") + " " + f.principle);
    if (!f.municipality.empty())
        filters.push_back(f.municipality);
    if (!f.target_group.empty())
        filters.push_back(ctx.t("insp_target_group_word") + " " + quoted(f.target_group));
    if (!filters.empty())
        sentences.push_back(ctx.t("insp_matches_filters") + " " + and_list(ctx, filters) + ".");
    std::string out;
    for (const auto& s : sentences)
        out += (out.empty() ? "" : " ") + s;
    return out;
}

storage::ExampleFilters filters_from(const Fields& query) {
    storage::ExampleFilters f;
    const auto keep = [](const std::string& value, bool ok) { return ok ? value : std::string(); };
    f.theme = keep(query.get("thema"), is_example_theme(query.get("thema")));
    f.track = keep(query.get("spoor"), is_example_track(query.get("spoor")));
    const std::string p = query.get("principe");
    f.principle = keep(p, p.size() == 1 && p[0] >= '1' && p[0] <= '9');
    f.municipality = keep(query.get("gemeente"), query.get("gemeente").size() <= 200);
    f.target_group = keep(query.get("doelgroep"), query.get("doelgroep").size() <= 200);
    return f;
}

List sub_navigation(Context& ctx, std::string_view current) {
    List out;
    const std::pair<std::string_view, const char*> items[] = {
        {"/inspiratie", "insp_nav_search"},
        {"/inspiratie/themas", "insp_nav_themes"},
        {"/inspiratie/principes", "insp_nav_principles"},
        {"/inspiratie/sporen", "insp_nav_tracks"},
        {"/inspiratie/lessen", "insp_nav_lessons"},
        {"/inspiratie/leerkringen", "insp_nav_circles"}};
    for (const auto& [href, key] : items) {
        Data d;
        d.set("href", std::string(href));
        d.set("label", ctx.t(key));
        d.set("current", href == current);
        out.push_back(d);
    }
    if (ctx.user && ctx.user->role == Role::coordinator && ctx.user->municipality_id) {
        Data d;
        d.set("href", std::string("/inspiratie/nieuw"));
        d.set("label", ctx.t("insp_nav_submit"));
        d.set("current", current == "/inspiratie/nieuw");
        out.push_back(d);
    }
    if (ctx.user && ctx.user->role == Role::admin) {
        Data d;
        d.set("href", std::string("/beheer/voorbeelden"));
        d.set("label", ctx.t("insp_nav_moderate"));
        d.set("current", current == "/beheer/voorbeelden");
        out.push_back(d);
    }
    return out;
}

Data with_navigation(Context& ctx, Data d, std::string_view current) {
    d.set("subnav", sub_navigation(ctx, current));
    return d;
}

long long count_of(Context& ctx, const std::string& text, const storage::ExampleFilters& f,
                   bool any_word = false) {
    return ctx.app.db().search_examples({text, f, any_word, 1, 0}).total;
}

// Broader searches for a page without results, each with how many it would find: without
// the filters, with one word, with any of the words. At most five, none that finds nothing.
List broader_searches(Context& ctx, const std::string& text, const storage::ExampleFilters& f,
                      const std::vector<std::string>& words, bool any_word) {
    List out;
    std::set<std::string> seen;
    const auto add = [&](const std::string& label, const std::string& q,
                         const storage::ExampleFilters& filters, bool any) {
        const std::string href = search_href(q, filters, any);
        if (out.size() >= 5 || !seen.insert(href).second)
            return;
        const long long n = count_of(ctx, q, filters, any);
        if (n == 0)
            return;
        Data d;
        d.set("label", label);
        d.set("href", href);
        d.set("count", count_text(ctx, n));
        out.push_back(d);
    };
    const std::string without = cat({" ", ctx.t("insp_broader_without_filters")});
    if (f.any())
        add(ctx.t("insp_broader_no_filters"), text, {}, any_word);
    if (words.size() > 1) {
        for (const auto& w : words)
            add(cat({ctx.t("insp_broader_only"), " ", quoted(w)}), w, f, false);
        add(ctx.t("insp_broader_any_word"), text, f, true);
    }
    if (f.any() && words.size() > 1) {
        for (const auto& w : words)
            add(cat({ctx.t("insp_broader_only"), " ", quoted(w), without}), w, {}, false);
        add(ctx.t("insp_broader_any_word") + without, text, {}, true);
    }
    return out;
}

Data filter_options(Context& ctx, const storage::ExampleFilters& f) {
    Data d;
    const Reference& ref = reference(ctx);
    const auto options = [](const ReferenceSet& set, const std::string& selected, bool numbered) {
        List out;
        for (const auto& item : set.items) {
            Data o;
            o.set("value", item.id);
            o.set("label", (numbered ? item.id + ". " : std::string()) +
                               (item.short_title.empty() ? item.title : item.short_title));
            o.set("selected", item.id == selected);
            out.push_back(o);
        }
        return out;
    };
    d.set("themes", options(ref.themes, f.theme, true));
    d.set("tracks", options(ref.tracks, f.track, false));
    d.set("principles", options(ref.principles, f.principle, true));
    const auto facet = [](const std::vector<storage::ExampleFacet>& facets,
                          const std::string& selected) {
        List out;
        for (const auto& fv : facets) {
            Data o;
            o.set("value", fv.value);
            o.set("label", fv.value + " (" + std::to_string(fv.count) + ")");
            o.set("selected", fv.value == selected);
            out.push_back(o);
        }
        return out;
    };
    const auto facets = ctx.app.db().example_facets();
    d.set("municipalities", facet(facets.municipalities, f.municipality));
    d.set("target_groups", facet(facets.target_groups, f.target_group));
    return d;
}

// At most `max` characters of `text`, cut between characters, not inside one.
std::string shortened(const std::string& text, std::size_t max) {
    std::size_t pos = 0;
    for (std::size_t n = 0; pos < text.size() && n < max; ++n)
        (void)next_code_point(text, pos);
    return pos < text.size() ? text.substr(0, pos) + "…" : text;
}

Response list_page(Context& ctx) {
    const std::string text = without_control_characters(ctx.request.query.get("q"));
    const auto f = filters_from(ctx.request.query);
    const bool any_word = ctx.request.query.get("woorden") == "een";
    const long long page =
        std::clamp(parse_id(ctx.request.query.get("pagina")).value_or(1), 1LL, 10000LL);
    auto results =
        ctx.app.db().search_examples({text, f, any_word, per_page, (page - 1) * per_page});
    Data d = filter_options(ctx, f);
    d.set("q", text);
    d.set("any_word", any_word);
    List hits;
    for (const auto& hit : results.hits) {
        Data h = example_summary(ctx, hit.stored);
        // Safe: marked_html escapes the stored text and adds only <mark> and </mark>.
        h.set("title_html", results.words.empty() ? html_escape(hit.stored.example.title)
                                                  : marked_html(hit.title_marked));
        h.set("snippet_html", results.words.empty() ? html_escape(excerpt(hit.stored.example.body))
                                                    : marked_html(hit.snippet_marked));
        const std::string why = why_found(ctx, hit, f);
        if (!why.empty())
            h.set("why", why);
        hits.push_back(h);
    }
    d.set("hits", hits);
    d.set("has_hits", !hits.empty());
    std::string heading = count_text(ctx, results.total);
    if (!results.words.empty()) {
        std::vector<std::string> shown;
        for (const auto& w : results.words)
            shown.push_back(quoted(w));
        heading += cat({" ", ctx.t("insp_found_for"), " ", and_list(ctx, shown)});
    }
    d.set("heading", heading);
    d.set("searched", !results.words.empty() || f.any());
    if (!text.empty() && results.words.empty())
        d.set("no_words", true);
    if (hits.empty()) {
        List broader = broader_searches(ctx, text, f, results.words, any_word);
        d.set("has_broader", !broader.empty());
        d.set("broader", broader);
    }
    if (page > 1)
        d.set("previous", search_href(text, f, any_word, page - 1));
    if (page * per_page < results.total)
        d.set("next", search_href(text, f, any_word, page + 1));
    d.set("page_number", std::to_string(page));
    const std::string title =
        results.words.empty() ? ctx.t("insp_title") : ctx.t("insp_search_title") + " " + text;
    return ctx.app.page(ctx, "inspiration/list", shortened(title, 120),
                        with_navigation(ctx, d, "/inspiratie"));
}

// Who may see an example that is not published: the administrators and the coordinators of
// the municipality that sent it in. Everyone else gets "not found".
bool may_see(const Context& ctx, const storage::StoredExample& s) {
    if (s.status == ExampleStatus::published)
        return true;
    if (!ctx.user)
        return false;
    return ctx.user->role == Role::admin ||
           (s.municipality_id && ctx.user->municipality_id == s.municipality_id);
}

List linked(const std::vector<std::string>& ids, const ReferenceSet& set, std::string_view param,
            std::string_view page, bool numbered) {
    List out;
    for (const auto& id : ids) {
        const ReferenceEntry* entry = set.find(id);
        Data d;
        d.set("label",
              (numbered ? id + ". " : std::string()) +
                  (entry ? (entry->short_title.empty() ? entry->title : entry->short_title) : id));
        d.set("href", cat({"/inspiratie?", param, "=", query_encode(id)}));
        d.set("about", cat({"/inspiratie/", page, "#", param, "-", id}));
        out.push_back(d);
    }
    return out;
}

Response detail_page(Context& ctx) {
    const std::string slug = ctx.request.param("slug");
    auto found = is_valid_slug(slug) ? ctx.app.db().find_example(slug) : std::nullopt;
    if (!found || !may_see(ctx, *found))
        return ctx.app.render_error(ctx, 404);
    const Example& e = found->example;
    const Reference& ref = reference(ctx);
    Data d = example_summary(ctx, *found);
    // Safe: cmark-gfm renders without raw HTML and drops javascript: links (markdown.hpp).
    d.set("body_html", markdown_to_html(e.body));
    d.set("theme_links", linked(e.themes, ref.themes, "thema", "themas", true));
    std::vector<std::string> principles;
    for (int p : e.principles)
        principles.push_back(std::to_string(p));
    d.set("principle_links", linked(principles, ref.principles, "principe", "principes", true));
    d.set("has_principles", !principles.empty());
    d.set("track_links", linked(e.tracks, ref.tracks, "spoor", "sporen", false));
    d.set("has_tracks", !e.tracks.empty());
    List groups;
    for (const auto& g : e.target_groups) {
        Data gd;
        gd.set("label", g);
        gd.set("href", cat({"/inspiratie?doelgroep=", query_encode(g)}));
        groups.push_back(gd);
    }
    d.set("target_groups", groups);
    d.set("has_target_groups", !groups.empty());
    // Mustache shows a section for any text, even an empty one: set only what is there.
    const auto set_text = [&d](const std::string& key, const std::string& value) {
        if (!value.empty())
            d.set(key, value);
    };
    set_text("life_phases", and_list(ctx, e.life_phases));
    set_text("organisations", and_list(ctx, e.organisations));
    set_text("source_document", e.source.document);
    set_text("source_section", e.source.section);
    List links;
    for (const auto& l : e.links) {
        Data ld;
        ld.set("name", l.name);
        if (l.url.starts_with("https://") || l.url.starts_with("http://"))
            ld.set("url", l.url);
        links.push_back(ld);
    }
    d.set("links", links);
    d.set("has_links", !links.empty());
    d.set("created", date_of(found->created_at));
    if (found->status != ExampleStatus::published) {
        d.set("status_note", ctx.t(cat({"insp_status_", example_status_name(found->status)})));
        set_text("reject_reason", found->reject_reason);
    }
    List related;
    if (!e.themes.empty())
        for (const auto& r : ctx.app.db().published_examples_tagged("thema", e.themes.front(), 4))
            if (r.id != found->id && related.size() < 3)
                related.push_back(example_summary(ctx, r));
    d.set("related", related);
    d.set("has_related", !related.empty());
    if (!e.themes.empty())
        d.set("main_theme", e.themes.front());
    return ctx.app.page(ctx, "inspiration/detail", e.title, with_navigation(ctx, d, ""));
}

Data examples_data(Context& ctx, const std::vector<storage::StoredExample>& examples) {
    List out;
    for (const auto& s : examples)
        out.push_back(example_summary(ctx, s));
    return out;
}

enum class RefKind { themes, principles, tracks, lessons, circles };

Response reference_page(Context& ctx, RefKind kind) {
    const Reference& ref = reference(ctx);
    struct Setup {
        const ReferenceSet* set;
        std::string path, title_key, anchor, tag, param, examples_key;
    };
    const Setup setup = [&]() -> Setup {
        switch (kind) {
        case RefKind::themes:
            return {&ref.themes, "/inspiratie/themas", "insp_ref_themes_title", "thema", "thema",
                    "thema",     "insp_ref_examples"};
        case RefKind::principles:
            return {&ref.principles,
                    "/inspiratie/principes",
                    "insp_ref_principles_title",
                    "principe",
                    "principe",
                    "principe",
                    "insp_ref_examples"};
        case RefKind::tracks:
            return {&ref.tracks, "/inspiratie/sporen", "insp_ref_tracks_title", "spoor", "spoor",
                    "spoor",     "insp_ref_examples"};
        case RefKind::lessons:
            return {&ref.lessons, "/inspiratie/lessen",     "insp_ref_lessons_title", "les", "",
                    "",           "insp_ref_examples_named"};
        case RefKind::circles:
            return {
                &ref.circles, "/inspiratie/leerkringen", "insp_ref_circles_title", "leerkring", "",
                "",           "insp_ref_examples_found"};
        }
        return {};
    }();
    Data d;
    d.set("heading", ctx.t(setup.title_key));
    d.set("intro", paragraphs(setup.set->intro));
    d.set("examples_heading", ctx.t(setup.examples_key));
    List items;
    for (const auto& item : setup.set->items) {
        Data id;
        id.set("anchor", setup.anchor + "-" + item.id);
        const bool numbered = kind != RefKind::tracks;
        std::string label =
            item.title.empty() ? ctx.t("insp_ref_circle") + " " + item.id : item.title;
        id.set("label", numbered && kind != RefKind::circles ? item.id + ". " + label : label);
        if (!item.short_title.empty() && item.short_title != item.title)
            id.set("short_title", item.short_title);
        id.set("paragraphs", paragraphs(item.text));
        std::vector<storage::StoredExample> examples;
        if (!setup.tag.empty()) {
            examples = ctx.app.db().published_examples_tagged(setup.tag, item.id, 12);
            storage::ExampleFilters f;
            (kind == RefKind::themes   ? f.theme
             : kind == RefKind::tracks ? f.track
                                       : f.principle) = item.id;
            id.set("filter_href", search_href("", f));
        } else if (kind == RefKind::lessons) {
            for (const auto& slug : item.examples)
                if (auto s = ctx.app.db().find_example(slug);
                    s && s->status == ExampleStatus::published)
                    examples.push_back(std::move(*s));
        } else {
            // The source links no examples to these themes; the closest ones by search do.
            for (auto& hit : ctx.app.db().search_examples({item.text, {}, true, 3, 0}).hits)
                examples.push_back(std::move(hit.stored));
        }
        id.set("examples", examples_data(ctx, examples));
        id.set("has_examples", !examples.empty());
        items.push_back(id);
    }
    d.set("items", items);
    std::string source = setup.set->source.document;
    if (!setup.set->source.section.empty())
        source += ", " + setup.set->source.section;
    d.set("source", source);
    return ctx.app.page(ctx, "inspiration/reference", ctx.t(setup.title_key),
                        with_navigation(ctx, d, setup.path));
}

// ---- Submissions by coordinators ----

Result<Municipality> own_municipality(Context& ctx) {
    if (ctx.user->role != Role::coordinator || !ctx.user->municipality_id || !ctx.municipality)
        return fail(Error::forbidden(ctx.t("insp_submit_only_coordinators")));
    return *ctx.municipality;
}

Data choices(const ReferenceSet& set, const std::vector<std::string>& chosen, bool numbered) {
    List out;
    for (const auto& item : set.items) {
        Data o;
        o.set("value", item.id);
        o.set("label", (numbered ? item.id + ". " : std::string()) +
                           (item.short_title.empty() ? item.title : item.short_title));
        o.set("checked", std::ranges::find(chosen, item.id) != chosen.end());
        out.push_back(o);
    }
    return out;
}

Response submit_page(Context& ctx, const Municipality& m, const ExampleSubmission& input,
                     const std::map<std::string, std::string>& errors, bool preview,
                     unsigned status) {
    const Reference& ref = reference(ctx);
    Data d;
    d.set("municipality_name", m.name);
    d.set("title", input.title);
    d.set("summary", input.summary);
    d.set("target_groups", input.target_groups);
    d.set("organisations", input.organisations);
    d.set("themes", choices(ref.themes, input.themes, true));
    d.set("tracks", choices(ref.tracks, input.tracks, false));
    d.set("principles", choices(ref.principles, input.principles, true));
    List phases;
    for (const auto phase : example_life_phases) {
        Data o;
        o.set("value", std::string(phase));
        o.set("id", slugify(phase));
        o.set("checked", std::ranges::find(input.life_phases, phase) != input.life_phases.end());
        phases.push_back(o);
    }
    d.set("life_phases", phases);
    d.set("errors", field_errors(errors));
    d.set("has_errors", !errors.empty());
    if (preview && !input.summary.empty()) {
        // Safe: cmark-gfm without raw HTML, as on the published page.
        d.set("preview_html", markdown_to_html(without_control_characters(input.summary)));
        d.set("preview_title", input.title);
    }
    List mine;
    for (const auto& s : ctx.app.db().examples_of_municipality(m.id)) {
        Data md = example_summary(ctx, s);
        md.set("status", ctx.t(cat({"insp_state_", example_status_name(s.status)})));
        md.set("created", date_of(s.created_at));
        if (!s.reject_reason.empty())
            md.set("reject_reason", s.reject_reason);
        mine.push_back(md);
    }
    d.set("mine", mine);
    d.set("has_mine", !mine.empty());
    return ctx.app.page(ctx, "inspiration/new", ctx.t("insp_submit_title"),
                        with_navigation(ctx, d, "/inspiratie/nieuw"), status);
}

ExampleSubmission submission_from(const Fields& form) {
    ExampleSubmission s;
    s.title = form.get("title");
    s.summary = form.get("summary");
    s.themes = form.all("themes");
    s.tracks = form.all("tracks");
    s.principles = form.all("principles");
    s.life_phases = form.all("life_phases");
    s.target_groups = form.get("target_groups");
    s.organisations = form.get("organisations");
    return s;
}

// ---- Moderation by administrators ----

Response moderation_page(Context& ctx, long long error_id = 0, const std::string& error = {},
                         const std::string& reason = {}, unsigned status = 200) {
    List items;
    for (const auto& s : ctx.app.db().examples_for_moderation()) {
        Data d = example_summary(ctx, s);
        d.set("id", std::to_string(s.id));
        d.set("status", ctx.t(cat({"insp_state_", example_status_name(s.status)})));
        d.set("waiting", s.status == ExampleStatus::submitted);
        d.set("can_publish", s.status != ExampleStatus::published);
        d.set("can_reject", s.status != ExampleStatus::rejected);
        d.set("created", date_of(s.created_at));
        if (!s.reject_reason.empty())
            d.set("reject_reason", s.reject_reason);
        // Safe: cmark-gfm without raw HTML.
        d.set("body_html", markdown_to_html(s.example.body));
        if (s.id == error_id) {
            if (!error.empty())
                d.set("reason_error", error);
            d.set("reason", reason);
        }
        items.push_back(d);
    }
    Data d;
    d.set("items", items);
    d.set("has_items", !items.empty());
    d.set("has_errors", error_id != 0);
    return ctx.app.page(ctx, "inspiration/moderation", ctx.t("insp_moderate_title"),
                        with_navigation(ctx, d, "/beheer/voorbeelden"), status);
}

std::optional<storage::StoredExample> submission(Context& ctx) {
    const auto id = parse_id(ctx.request.param("id"));
    auto s = id ? ctx.app.db().find_example_by_id(*id) : std::nullopt;
    if (!s || s->origin != ExampleOrigin::submission)
        return std::nullopt;
    return s;
}

} // namespace

Data example_suggestions(Context& ctx, const Instrument& instrument, const RoundResults& results) {
    if (instrument.id != conversation_tool)
        return Data(false);
    List themes;
    const auto lowest = lowest_themes(results, 2);
    for (std::size_t i = 0; i < lowest.size(); ++i) {
        const ThemeResult* t = results.find_theme(lowest[i]);
        if (!t || !t->mean || !is_example_theme(t->theme_id))
            continue;
        const auto examples = ctx.app.db().published_examples_tagged("thema", t->theme_id, 3);
        if (examples.empty())
            continue;
        Data d;
        d.set("id", t->theme_id);
        d.set("title", t->title.in(ctx.lang));
        d.set("why", ctx.t("insp_suggest_theme") + " " + t->theme_id + " " +
                         ctx.t(i == 0 ? "insp_suggest_lowest" : "insp_suggest_second") + " (" +
                         format_decimal(*t->mean, 1) + ").");
        List list;
        for (const auto& s : examples) {
            Data e = example_summary(ctx, s);
            e.set("reason", s.example.themes.front() == t->theme_id
                                ? ctx.t("insp_suggest_main_theme") + " " + t->theme_id + "."
                                : ctx.t("insp_suggest_also_theme") + " " + t->theme_id + ".");
            list.push_back(e);
        }
        d.set("examples", list);
        d.set("more", "/inspiratie?thema=" + t->theme_id);
        themes.push_back(d);
    }
    if (themes.empty())
        return Data(false);
    Data d;
    d.set("themes", themes);
    return d;
}

void register_inspiration_routes(App& app) {
    app.add("GET", "/inspiratie", Access::anyone, list_page);
    app.add("GET", "/inspiratie/themas", Access::anyone,
            [](Context& ctx) { return reference_page(ctx, RefKind::themes); });
    app.add("GET", "/inspiratie/principes", Access::anyone,
            [](Context& ctx) { return reference_page(ctx, RefKind::principles); });
    app.add("GET", "/inspiratie/sporen", Access::anyone,
            [](Context& ctx) { return reference_page(ctx, RefKind::tracks); });
    app.add("GET", "/inspiratie/lessen", Access::anyone,
            [](Context& ctx) { return reference_page(ctx, RefKind::lessons); });
    app.add("GET", "/inspiratie/leerkringen", Access::anyone,
            [](Context& ctx) { return reference_page(ctx, RefKind::circles); });

    app.add("GET", "/inspiratie/nieuw", Access::user, [](Context& ctx) {
        auto m = own_municipality(ctx);
        if (!m)
            return ctx.app.error_for(ctx, m.error());
        return submit_page(ctx, *m, {}, {}, false, 200);
    });

    app.add("POST", "/inspiratie/nieuw", Access::user, [](Context& ctx) {
        auto m = own_municipality(ctx);
        if (!m)
            return ctx.app.error_for(ctx, m.error());
        const ExampleSubmission input = submission_from(ctx.form);
        auto example = validate_submission(input, m->name);
        if (ctx.form.get("actie") == "voorbeeld")
            return submit_page(
                ctx, *m, input,
                example ? std::map<std::string, std::string>{} : example.error().fields, true, 200);
        if (!example)
            return submit_page(ctx, *m, input, example.error().fields, false, 422);
        const long long now = storage::now_seconds();
        auto stored = ctx.app.db().submit_example(std::move(*example), m->id, ctx.user->id, now);
        if (!stored)
            return ctx.app.error_for(ctx, stored.error());
        ctx.app.db().audit(ctx.user->id, m->id, "voorbeeld_ingediend", stored->example.title, now);
        ctx.app.set_flash(ctx, "example_submitted");
        return Response::redirect("/inspiratie/" + stored->example.slug);
    });

    app.add("GET", "/inspiratie/{slug}", Access::anyone, detail_page);

    app.add("GET", "/beheer/voorbeelden", Access::admin,
            [](Context& ctx) { return moderation_page(ctx); });

    app.add("POST", "/beheer/voorbeelden/{id}/publiceren", Access::admin, [](Context& ctx) {
        auto s = submission(ctx);
        if (!s)
            return ctx.app.render_error(ctx, 404);
        const long long now = storage::now_seconds();
        if (auto ok = ctx.app.db().publish_example(s->id, now); !ok)
            return ctx.app.error_for(ctx, ok.error());
        ctx.app.db().audit(ctx.user->id, s->municipality_id, "voorbeeld_gepubliceerd",
                           s->example.title, now);
        ctx.app.set_flash(ctx, "example_published");
        return Response::redirect("/beheer/voorbeelden");
    });

    app.add("POST", "/beheer/voorbeelden/{id}/afwijzen", Access::admin, [](Context& ctx) {
        auto s = submission(ctx);
        if (!s)
            return ctx.app.render_error(ctx, 404);
        const std::string reason = trim_copy(without_control_characters(ctx.form.get("reden")));
        if (reason.empty())
            return moderation_page(ctx, s->id, ctx.t("insp_reason_required"), reason, 422);
        if (count_characters(reason) > 1000)
            return moderation_page(ctx, s->id, ctx.t("insp_reason_too_long"), reason, 422);
        const long long now = storage::now_seconds();
        if (auto ok = ctx.app.db().reject_example(s->id, reason, now); !ok)
            return ctx.app.error_for(ctx, ok.error());
        ctx.app.db().audit(ctx.user->id, s->municipality_id, "voorbeeld_afgewezen",
                           s->example.title + ": " + reason, now);
        ctx.app.set_flash(ctx, "example_rejected");
        return Response::redirect("/beheer/voorbeelden");
    });
}

} // namespace gids::web
