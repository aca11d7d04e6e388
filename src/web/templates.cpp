#include "web/templates.hpp"

#include "web/html.hpp"

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace gids::web {

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::atomic<unsigned> next_generation{1};

// Fills in {{> partials/name}} and the fixed texts {{t.key}} once, at load time, so that a
// render only walks the data of the page itself.
std::string expand(const std::string& source, const std::map<std::string, std::string>& partials,
                   const std::map<std::string, std::string>& strings, int depth = 0) {
    std::string out;
    std::size_t pos = 0;
    while (pos < source.size()) {
        const auto open = source.find("{{", pos);
        if (open == std::string::npos) {
            out.append(source, pos, std::string::npos);
            break;
        }
        out.append(source, pos, open - pos);
        const auto close = source.find("}}", open + 2);
        if (close == std::string::npos) {
            out.append(source, open, std::string::npos);
            break;
        }
        std::string tag = source.substr(open + 2, close - open - 2);
        const auto first = tag.find_first_not_of(' ');
        const auto last = tag.find_last_not_of(' ');
        tag = first == std::string::npos ? std::string() : tag.substr(first, last - first + 1);
        if (tag.starts_with(">") && depth < 8) {
            std::string name = tag.substr(1);
            name.erase(0, name.find_first_not_of(' '));
            auto it = partials.find(name);
            out += it == partials.end() ? std::string()
                                        : expand(it->second, partials, strings, depth + 1);
        } else if (tag.starts_with("t.") && tag.find(' ') == std::string::npos) {
            auto it = strings.find(tag.substr(2));
            out += html_escape(it == strings.end() ? tag.substr(2) : it->second);
        } else {
            out.append(source, open, close + 2 - open);
        }
        pos = close + 2;
    }
    return out;
}

Result<std::map<std::string, std::string>> load_strings(const std::filesystem::path& file) {
    std::map<std::string, std::string> out;
    try {
        const YAML::Node root = YAML::LoadFile(file.string());
        if (!root.IsMap())
            return fail(Error::invalid(file.string() + ": verwacht een lijst van sleutels."));
        for (const auto& kv : root)
            out[kv.first.as<std::string>()] = kv.second.as<std::string>();
    } catch (const YAML::Exception& e) {
        return fail(Error::invalid(file.string() + ": " + e.what()));
    }
    return out;
}

} // namespace

Result<Templates> Templates::load(const std::filesystem::path& dir,
                                  const std::filesystem::path& locales_dir) {
    Templates t;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return fail(Error::invalid("Map met sjablonen niet gevonden: " + dir.string()));
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".mustache")
            continue;
        auto rel = std::filesystem::relative(entry.path(), dir).replace_extension("");
        const std::string source = read_file(entry.path());
        kainjow::mustache::mustache check(source);
        if (!check.is_valid())
            return fail(Error::invalid(entry.path().string() + ": " + check.error_message()));
        t.m_sources[rel.generic_string()] = source;
    }
    for (const std::string lang : {"nl", "en"}) {
        auto strings = load_strings(locales_dir / (lang + ".yaml"));
        if (!strings)
            return fail(strings.error());
        t.m_strings[lang] = std::move(*strings);
    }
    for (const auto& [key, value] : t.m_strings["nl"])
        t.m_strings["en"].try_emplace(key, value);
    for (const auto& [lang, strings] : t.m_strings) {
        auto& expanded = t.m_expanded[lang];
        for (const auto& [name, source] : t.m_sources)
            expanded[name] = expand(source, t.m_sources, strings);
    }
    t.m_generation = next_generation.fetch_add(1);
    return t;
}

std::string Templates::render(const std::string& name, const Data& data,
                              const std::string& lang) const {
    // kainjow's renderer keeps state while rendering, so each thread has its own copies.
    thread_local std::map<std::pair<unsigned, std::string>,
                          std::unique_ptr<kainjow::mustache::mustache>>
        compiled;
    const auto& sources = m_expanded.at(lang == "en" ? "en" : "nl");
    auto key = std::make_pair(m_generation, lang + ":" + name);
    auto it = compiled.find(key);
    if (it == compiled.end()) {
        auto source = sources.find(name);
        if (source == sources.end())
            throw std::runtime_error("template not found: " + name);
        it = compiled.emplace(key, std::make_unique<kainjow::mustache::mustache>(source->second))
                 .first;
    }
    return it->second->render(data);
}

std::string Templates::text(const std::string& lang, const std::string& key) const {
    auto l = m_strings.find(lang);
    if (l == m_strings.end())
        l = m_strings.find("nl");
    auto it = l->second.find(key);
    return it == l->second.end() ? key : it->second;
}

} // namespace gids::web
