// The `gids` command: serve, migrate, user, token, demo, backup, instrument, content.
// What differs for PostgreSQL (backup, copying from SQLite) is in postgresql.cpp.
#include "cli/demo.hpp"
#include "cli/postgresql.hpp"
#include "cli/server_secret.hpp"
#include "cli/usage.hpp"
#include "instruments/content_loader.hpp"
#include "instruments/loader.hpp"
#include "storage/crypto.hpp"
#include "storage/database.hpp"
#include "web/app.hpp"
#include "web/server.hpp"

#include <CLI/CLI.hpp>
#include <arpa/inet.h>
#include <cstdlib>
#include <iostream>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace {

using namespace gids;

std::filesystem::path find_root(const std::string& given) {
    if (!given.empty())
        return given;
    if (const char* env = std::getenv("GIDS_ROOT"))
        return env;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    for (auto dir = exe.parent_path(); !ec && !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path())
        if (std::filesystem::exists(dir / "templates" / "layouts"))
            return dir;
    return ".";
}

// Opens and migrates; prints a one-line Dutch error and returns null on failure.
std::unique_ptr<storage::Database> open_db(const std::string& url, std::size_t pool = 4) {
    auto db = storage::Database::open(url, pool);
    if (!db) {
        std::cerr << "gids: " << db.error().message << "\n";
        return nullptr;
    }
    if (auto ok = (*db)->migrate(); !ok) {
        std::cerr << "gids: " << ok.error().message << "\n";
        return nullptr;
    }
    return std::move(*db);
}

std::string read_password_from_stdin() {
    std::string line;
    std::getline(std::cin, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
        line.pop_back();
    return line;
}

// Reads content/ and replaces the built-in practice examples in the database. A broken file
// refuses everything, naming the file, the line and the reason.
Result<storage::ContentReport> load_examples(storage::Database& db,
                                             const std::filesystem::path& root) {
    auto content = load_content(root / "content");
    if (!content)
        return fail(content.error());
    return db.replace_source_examples(content->examples, storage::now_seconds());
}

std::string describe(const storage::ContentReport& r) {
    return "Praktijkvoorbeelden: " + std::to_string(r.added) + " nieuw, " +
           std::to_string(r.updated) + " bijgewerkt, " + std::to_string(r.removed) +
           " verwijderd, " + std::to_string(r.unchanged) + " ongewijzigd.";
}

// An IPv4 or IPv6 address, written as the server writes the address of a connection.
const CLI::Validator ip_address(
    [](std::string& value) {
        unsigned char parsed[sizeof(in6_addr)];
        if (inet_pton(AF_INET, value.c_str(), parsed) == 1 ||
            inet_pton(AF_INET6, value.c_str(), parsed) == 1)
            return std::string();
        return "geen IP-adres: " + value;
    },
    "IP-ADRES");

bool valid_listen(const std::string& listen, std::string& host, unsigned short& port) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    host = listen.substr(0, colon);
    const std::string p = listen.substr(colon + 1);
    if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const int value = std::stoi(p);
    if (value > 65535)
        return false;
    port = static_cast<unsigned short>(value);
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (!crypto::init()) {
        std::cerr << "gids: libsodium kon niet starten\n";
        return 1;
    }
    CLI::App cli{"GIDS: werkvloer voor de lokale aanpak van gezondheidsachterstanden"};
    cli.require_subcommand(1);
    std::string db_url = "sqlite:var/gids.db";

    auto* serve = cli.add_subcommand("serve", "Start de webserver");
    std::string listen = "127.0.0.1:8080";
    std::string root;
    int workers = 0; // 0: 4 on SQLite, 8 on PostgreSQL
    int io_threads = 1;
    int pool = 8;
    bool secure_cookies = false;
    bool new_secret = false;
    std::string secret_file;
    std::string public_url;
    std::size_t max_streams = 2000;
    std::size_t body_limit = 8 * 1024 * 1024;
    serve->add_option("--listen", listen, "HOST:PORT om op te luisteren")->capture_default_str();
    serve->add_option("--db", db_url, "sqlite:PAD of postgresql://...")->capture_default_str();
    serve->add_option("--root", root, "Map met templates/, assets/ en locales/");
    serve
        ->add_option("--workers", workers,
                     "Aantal werkthreads (standaard 4 bij SQLite, 8 bij PostgreSQL)")
        ->check(CLI::Range(1, 256));
    serve->add_option("--io-threads", io_threads, "Aantal I/O-threads")->check(CLI::Range(1, 64));
    serve->add_option("--db-pool", pool, "Aantal databaseverbindingen")->check(CLI::Range(1, 256));
    serve->add_option("--body-limit", body_limit, "Grootste verzoek in bytes")
        ->check(CLI::Range(std::size_t{1024}, std::size_t{256} * 1024 * 1024));
    serve->add_flag("--secure-cookies", secure_cookies, "Cookies alleen over HTTPS");
    serve->add_option("--secret-file", secret_file,
                      "Geheime sleutel voor uitnodigingslinks (standaard naast de SQLite-database, "
                      "of var/gids-secret.key); wordt aangemaakt als hij er niet is");
    serve->add_flag("--new-secret", new_secret,
                    "Gebruik deze geheime sleutel voortaan, ook als de database een andere "
                    "kende: uitnodigingslinks die al zijn verstuurd werken dan niet meer");
    serve
        ->add_option("--max-streams", max_streams,
                     "Hoogste aantal live verbindingen (bijeenkomsten); daarna vragen schermen "
                     "zelf om nieuws")
        ->check(CLI::Range(std::size_t{0}, std::size_t{100000}));
    serve->add_option(
        "--public-url", public_url,
        "Adres waarop deelnemers GIDS bereiken, bijvoorbeeld https://gids.gemeente.nl");
    std::vector<std::string> trusted_proxies;
    serve
        ->add_option("--trusted-proxy", trusted_proxies,
                     "Adres van een proxy voor GIDS (zoals nginx op 127.0.0.1); van verzoeken "
                     "via dit adres telt het laatste adres in X-Forwarded-For als afzender. "
                     "Mag vaker")
        ->check(ip_address);

    auto* migrate = cli.add_subcommand("migrate", "Werk de database bij naar de nieuwste versie");
    migrate->add_option("--db", db_url, "sqlite:PAD of postgresql://...")->capture_default_str();
    std::string copy_from;
    migrate->add_option("--from", copy_from,
                        "Kopieer deze SQLite-database (sqlite:PAD) naar de lege "
                        "PostgreSQL-database van --db");

    auto* user = cli.add_subcommand("user", "Beheer accounts");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "Maak een account; wachtwoord via stdin");
    std::string email, role_text, municipality_name, name;
    user_add->add_option("--db", db_url, "sqlite:PAD of postgresql://...")->capture_default_str();
    user_add->add_option("--email", email, "E-mailadres")->required();
    user_add->add_option("--role", role_text, "admin of coordinator")
        ->required()
        ->check(CLI::IsMember({"admin", "coordinator"}));
    user_add->add_option("--municipality", municipality_name, "Gemeente (wordt aangemaakt)");
    user_add->add_option("--name", name, "Naam");

    auto* token = cli.add_subcommand("token", "Persoonlijke API-sleutels");
    token->require_subcommand(1);
    auto* token_create = token->add_subcommand("create", "Maak een API-sleutel voor een account");
    token_create->add_option("--db", db_url, "sqlite:PAD of postgresql://...")
        ->capture_default_str();
    token_create->add_option("--email", email, "E-mailadres")->required();

    auto* demo = cli.add_subcommand("demo", "Maak de demogemeente met voorbeeldgegevens");
    demo->add_option("--db", db_url, "sqlite:PAD of postgresql://...")->capture_default_str();
    demo->add_option("--secret-file", secret_file, "Zelfde sleutelbestand als bij serve");
    demo->add_option("--root", root, "Map met instruments/");

    auto* backup =
        cli.add_subcommand("backup", "Maak een back-up van de database (PostgreSQL: met pg_dump)");
    std::string backup_to;
    backup->add_option("--db", db_url, "sqlite:PAD of postgresql://...")->capture_default_str();
    backup->add_option("--to", backup_to, "Doelbestand")->required();

    auto* instrument = cli.add_subcommand("instrument", "Instrumenten");
    instrument->require_subcommand(1);
    auto* instrument_check =
        instrument->add_subcommand("check", "Controleer instrumentbestanden (YAML)");
    std::vector<std::string> instrument_files;
    instrument_check->add_option("FILE", instrument_files, "Bestanden")->required();

    auto* content = cli.add_subcommand("content", "Praktijkvoorbeelden (content/examples)");
    content->require_subcommand(1);
    auto* content_reload =
        content->add_subcommand("reload", "Lees de praktijkvoorbeelden opnieuw in de database");
    content_reload->add_option("--db", db_url, "sqlite:PAD of postgresql://...")
        ->capture_default_str();
    content_reload->add_option("--root", root, "Map met content/");
    auto* content_generate = content->add_subcommand(
        "generate", "Alleen voor benchmarks: maak extra voorbeelden uit de bestaande");
    std::size_t generate_count = 10000;
    content_generate->add_option("--count", generate_count, "Aantal voorbeelden")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
        ->capture_default_str();
    content_generate->add_option("--db", db_url, "sqlite:PAD of postgresql://...")
        ->capture_default_str();
    content_generate->add_option("--root", root, "Map met content/");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return cli.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return cli.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << "gids: " << cli::dutch_usage_error(e.what()) << " (zie gids --help)\n";
        return 2;
    }

    try {
        if (*serve) {
            std::string host;
            unsigned short port = 0;
            if (!valid_listen(listen, host, port)) {
                std::cerr << "gids: --listen verwacht HOST:PORT, bijvoorbeeld 127.0.0.1:8080\n";
                return 2;
            }
            auto db = open_db(db_url, static_cast<std::size_t>(pool));
            if (!db)
                return 1;
            // One line per request: written by a background thread, dropped rather than
            // blocking a request if the output cannot keep up.
            spdlog::init_thread_pool(16384, 1);
            spdlog::set_default_logger(
                spdlog::create_async_nb<spdlog::sinks::stdout_sink_mt>("gids"));
            web::AppOptions options;
            options.root = find_root(root);
            options.secure_cookies = secure_cookies;
            options.public_url = public_url;
            options.max_streams = max_streams;
            options.trusted_proxies = trusted_proxies;
            while (!options.public_url.empty() && options.public_url.back() == '/')
                options.public_url.pop_back();
            auto templates =
                web::Templates::load(options.root / "templates", options.root / "locales");
            if (!templates) {
                std::cerr << "gids: " << templates.error().message << "\n";
                return 1;
            }
            web::InstrumentLibrary library(*db);
            {
                const auto setup = db->setup_lock();
                auto secret = cli::server_secret(*db, db_url, secret_file, new_secret);
                if (!secret) {
                    std::cerr << "gids: " << secret.error().message << "\n";
                    return 1;
                }
                options.secret = *secret;
                if (auto loaded = library.load(options.root / "instruments"); !loaded) {
                    std::cerr << "gids: " << loaded.error().message << "\n";
                    return 1;
                }
                if (auto loaded = load_examples(*db, options.root); !loaded) {
                    std::cerr << "gids: " << loaded.error().message << "\n";
                    return 1;
                } else {
                    spdlog::info("{}", describe(*loaded));
                }
            }
            web::App app(options, *db, library, std::move(*templates));
            web::ServerOptions server_options;
            server_options.host = host;
            server_options.port = port;
            // A thread that waits on PostgreSQL leaves the CPU to others: twice as many
            // threads gave a fifth more dashboards per second in bench/foundation.sh.
            if (workers == 0)
                workers = db->engine() == storage::Engine::postgresql ? 8 : 4;
            server_options.workers = workers;
            server_options.io_threads = io_threads;
            server_options.body_limit = body_limit;
            web::Server server(
                server_options, [&](web::Request& r) { return app.handle(r); },
                [&](unsigned status, const web::Request* r) { return app.error_page(status, r); });
            server.bind();
            std::cout << "GIDS luistert op http://" << host << ":" << server.port() << std::endl;
            server.run();
            app.stop();
            spdlog::info("GIDS is gestopt");
            return 0;
        }
        if (*instrument_check) {
            int failures = 0;
            for (const auto& file : instrument_files) {
                auto loaded = load_instrument_file(file);
                if (!loaded) {
                    std::cerr << loaded.error().message << "\n";
                    ++failures;
                } else {
                    std::cout << file << ": in orde (" << loaded->id << " versie "
                              << loaded->version << ", " << loaded->answerable_items().size()
                              << " vragen)\n";
                }
            }
            return failures == 0 ? 0 : 1;
        }
        if (*content_reload || *content_generate) {
            auto db = open_db(db_url);
            if (!db)
                return 1;
            const auto setup = db->setup_lock();
            auto loaded = load_examples(*db, find_root(root));
            if (!loaded) {
                std::cerr << "gids: " << loaded.error().message << "\n";
                return 1;
            }
            std::cout << describe(*loaded) << "\n";
            if (*content_generate) {
                const auto files = load_content(find_root(root) / "content");
                if (!files) {
                    std::cerr << "gids: " << files.error().message << "\n";
                    return 1;
                }
                const auto made = db->add_generated_examples(
                    generate_examples(files->examples, generate_count), storage::now_seconds());
                std::cout << made << " voorbeelden gemaakt voor de benchmark.\n";
            }
            return 0;
        }
        if (*migrate) {
            if (!copy_from.empty())
                return cli::copy_into_postgresql(copy_from, db_url);
            auto db = open_db(db_url);
            if (!db)
                return 1;
            std::cout << "Database bijgewerkt tot versie " << db->schema_version() << "\n";
            return 0;
        }
        if (*user_add) {
            auto db = open_db(db_url);
            if (!db)
                return 1;
            const auto role = *parse_role(role_text);
            NewUser nu{email, name, role, std::nullopt};
            // Check everything before writing anything.
            const std::string password = read_password_from_stdin();
            if (auto ok = check_new_password(password, normalise_email(email)); !ok) {
                std::cerr << "gids: " << ok.error().message << "\n";
                return 2;
            }
            std::optional<MunicipalityInput> new_municipality;
            if (!municipality_name.empty()) {
                if (auto m = db->find_municipality_by_name(municipality_name)) {
                    nu.municipality_id = m->id;
                } else {
                    auto input = validate_municipality({municipality_name, "", ""});
                    if (!input) {
                        std::cerr << "gids: " << input.error().fields.begin()->second << "\n";
                        return 2;
                    }
                    new_municipality = *input;
                    nu.municipality_id = 0; // the new municipality's id, filled in below
                }
            }
            auto valid = validate_new_user(nu);
            if (!valid) {
                std::cerr << "gids: " << valid.error().fields.begin()->second << "\n";
                return 2;
            }
            if (db->find_user_by_email(valid->email)) {
                std::cerr << "gids: Er is al een account met dit e-mailadres.\n";
                return 1;
            }
            if (new_municipality) {
                auto created = db->create_municipality(*new_municipality, storage::now_seconds());
                if (!created) {
                    std::cerr << "gids: " << created.error().message << "\n";
                    return 1;
                }
                valid->municipality_id = *created;
            }
            auto id =
                db->create_user(*valid, crypto::hash_password(password), storage::now_seconds());
            if (!id) {
                std::cerr << "gids: " << id.error().message << "\n";
                return 1;
            }
            db->audit(std::nullopt, valid->municipality_id, "account_aangemaakt", valid->email,
                      storage::now_seconds());
            std::cout << "Account aangemaakt: " << valid->email << "\n";
            return 0;
        }
        if (*token_create) {
            auto db = open_db(db_url);
            if (!db)
                return 1;
            auto u = db->find_user_by_email(normalise_email(email));
            if (!u) {
                std::cerr << "gids: geen account met e-mailadres " << email << "\n";
                return 1;
            }
            const std::string secret = "gids_" + crypto::random_token(24);
            db->create_api_token(u->id, crypto::hash_secret(secret), storage::now_seconds());
            std::cout << secret << "\n";
            return 0;
        }
        if (*demo) {
            auto db = open_db(db_url);
            if (!db)
                return 1;
            auto secret = cli::server_secret(*db, db_url, secret_file, false);
            if (!secret) {
                std::cerr << "gids: " << secret.error().message << "\n";
                return 1;
            }
            web::InstrumentLibrary library(*db);
            if (auto loaded = library.load(find_root(root) / "instruments"); !loaded) {
                std::cerr << "gids: " << loaded.error().message << "\n";
                return 1;
            }
            if (auto ok = cli::create_demo(*db, library, *secret); !ok) {
                std::cerr << "gids: " << ok.error().message << "\n";
                return 1;
            }
            std::cout << "Demogemeente klaar. Inloggen als coördinator: "
                      << cli::demo_coordinator.email << " / " << cli::demo_coordinator.password
                      << "\nInloggen als beheerder: " << cli::demo_admin.email << " / "
                      << cli::demo_admin.password << "\n";
            return 0;
        }
        if (*backup) {
            if (cli::is_postgresql_url(db_url))
                return cli::backup_postgresql(db_url, backup_to);
            auto db = open_db(db_url);
            if (!db)
                return 1;
            if (auto ok = db->backup_to(backup_to); !ok) {
                std::cerr << "gids: " << ok.error().message << "\n";
                return 1;
            }
            std::cout << "Back-up geschreven naar " << backup_to << "\n";
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "gids: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
