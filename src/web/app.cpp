#include "web/app.hpp"

#include "domain/instrument.hpp"
#include "storage/crypto.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <mutex>
#include <set>
#include <spdlog/spdlog.h>
#include <sstream>

namespace gids::web {

namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        auto next = path.find('/', pos);
        out.emplace_back(path.substr(pos, next == std::string_view::npos ? path.npos : next - pos));
        pos = next == std::string_view::npos ? path.size() : next;
    }
    return out;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string content_type_for(const std::filesystem::path& path) {
    const auto ext = path.extension().string();
    if (ext == ".css")
        return "text/css; charset=utf-8";
    if (ext == ".js")
        return "text/javascript; charset=utf-8";
    if (ext == ".svg")
        return "image/svg+xml";
    if (ext == ".png")
        return "image/png";
    if (ext == ".ico")
        return "image/x-icon";
    if (ext == ".woff2")
        return "font/woff2";
    return "application/octet-stream";
}

bool is_state_changing(const std::string& method) {
    return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

} // namespace

std::string Context::t(const std::string& key) const {
    return app.templates().text(lang, key);
}

Data Context::base_data(const std::string& title) const {
    Data d;
    d.set("title", title);
    d.set("lang", lang);
    d.set("lang_en", lang == "en");
    d.set("csrf", csrf);
    d.set("path", request.path);
    if (user) {
        Data u;
        u.set("email", user->email);
        u.set("name", user->name.empty() ? user->email : user->name);
        u.set("is_admin", user->role == Role::admin);
        d.set("user", u);
    }
    if (municipality) {
        Data m;
        m.set("id", std::to_string(municipality->id));
        m.set("name", municipality->name);
        m.set("has_logo", municipality->has_logo);
        d.set("municipality", m);
    }
    if (!flash.empty())
        d.set("flash", t("flash_" + flash));
    if (refresh_seconds > 0)
        d.set("refresh", std::to_string(refresh_seconds));
    return d;
}

App::App(AppOptions options, storage::Database& db, InstrumentLibrary& library, Templates templates)
    : m_options(std::move(options)), m_db(db), m_library(library),
      m_templates(std::move(templates)), m_live(db) {
    load_static();
    register_system_routes(*this);
    register_auth_routes(*this);
    register_admin_routes(*this);
    register_dashboard_routes(*this);
    register_instrument_routes(*this);
    register_round_routes(*this);
    register_participation_routes(*this);
    register_action_routes(*this);
    register_results_routes(*this);
    register_export_routes(*this);
    register_api_routes(*this);
    register_meeting_routes(*this);
    m_pinger = std::jthread([this](std::stop_token stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        while (!stop.stop_requested()) {
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, std::chrono::seconds(15), [] { return false; });
            if (!stop.stop_requested())
                m_live.hub().ping();
        }
    });
    register_inspiration_routes(*this);
}

App::~App() {
    stop();
}

void App::stop() {
    m_pinger.request_stop();
    if (m_pinger.joinable())
        m_pinger.join();
    m_live.stop();
}

MeetingEvent App::publish(long long round_id, MeetingEventKind kind, const std::string& payload) {
    return publish_stored(
        [&] { return m_db.append_event(round_id, kind, payload, storage::now_seconds()); });
}

MeetingEvent App::publish_stored(const std::function<MeetingEvent()>& store) {
    return m_live.publish_stored(store);
}

void App::save_answers(const Assessment& round, long long participant_id,
                       const std::vector<std::pair<std::string, std::string>>& answers) {
    m_db.save_answers(participant_id, answers, storage::now_seconds());
    if (round.mode == RoundMode::meeting)
        for (const auto& [item_id, value] : answers)
            publish(round.id, MeetingEventKind::answered,
                    answered_payload(item_id, participant_id));
}

void App::follow(long long round_id, long long after_id, std::shared_ptr<StreamSink> sink) {
    m_live.follow(round_id, after_id, std::move(sink));
}

std::string App::invitation_token(long long participant_id, int generation) const {
    return crypto::invitation_token(m_options.secret, participant_id, generation);
}

std::string App::base_url(const Context& ctx) const {
    if (!m_options.public_url.empty())
        return m_options.public_url;
    std::string host = ctx.request.header("host");
    const bool plain = !host.empty() && host.size() < 256 &&
                       host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789.-:[]") == std::string::npos;
    return (m_options.secure_cookies ? "https://" : "http://") + (plain ? host : "localhost");
}

std::string App::invitation_url(const Context& ctx, const std::string& token) const {
    return base_url(ctx) + "/i/" + token;
}

void App::add(std::string method, std::string pattern, Access access, Handler handler) {
    auto segments = split_path(pattern);
    m_routes.push_back(
        {std::move(method), std::move(pattern), access, std::move(handler), std::move(segments)});
}

void App::load_static() {
    const auto add_file = [this](const std::string& url, const std::filesystem::path& file) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) {
            spdlog::warn("static file missing: {}", file.string());
            return;
        }
        std::string body = read_file(file);
        const std::string etag = "\"" + storage_hash_prefix(body) + "\"";
        m_static[url] = {content_type_for(file), std::move(body), etag};
    };
    const auto assets = m_options.root / "assets";
    std::error_code ec;
    if (std::filesystem::is_directory(assets, ec))
        for (const auto& entry : std::filesystem::recursive_directory_iterator(assets))
            if (entry.is_regular_file())
                add_file("/assets/" +
                             std::filesystem::relative(entry.path(), assets).generic_string(),
                         entry.path());
    const auto npm = m_options.root / "node_modules" / "@utrecht";
    add_file("/vendor/utrecht/design-tokens.css", npm / "design-tokens/dist/index.css");
    add_file("/vendor/utrecht/components.css", npm / "component-library-css/dist/index.css");
    add_file("/vendor/utrecht/html.css", npm / "component-library-css/dist/html.css");
}

std::string App::storage_hash_prefix(const std::string& body) {
    return crypto::hash_secret(body).substr(0, 16);
}

void App::add_security_headers(Response& r) const {
    r.set_header("Content-Security-Policy",
                 "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
                 "object-src 'none'; frame-ancestors 'none'");
    r.set_header("X-Content-Type-Options", "nosniff");
    r.set_header("Referrer-Policy", "same-origin");
    r.set_header("X-Frame-Options", "DENY");
    r.set_header("Cross-Origin-Opener-Policy", "same-origin");
    r.set_header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

void App::load_session(Context& ctx) {
    const std::string raw = ctx.request.cookie("gids_session");
    if (raw.empty() || raw.size() > 100)
        return;
    const std::string hash = crypto::hash_secret(raw);
    auto found = m_db.find_session_user(hash);
    if (!found)
        return;
    const auto& session = found->session;
    const long long now = storage::now_seconds();
    if (now - session.last_seen_at > m_options.session_idle_seconds ||
        now - session.created_at > m_options.session_max_seconds || found->user.disabled) {
        m_db.delete_session(hash);
        ctx.cookies.push_back(cookie_header("gids_session", "", m_options.secure_cookies, 0));
        return;
    }
    // Writing last_seen on every request would make each page a write; once a minute does.
    if (now - session.last_seen_at >= 60)
        m_db.touch_session(hash, now);
    ctx.user = std::move(found->user);
    ctx.session_hash = hash;
    ctx.csrf = session.csrf;
    ctx.municipality = std::move(found->municipality);
}

bool App::check_csrf(Context& ctx) {
    const std::string sent = ctx.form.get("csrf");
    if (sent.empty())
        return false;
    if (ctx.user)
        return crypto::equal_secrets(sent, ctx.csrf);
    // Before login there is no session: the token is paired with a cookie instead.
    const std::string cookie = ctx.request.cookie("gids_csrf");
    return !cookie.empty() && crypto::equal_secrets(sent, cookie);
}

void App::anonymous_form_token(Context& ctx) {
    std::string token = ctx.request.cookie("gids_csrf");
    if (token.empty() || token.size() > 100) {
        token = crypto::random_token(32);
        ctx.cookies.push_back(cookie_header("gids_csrf", token, m_options.secure_cookies));
    }
    ctx.csrf = token;
}

void App::start_session(Context& ctx, const User& user) {
    const std::string raw = crypto::random_token(32);
    const std::string csrf = crypto::random_token(32);
    if (!ctx.session_hash.empty())
        m_db.delete_session(ctx.session_hash);
    m_db.create_session(crypto::hash_secret(raw), user.id, csrf, storage::now_seconds());
    ctx.cookies.push_back(cookie_header("gids_session", raw, m_options.secure_cookies));
}

void App::end_session(Context& ctx) {
    if (!ctx.session_hash.empty())
        m_db.delete_session(ctx.session_hash);
    ctx.cookies.push_back(cookie_header("gids_session", "", m_options.secure_cookies, 0));
}

void App::set_flash(Context& ctx, const std::string& key) {
    ctx.cookies.push_back(cookie_header("gids_flash", key, m_options.secure_cookies, 60));
}

Response App::page(Context& ctx, const std::string& name, const std::string& title, Data data,
                   unsigned status) {
    Data d = ctx.base_data(title);
    d.set("page", data);
    d.set("content", m_templates.render(name, d, ctx.lang));
    Response r;
    r.status = status;
    r.body = m_templates.render("layouts/base", d, ctx.lang);
    r.set_header("Cache-Control", "no-store");
    return r;
}

std::string App::render_content(Context& ctx, const std::string& name, const std::string& title,
                                Data data) {
    Data d = ctx.base_data(title);
    d.set("page", data);
    return m_templates.render(name, d, ctx.lang);
}

Response App::page_with_content(Context& ctx, const std::string& title, std::string content,
                                unsigned status) {
    Data d = ctx.base_data(title);
    d.set("content", std::move(content));
    Response r;
    r.status = status;
    r.body = m_templates.render("layouts/base", d, ctx.lang);
    r.set_header("Cache-Control", "no-store");
    return r;
}

Response App::render_error(Context& ctx, unsigned status, const std::string& message) {
    const std::string code = std::to_string(status);
    Data d;
    d.set("status", code);
    d.set("heading", ctx.t("error_" + code + "_title"));
    d.set("message", message.empty() ? ctx.t("error_" + code + "_text") : message);
    d.set("show_home", true);
    return page(ctx, "errors/error", ctx.t("error_" + code + "_title"), d, status);
}

Response App::error_for(Context& ctx, const Error& error) {
    switch (error.kind) {
    case ErrorKind::not_found:
        return render_error(ctx, 404);
    case ErrorKind::forbidden:
        return render_error(ctx, 403, error.message);
    case ErrorKind::unauthorized:
        return Response::redirect("/inloggen");
    case ErrorKind::too_many:
        return render_error(ctx, 429, error.message);
    case ErrorKind::invalid:
        return render_error(ctx, 400, error.message);
    case ErrorKind::conflict:
        return render_error(ctx, 409, error.message);
    case ErrorKind::internal:
        spdlog::error("internal error: {}", error.message);
        return render_error(ctx, 500);
    }
    return render_error(ctx, 500);
}

Response App::error_page(unsigned status, const Request* request) {
    Request empty;
    Context ctx(request ? const_cast<Request&>(*request) : empty, *this);
    Response r = render_error(ctx, status);
    add_security_headers(r);
    if (status == 413 || status == 400 || status == 431)
        r.set_header("Connection", "close");
    return r;
}

Response App::dispatch(Context& ctx, std::string& route_name) {
    Request& req = ctx.request;
    if (req.method == "GET" || req.method == "HEAD") {
        auto it = m_static.find(req.path);
        if (it != m_static.end()) {
            route_name = "static";
            if (req.header("if-none-match") == it->second.etag) {
                Response r = Response::text(304, "");
                r.set_header("ETag", it->second.etag);
                return r;
            }
            Response r = Response::text(200, it->second.body, it->second.content_type);
            r.set_header("Cache-Control", "public, max-age=3600");
            r.set_header("ETag", it->second.etag);
            return r;
        }
    }
    const auto segments = split_path(req.path);
    std::vector<std::string> allowed;
    const Route* match = nullptr;
    for (const auto& route : m_routes) {
        if (route.segments.size() != segments.size())
            continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const auto& s = route.segments[i];
            if (s.size() > 2 && s.front() == '{' && s.back() == '}')
                params[s.substr(1, s.size() - 2)] = segments[i];
            else
                ok = s == segments[i];
        }
        if (!ok)
            continue;
        if (route.method != req.method && !(route.method == "GET" && req.method == "HEAD")) {
            allowed.push_back(route.method);
            continue;
        }
        match = &route;
        req.params = std::move(params);
        break;
    }
    if (!match) {
        route_name = allowed.empty() ? "unknown" : "method_not_allowed";
        if (!allowed.empty()) {
            Response r = render_error(ctx, 405);
            std::string allow;
            for (const auto& m : allowed)
                allow += (allow.empty() ? "" : ", ") + m;
            r.set_header("Allow", allow);
            return r;
        }
        return render_error(ctx, 404);
    }
    route_name = match->pattern;
    if (match->access == Access::api)
        return match->handler(ctx);
    load_session(ctx);
    if (match->access != Access::anyone && !ctx.user) {
        if (req.method == "GET")
            return Response::redirect("/inloggen?terug=" + percent_encode_path(req.path));
        return render_error(ctx, 403, ctx.t("error_session_expired"));
    }
    if (match->access == Access::admin && ctx.user->role != Role::admin)
        return render_error(ctx, 403);
    if (is_state_changing(req.method)) {
        const std::string type = req.header("content-type");
        bool parsed = true;
        if (type.starts_with("multipart/form-data"))
            parsed = parse_multipart(req.body, type, ctx.form, ctx.files);
        else if (type.starts_with("application/x-www-form-urlencoded") || type.empty())
            parsed = parse_urlencoded(req.body, ctx.form);
        else
            return render_error(ctx, 415);
        if (!parsed)
            return render_error(ctx, 400);
        for (const auto& [name, value] : ctx.form.items())
            if (!is_valid_utf8(name) || !is_valid_utf8(value))
                return render_error(ctx, 400, ctx.t("error_utf8"));
        if (!check_csrf(ctx))
            return render_error(ctx, 403, ctx.t("error_csrf"));
    }
    return match->handler(ctx);
}

void App::take_forwarded_address(Request& req) const {
    if (std::find(m_options.trusted_proxies.begin(), m_options.trusted_proxies.end(),
                  req.remote_address) == m_options.trusted_proxies.end())
        return;
    // The proxy adds the address it saw last; anything before it came from the client.
    const std::string forwarded = req.header("x-forwarded-for");
    const auto comma = forwarded.rfind(',');
    std::string_view last = forwarded;
    if (comma != std::string::npos)
        last.remove_prefix(comma + 1);
    while (!last.empty() && last.front() == ' ')
        last.remove_prefix(1);
    while (!last.empty() && last.back() == ' ')
        last.remove_suffix(1);
    const bool address = !last.empty() && last.size() <= 45 &&
                         last.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
    if (address)
        req.remote_address = std::string(last);
}

Response App::handle(Request& req) {
    const auto start = std::chrono::steady_clock::now();
    take_forwarded_address(req);
    Context ctx(req, *this);
    const std::string lang = req.cookie("gids_lang");
    ctx.lang = lang == "en" ? "en" : "nl";
    const std::string flash = req.cookie("gids_flash");
    if (!flash.empty() && flash.size() < 64) {
        ctx.flash = flash;
        ctx.cookies.push_back(cookie_header("gids_flash", "", m_options.secure_cookies, 0));
    }
    std::string route_name = "unknown";
    Response response;
    bool readable = is_valid_utf8(req.path);
    for (const auto& [name, value] : req.query.items())
        readable = readable && is_valid_utf8(name) && is_valid_utf8(value);
    if (!readable) {
        response = render_error(ctx, 400, ctx.t("error_utf8"));
    } else {
        try {
            response = dispatch(ctx, route_name);
        } catch (const std::exception& e) {
            spdlog::error("{} {}: {}", req.method, req.path, e.what());
            response = render_error(ctx, 500);
        }
    }
    for (const auto& c : ctx.cookies)
        response.set_header("Set-Cookie", c);
    add_security_headers(response);
    if (req.method == "HEAD")
        response.body.clear();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    static const std::set<std::string> methods = {"GET",   "HEAD",   "POST",   "PUT",
                                                  "PATCH", "DELETE", "OPTIONS"};
    m_metrics.record(route_name, methods.contains(req.method) ? req.method : "other",
                     response.status, seconds);
    spdlog::info("method={} route={} status={} ms={:.2f} user={}", req.method, route_name,
                 response.status, seconds * 1000, ctx.user ? std::to_string(ctx.user->id) : "-");
    return response;
}

Data field_errors(const std::map<std::string, std::string>& errors) {
    Data d;
    for (const auto& [field, message] : errors)
        d.set(field, message);
    return d;
}

std::string format_time(long long unix_seconds) {
    const std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%d-%m-%Y %H:%M", &tm);
    return buf;
}

std::string today() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::optional<long long> parse_id(const std::string& text) {
    if (text.empty() || text.size() > 18)
        return std::nullopt;
    long long v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace gids::web
