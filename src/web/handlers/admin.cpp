// The administrator's pages: municipalities, accounts and the audit log.
#include "storage/crypto.hpp"
#include "web/app.hpp"

namespace gids::web {

namespace {

Data municipality_data(const Municipality& m) {
    Data d;
    d.set("id", std::to_string(m.id));
    d.set("name", m.name);
    d.set("cbs_code", m.cbs_code);
    d.set("region", m.region);
    d.set("has_logo", m.has_logo);
    return d;
}

Data municipality_list(storage::Database& db, std::optional<long long> selected = std::nullopt) {
    List list;
    for (const auto& m : db.list_municipalities()) {
        Data d = municipality_data(m);
        d.set("selected", selected && *selected == m.id);
        list.push_back(d);
    }
    return list;
}

Response municipalities_page(Context& ctx, const MunicipalityInput& input,
                             const std::map<std::string, std::string>& errors, unsigned status) {
    Data d;
    d.set("municipalities", municipality_list(ctx.app.db()));
    d.set("name", input.name);
    d.set("cbs_code", input.cbs_code);
    d.set("region", input.region);
    d.set("errors", field_errors(errors));
    d.set("has_errors", !errors.empty());
    return ctx.app.page(ctx, "admin/municipalities", ctx.t("admin_municipalities_title"), d,
                        status);
}

Response municipality_page(Context& ctx, const Municipality& m, const MunicipalityInput& input,
                           const std::map<std::string, std::string>& errors, unsigned status) {
    Data d = municipality_data(m);
    d.set("form_name", input.name);
    d.set("form_cbs_code", input.cbs_code);
    d.set("form_region", input.region);
    d.set("errors", field_errors(errors));
    d.set("has_errors", !errors.empty());
    List users;
    for (const auto& u : ctx.app.db().users_of_municipality(m.id)) {
        Data ud;
        ud.set("email", u.email);
        ud.set("name", u.name);
        ud.set("disabled", u.disabled);
        users.push_back(ud);
    }
    d.set("users", users);
    d.set("has_users", !users.empty());
    return ctx.app.page(ctx, "admin/municipality", m.name, d, status);
}

Response users_page(Context& ctx, const NewUser& input,
                    const std::map<std::string, std::string>& errors, unsigned status) {
    auto& db = ctx.app.db();
    std::map<long long, std::string> names;
    for (const auto& m : db.list_municipalities())
        names[m.id] = m.name;
    List users;
    for (const auto& u : db.list_users()) {
        Data d;
        d.set("id", std::to_string(u.id));
        d.set("email", u.email);
        d.set("name", u.name);
        d.set("is_admin", u.role == Role::admin);
        d.set("municipality", u.municipality_id ? names[*u.municipality_id] : std::string());
        d.set("disabled", u.disabled);
        d.set("is_self", u.id == ctx.user->id);
        users.push_back(d);
    }
    Data d;
    d.set("users", users);
    d.set("municipalities", municipality_list(db, input.municipality_id));
    d.set("email", input.email);
    d.set("name", input.name);
    d.set("errors", field_errors(errors));
    d.set("has_errors", !errors.empty());
    return ctx.app.page(ctx, "admin/users", ctx.t("admin_users_title"), d, status);
}

constexpr std::size_t max_logo_bytes = 512 * 1024;

std::optional<std::string> logo_type(const UploadedFile& file) {
    const auto& data = file.data;
    if (data.starts_with("\x89PNG\r\n\x1a\n"))
        return "image/png";
    if (data.starts_with("\xff\xd8\xff"))
        return "image/jpeg";
    return std::nullopt; // SVG is refused: it can carry script.
}

} // namespace

void register_admin_routes(App& app) {
    app.add("GET", "/beheer", Access::admin,
            [](Context&) { return Response::redirect("/beheer/gemeenten"); });

    app.add("GET", "/beheer/gemeenten", Access::admin,
            [](Context& ctx) { return municipalities_page(ctx, {}, {}, 200); });

    app.add("POST", "/beheer/gemeenten", Access::admin, [](Context& ctx) {
        MunicipalityInput raw{ctx.form.get("name"), ctx.form.get("cbs_code"),
                              ctx.form.get("region")};
        auto input = validate_municipality(raw);
        if (!input)
            return municipalities_page(ctx, raw, input.error().fields, 422);
        const long long now = storage::now_seconds();
        auto id = ctx.app.db().create_municipality(*input, now);
        if (!id)
            return municipalities_page(ctx, raw, id.error().fields, 422);
        ctx.app.db().audit(ctx.user->id, *id, "gemeente_aangemaakt", input->name, now);
        ctx.app.set_flash(ctx, "municipality_created");
        return Response::redirect("/beheer/gemeenten/" + std::to_string(*id));
    });

    app.add("GET", "/beheer/gemeenten/{id}", Access::admin, [](Context& ctx) {
        const auto id = parse_id(ctx.request.param("id"));
        auto m = id ? ctx.app.db().find_municipality(*id) : std::nullopt;
        if (!m)
            return ctx.app.render_error(ctx, 404);
        return municipality_page(ctx, *m, {m->name, m->cbs_code, m->region}, {}, 200);
    });

    app.add("POST", "/beheer/gemeenten/{id}", Access::admin, [](Context& ctx) {
        auto& db = ctx.app.db();
        const auto id = parse_id(ctx.request.param("id"));
        auto m = id ? db.find_municipality(*id) : std::nullopt;
        if (!m)
            return ctx.app.render_error(ctx, 404);
        MunicipalityInput raw{ctx.form.get("name"), ctx.form.get("cbs_code"),
                              ctx.form.get("region")};
        std::map<std::string, std::string> errors;
        auto input = validate_municipality(raw);
        if (!input)
            errors = input.error().fields;
        std::optional<storage::Logo> logo;
        if (auto f = ctx.files.find("logo"); f != ctx.files.end() && !f->second.data.empty()) {
            auto type = logo_type(f->second);
            if (f->second.data.size() > max_logo_bytes)
                errors["logo"] = ctx.t("admin_logo_too_large");
            else if (!type)
                errors["logo"] = ctx.t("admin_logo_wrong_type");
            else
                logo = storage::Logo{*type, f->second.data};
        }
        if (!errors.empty())
            return municipality_page(ctx, *m, raw, errors, 422);
        if (auto updated = db.update_municipality(*id, *input); !updated)
            return municipality_page(ctx, *m, raw, updated.error().fields, 422);
        if (logo)
            (void)db.set_logo(*id, *logo);
        const std::string detail =
            m->name == input->name ? input->name : m->name + " → " + input->name;
        db.audit(ctx.user->id, *id, "gemeente_gewijzigd", detail, storage::now_seconds());
        ctx.app.set_flash(ctx, "saved");
        return Response::redirect("/beheer/gemeenten/" + std::to_string(*id));
    });

    app.add("GET", "/beheer/gebruikers", Access::admin,
            [](Context& ctx) { return users_page(ctx, {}, {}, 200); });

    app.add("POST", "/beheer/gebruikers", Access::admin, [](Context& ctx) {
        auto& db = ctx.app.db();
        NewUser raw;
        raw.email = ctx.form.get("email");
        raw.name = ctx.form.get("name");
        raw.role = Role::coordinator;
        raw.municipality_id = parse_id(ctx.form.get("municipality_id"));
        std::map<std::string, std::string> errors;
        auto input = validate_new_user(raw);
        if (!input)
            errors = input.error().fields;
        if (raw.municipality_id && !db.find_municipality(*raw.municipality_id))
            errors["municipality_id"] = ctx.t("admin_choose_municipality");
        const std::string password = ctx.form.get("password");
        if (auto ok = check_new_password(password, raw.email); !ok)
            errors["password"] = ok.error().fields.at("password");
        if (!errors.empty())
            return users_page(ctx, raw, errors, 422);
        const long long now = storage::now_seconds();
        auto id = db.create_user(*input, crypto::hash_password(password), now);
        if (!id)
            return users_page(ctx, raw, id.error().fields, 422);
        db.audit(ctx.user->id, input->municipality_id, "account_aangemaakt", input->email, now);
        ctx.app.set_flash(ctx, "user_created");
        return Response::redirect("/beheer/gebruikers");
    });

    app.add("POST", "/beheer/gebruikers/{id}/status", Access::admin, [](Context& ctx) {
        auto& db = ctx.app.db();
        const auto id = parse_id(ctx.request.param("id"));
        auto user = id ? db.find_user(*id) : std::nullopt;
        if (!user)
            return ctx.app.render_error(ctx, 404);
        if (user->id == ctx.user->id)
            return ctx.app.render_error(ctx, 409, ctx.t("admin_cannot_disable_self"));
        const bool disable = ctx.form.get("disabled") == "1";
        (void)db.set_user_disabled(user->id, disable);
        db.audit(ctx.user->id, user->municipality_id,
                 disable ? "account_uitgeschakeld" : "account_ingeschakeld", user->email,
                 storage::now_seconds());
        ctx.app.set_flash(ctx, disable ? "user_disabled" : "user_enabled");
        return Response::redirect("/beheer/gebruikers");
    });

    app.add("GET", "/beheer/logboek", Access::admin, [](Context& ctx) {
        auto& db = ctx.app.db();
        constexpr int per_page = 50;
        const auto page_number = parse_id(ctx.request.query.get("pagina")).value_or(1);
        const int page_index = static_cast<int>(std::clamp(page_number, 1LL, 100000LL));
        const int total = db.count_audit();
        List entries;
        for (const auto& e : db.list_audit(per_page, (page_index - 1) * per_page)) {
            Data d;
            d.set("at", format_time(e.at));
            d.set("user", e.user_email.empty() ? "-" : e.user_email);
            d.set("municipality", e.municipality_name.empty() ? "-" : e.municipality_name);
            d.set("action", ctx.t("audit_" + e.action));
            d.set("detail", e.detail);
            entries.push_back(d);
        }
        Data d;
        d.set("entries", entries);
        d.set("has_entries", !entries.empty());
        if (page_index > 1)
            d.set("previous", std::to_string(page_index - 1));
        if (page_index * per_page < total)
            d.set("next", std::to_string(page_index + 1));
        return ctx.app.page(ctx, "admin/audit", ctx.t("admin_audit_title"), d);
    });
}

} // namespace gids::web
