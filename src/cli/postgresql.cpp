#include "cli/postgresql.hpp"

#include "cli/demo.hpp"
#include "storage/copy.hpp"
#include "storage/database.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace gids::cli {

namespace {

// Runs pg_dump from PATH (/usr/bin/pg_dump on Debian) with an argument list, never through a
// shell, so that nothing in the URL or the file name is read as a command. pg_dump writes
// its own reason for a failure to standard error, before our line.
Status run_pg_dump(const std::string& url, const std::string& file) {
    const std::string file_arg = "--file=" + file;
    const std::string db_arg = "--dbname=" + url;
    std::string program = "pg_dump";
    std::string format = "-Fc";
    char* const argv[] = {program.data(), format.data(), const_cast<char*>(file_arg.c_str()),
                          const_cast<char*>(db_arg.c_str()), nullptr};
    pid_t pid = 0;
    if (const int rc = posix_spawnp(&pid, "pg_dump", nullptr, nullptr, argv, environ); rc != 0) {
        if (rc == ENOENT)
            return fail(Error::internal("pg_dump is niet gevonden. Installeer het Debian-pakket "
                                        "postgresql-client en probeer het opnieuw."));
        return fail(Error::internal(std::string("pg_dump kan niet starten: ") + std::strerror(rc)));
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return fail(Error::internal(std::string("Wachten op pg_dump mislukt: ") +
                                        std::strerror(errno)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return {};
    const std::string how = WIFEXITED(status) ? "met code " + std::to_string(WEXITSTATUS(status))
                                              : "door signaal " + std::to_string(WTERMSIG(status));
    return fail(Error::internal("pg_dump is gestopt " + how +
                                " (de reden staat hierboven). Er is geen reservekopie gemaakt."));
}

} // namespace

bool is_postgresql_url(const std::string& url) {
    return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

int backup_postgresql(const std::string& url, const std::string& file) {
    std::error_code ec;
    const bool existed = std::filesystem::exists(file, ec);
    if (auto ok = run_pg_dump(url, file); !ok) {
        // A half-written archive must not pass for a backup; a file that was there before
        // pg_dump started is left alone.
        if (!existed)
            std::filesystem::remove(file, ec);
        std::cerr << "gids: " << ok.error().message << "\n";
        return 1;
    }
    std::cout << "Reservekopie gemaakt met pg_dump: " << file << " (terugzetten met pg_restore)\n";
    return 0;
}

int copy_into_postgresql(const std::string& from, const std::string& url) {
    if (!from.starts_with("sqlite:") || from.size() == 7) {
        std::cerr << "gids: --from verwacht sqlite:PAD, bijvoorbeeld sqlite:var/gids.db\n";
        return 2;
    }
    if (!is_postgresql_url(url)) {
        std::cerr << "gids: --from kopieert naar PostgreSQL: geef bij --db een adres "
                     "postgresql://...\n";
        return 2;
    }
    const std::filesystem::path source = from.substr(7);
    // The source is checked before the target is touched.
    if (auto ok = storage::check_copy_source(source); !ok) {
        std::cerr << "gids: " << ok.error().message << "\n";
        return 1;
    }
    auto db = storage::Database::open(url, 1);
    if (!db) {
        std::cerr << "gids: " << db.error().message << "\n";
        return 1;
    }
    if (auto ok = (*db)->migrate(); !ok) {
        std::cerr << "gids: " << ok.error().message << "\n";
        return 1;
    }
    auto copied = storage::copy_sqlite_to_postgresql(source, **db);
    if (!copied) {
        std::cerr << "gids: " << copied.error().message << "\n";
        return 1;
    }
    for (const auto& table : *copied)
        std::cout << table.name << ": " << table.rows << (table.rows == 1 ? " rij" : " rijen")
                  << " gekopieerd en gecontroleerd\n";
    std::cout << "Klaar: " << copied->size() << " tabellen gekopieerd uit " << source.string()
              << " naar PostgreSQL (databaseversie " << (*db)->schema_version() << ").\n"
              << "Start de server met --secret-file " << default_secret_file(from)
              << ", dan blijven de uitnodigingslinks van deelnemers werken.\n";
    return 0;
}

} // namespace gids::cli
