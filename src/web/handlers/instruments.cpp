// The instrument library: the list with version history, the preview of every step as
// participants see it, and the upload of new instruments or versions by an administrator.
#include "web/app.hpp"
#include "web/item_view.hpp"
#include "web/markdown.hpp"

#include <fstream>
#include <sstream>

namespace gids::web {

namespace {

Response list_page(Context& ctx, const std::string& yaml, const std::string& error,
                   unsigned status) {
    List instruments;
    for (const auto& entry : ctx.app.library().current()) {
        Data d = instrument_data(*entry.instrument, ctx.lang);
        List versions;
        for (const auto& v : ctx.app.library().versions(entry.stored.key)) {
            Data vd;
            vd.set("key", v.stored.key);
            vd.set("version", std::to_string(v.stored.version));
            vd.set("builtin", v.stored.origin == "builtin");
            vd.set("uploaded_by", v.stored.uploaded_by);
            vd.set("created", format_time(v.stored.created_at));
            versions.push_back(vd);
        }
        d.set("version_count", std::to_string(versions.size()));
        d.set("versions", versions);
        instruments.push_back(d);
    }
    Data d;
    d.set("instruments", instruments);
    d.set("yaml", yaml);
    if (!error.empty())
        d.set("upload_error", error);
    return ctx.app.page(ctx, "instruments/list", ctx.t("instruments_title"), d, status);
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

} // namespace

void register_instrument_routes(App& app) {
    app.add("GET", "/instrumenten", Access::user,
            [](Context& ctx) { return list_page(ctx, "", "", 200); });

    app.add("POST", "/instrumenten", Access::admin, [](Context& ctx) {
        std::string yaml = ctx.form.get("yaml");
        std::string file_name = "geplakt.yaml";
        if (auto f = ctx.files.find("bestand"); f != ctx.files.end() && !f->second.data.empty()) {
            yaml = f->second.data;
            file_name = f->second.filename.empty() ? "bestand.yaml" : f->second.filename;
        }
        if (yaml.empty())
            return list_page(ctx, "", ctx.t("instruments_upload_empty"), 422);
        if (!is_valid_utf8(yaml))
            return list_page(ctx, "", ctx.t("error_utf8"), 422);
        auto entry = ctx.app.library().upload(yaml, file_name, ctx.user->id);
        if (!entry)
            return list_page(ctx, yaml, entry.error().message, 422);
        ctx.app.db().audit(ctx.user->id, std::nullopt, "instrument_toegevoegd",
                           entry->stored.key + " versie " + std::to_string(entry->stored.version),
                           storage::now_seconds());
        ctx.app.set_flash(ctx, "instrument_added");
        return Response::redirect("/instrumenten/" + entry->stored.key + "/" +
                                  std::to_string(entry->stored.version));
    });

    app.add("GET", "/instrumenten/formaat", Access::user, [](Context& ctx) {
        Data d;
        // Safe: our own document, rendered by cmark-gfm without raw HTML.
        d.set("html", markdown_to_html(
                          read_file(ctx.app.options().root / "docs" / "instrument-format.md")));
        return ctx.app.page(ctx, "instruments/format", ctx.t("instruments_format_link"), d);
    });

    app.add("GET", "/instrumenten/{key}", Access::user, [](Context& ctx) {
        auto entry = ctx.app.library().latest(ctx.request.param("key"));
        if (!entry)
            return ctx.app.render_error(ctx, 404);
        return Response::redirect("/instrumenten/" + entry->stored.key + "/" +
                                  std::to_string(entry->stored.version));
    });

    app.add("GET", "/instrumenten/{key}/{version}", Access::user, [](Context& ctx) {
        const auto version = parse_id(ctx.request.param("version"));
        auto entry =
            version && *version < 1000000
                ? ctx.app.library().get(ctx.request.param("key"), static_cast<int>(*version))
                : std::nullopt;
        if (!entry)
            return ctx.app.render_error(ctx, 404);
        const Instrument& instrument = *entry->instrument;
        Data d;
        d.set("instrument", instrument_data(instrument, ctx.lang));
        d.set("has_intro", !instrument.introduction.empty());
        List steps;
        for (std::size_t i = 0; i < instrument.steps.size(); ++i)
            steps.push_back(step_data(instrument, instrument.steps[i], i, ctx.lang));
        d.set("steps", steps);
        return ctx.app.page(ctx, "instruments/preview", instrument.title.in(ctx.lang), d);
    });
}

} // namespace gids::web
