// The results of a round: step 1 side by side as in the source, "wat opvalt", the themes
// with a radar chart, step 2 per question with who chose what, step 3's actions per theme,
// and in meeting mode the agreed scores. Also the trend over earlier rounds.
#include "web/charts.hpp"
#include "web/handlers/round_access.hpp"
#include "web/item_view.hpp"
#include "web/round_results.hpp"

namespace gids::web {

namespace {

std::string decimal(const std::optional<double>& v) {
    return v ? format_decimal(*v, 1) : "–";
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : ", ") + p;
    return out;
}

Data statement_row(Context& ctx, const Instrument& instrument, const Item& item,
                   const ScaleItemResult& r, const StoredRound& stored) {
    Data d;
    d.set("item_id", item.id);
    d.set("number", item.number);
    d.set("text", item.text.in(ctx.lang));
    List cells;
    for (const auto& p : r.participants) {
        Data c;
        if (p.state == ScoreState::value && p.value)
            c.set("value", std::to_string(*p.value));
        else if (p.state == ScoreState::dont_know)
            c.set("value", ctx.t("results_dont_know_short"));
        else
            c.set("value", "–");
        cells.push_back(c);
    }
    d.set("cells", cells);
    d.set("mean", decimal(r.mean));
    d.set("spread", r.spread ? std::to_string(*r.spread) : "–");
    d.set("dont_know", std::to_string(r.dont_know));
    d.set("differs", r.differs);
    if (r.agreed)
        d.set("agreed", std::to_string(*r.agreed));
    if (auto a = stored.agreed.find(item.id); a != stored.agreed.end() && !a->second.second.empty())
        d.set("agreed_note", a->second.second);
    List choices;
    for (int v = item.scale.min; v <= item.scale.max; ++v) {
        Data c;
        c.set("value", std::to_string(v));
        c.set("label", std::to_string(v) + " – " + item.scale.label(v).in(ctx.lang));
        c.set("selected", r.agreed && *r.agreed == v);
        choices.push_back(c);
    }
    d.set("choices", choices);
    (void)instrument;
    return d;
}

Data item_block(Context& ctx, const Item& item, const RoundResults& results) {
    Data d;
    d.set("item_id", item.id);
    d.set("number", item.number);
    d.set("text", item.text.in(ctx.lang));
    if (const auto* c = results.find_choice(item.id)) {
        d.set("is_choice", true);
        List options;
        for (const auto& o : c->options) {
            const Option* opt = item.find_option(o.option_id);
            Data od;
            od.set("text", opt ? opt->text.in(ctx.lang) : o.option_id);
            od.set("count", std::to_string(o.chosen_by.size()));
            od.set("who", join(o.chosen_by));
            options.push_back(od);
        }
        d.set("options", options);
        List others;
        for (const auto& t : c->other_texts) {
            const Option* opt = item.find_option(t.option_id);
            Data od;
            od.set("label", t.label);
            od.set("option", opt ? opt->text.in(ctx.lang) : t.option_id);
            od.set("text", t.text);
            others.push_back(od);
        }
        d.set("others", others);
        d.set("has_others", !others.empty());
        return d;
    }
    for (const auto& y : results.yesno_items)
        if (y.item_id == item.id) {
            d.set("is_yesno", true);
            d.set("yes_label", item.yes.in(ctx.lang));
            d.set("no_label", item.no.in(ctx.lang));
            d.set("yes_count", std::to_string(y.yes_by.size()));
            d.set("no_count", std::to_string(y.no_by.size()));
            d.set("yes_by", join(y.yes_by));
            d.set("no_by", join(y.no_by));
            return d;
        }
    for (const auto& c : results.count_items)
        if (c.item_id == item.id) {
            d.set("is_count", true);
            List values;
            for (const auto& v : c.values) {
                Data vd;
                vd.set("label", v.label);
                vd.set("value", v.value ? std::to_string(*v.value) : "–");
                values.push_back(vd);
            }
            d.set("values", values);
            d.set("mean", decimal(c.mean));
            d.set("unit", item.unit ? item.unit->in(ctx.lang) : "");
            return d;
        }
    for (const auto& t : results.text_items)
        if (t.item_id == item.id) {
            d.set("is_text", true);
            List texts;
            for (const auto& e : t.texts) {
                Data td;
                td.set("label", e.label);
                td.set("paragraphs", paragraphs(e.text));
                texts.push_back(td);
            }
            d.set("texts", texts);
            d.set("has_texts", !texts.empty());
            return d;
        }
    return d;
}

Data actions_block(Context& ctx, const Instrument& instrument, const ActionsItemResult& a) {
    Data d;
    List groups;
    for (const auto& g : a.groups) {
        Data gd;
        const Theme* theme = instrument.find_theme(g.theme_id);
        gd.set("title",
               theme ? theme->id + ". " + theme->title.in(ctx.lang) : ctx.t("results_no_theme"));
        List rows;
        for (const auto& e : g.rows) {
            Data r;
            r.set("label", e.label);
            r.set("action", e.row.action);
            set_text(r, "who", e.row.who);
            set_text(r, "department", e.row.department);
            set_text(r, "due", e.row.due);
            rows.push_back(r);
        }
        gd.set("rows", rows);
        groups.push_back(gd);
    }
    d.set("groups", groups);
    d.set("has_groups", !groups.empty());
    return d;
}

} // namespace

Data results_data(Context& ctx, const RoundContext& rc, const StoredRound& stored) {
    const Instrument& instrument = *rc.instrument.instrument;
    const RoundResults& results = stored.results;
    Data d;
    d.set("id", std::to_string(rc.round.id));
    d.set("title", rc.round.title);
    d.set("instrument_title", instrument.title.in(ctx.lang));
    d.set("meeting", rc.round.mode == RoundMode::meeting);
    d.set("counted", std::to_string(results.participants.size()));
    d.set("total", std::to_string(stored.participants.size()));
    List headers;
    for (const auto& p : results.participants) {
        Data h;
        h.set("label", p.label);
        headers.push_back(h);
    }
    d.set("headers", headers);
    List observations;
    for (const auto& o : results.observations)
        observations.push_back(Data(o.text));
    d.set("observations", observations);
    d.set("has_observations", !observations.empty());
    List themes;
    std::vector<RadarAxis> axes;
    for (const auto& t : results.themes) {
        if (!t.scored)
            continue;
        Data td;
        td.set("id", t.theme_id);
        td.set("title", t.title.in(ctx.lang));
        td.set("mean", decimal(t.mean));
        td.set("spread", t.spread ? std::to_string(*t.spread) : "–");
        td.set("dont_know", std::to_string(t.dont_know));
        td.set("n", std::to_string(t.n));
        themes.push_back(td);
        axes.push_back({t.theme_id, t.mean});
    }
    d.set("themes", themes);
    d.set("has_themes", !themes.empty());
    if (axes.size() >= 3) {
        const auto& first_scale = results.scale_items.front();
        // Safe: SVG drawn by radar_svg from numbers and escaped labels.
        d.set("radar", radar_svg(axes, first_scale.min, first_scale.max));
    }
    List steps;
    for (const auto& step : instrument.steps) {
        Data sd;
        sd.set("title", step.title.in(ctx.lang));
        List statements, blocks;
        for (const auto& item : step.items) {
            if (item.type == ItemType::scale) {
                if (const auto* r = results.find_scale(item.id))
                    statements.push_back(statement_row(ctx, instrument, item, *r, stored));
            } else if (item.type == ItemType::actions) {
                if (const auto* a = results.find_actions(item.id)) {
                    Data b = actions_block(ctx, instrument, *a);
                    b.set("is_actions", true);
                    b.set("text", item.text.in(ctx.lang));
                    blocks.push_back(b);
                }
            } else if (item.answerable()) {
                blocks.push_back(item_block(ctx, item, results));
            }
        }
        sd.set("statements", statements);
        sd.set("has_statements", !statements.empty());
        sd.set("blocks", blocks);
        steps.push_back(sd);
    }
    d.set("steps", steps);
    return d;
}

// Practice examples for the lowest themes (handlers/inspiration.cpp).
Data example_suggestions(Context& ctx, const Instrument& instrument, const RoundResults& results);

void register_results_routes(App& app) {
    app.add("GET", "/rondes/{id}/resultaten", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const bool drafts = ctx.request.query.get("concepten") == "1";
        const std::string title = ctx.t("results_title") + " " + rc->round.title;
        // The page is the same for every coordinator until the round's data changes; only
        // the CSRF token differs, so it is cached with a marker in its place.
        static const std::string marker = "\x01csrf\x01";
        const std::string key =
            "results:" + std::to_string(rc->round.id) + ":" + ctx.lang + (drafts ? ":drafts" : "");
        // The round's answers and agreements, and the practice examples suggested next to
        // them. Both revisions are read before the data, so a page is never kept under a
        // version newer than what it shows.
        const std::string version = std::to_string(ctx.app.db().round_revision(rc->round.id)) +
                                    "/" + std::to_string(ctx.app.db().example_revision());
        auto content = ctx.app.page_cache().get(key, version);
        if (!content) {
            const auto stored =
                load_round_results(ctx.app.db(), rc->round, *rc->instrument.instrument, drafts);
            Data d = results_data(ctx, *rc, stored);
            d.set("drafts", drafts);
            d.set("suggestions",
                  example_suggestions(ctx, *rc->instrument.instrument, stored.results));
            const std::string csrf = ctx.csrf;
            ctx.csrf = marker;
            content = ctx.app.render_content(ctx, "rounds/results", title, d);
            ctx.csrf = csrf;
            ctx.app.page_cache().put(key, version, *content);
        }
        for (auto at = content->find(marker); at != std::string::npos;
             at = content->find(marker, at + ctx.csrf.size()))
            content->replace(at, marker.size(), ctx.csrf);
        return ctx.app.page_with_content(ctx, title, std::move(*content));
    });

    app.add("POST", "/rondes/{id}/afspraken", Access::user, [](Context& ctx) {
        auto rc = load_round(ctx);
        if (!rc)
            return ctx.app.error_for(ctx, rc.error());
        const Instrument& instrument = *rc->instrument.instrument;
        const long long now = storage::now_seconds();
        for (const auto* item : instrument.answerable_items()) {
            if (item->type != ItemType::scale || !ctx.form.has("agreed." + item->id))
                continue;
            const std::string value = ctx.form.get("agreed." + item->id);
            std::string note = trim_copy(ctx.form.get("note." + item->id));
            if (count_characters(note) > 2000)
                note = note.substr(0, 2000);
            std::optional<int> score;
            if (const auto v = parse_id(value); v && item->scale.contains(static_cast<int>(*v)))
                score = static_cast<int>(*v);
            ctx.app.db().set_agreed(rc->round.id, item->id, score, note, now);
        }
        ctx.app.db().audit(ctx.user->id, rc->round.municipality_id, "afspraken_opgeslagen",
                           rc->round.title, now);
        ctx.app.set_flash(ctx, "saved");
        return Response::redirect("/rondes/" + std::to_string(rc->round.id) +
                                  "/resultaten#afspraken");
    });
}

} // namespace gids::web
