#pragma once
// Rendered page parts kept while their data is unchanged: a page asks with a key and the
// version of its data, made of revisions read from the database (never kept in this
// process), so that a change through any instance counts. It renders anew only when the
// version moved. Bounded: when full, it starts over.

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace gids::web {

class PageCache {
  public:
    std::optional<std::string> get(const std::string& key, const std::string& version) const {
        std::lock_guard lock(m_mutex);
        auto it = m_entries.find(key);
        if (it == m_entries.end() || it->second.first != version)
            return std::nullopt;
        return it->second.second;
    }
    void put(const std::string& key, const std::string& version, std::string html) {
        std::lock_guard lock(m_mutex);
        if (m_entries.size() >= max_entries && !m_entries.contains(key))
            m_entries.clear();
        m_entries[key] = {version, std::move(html)};
    }

  private:
    static constexpr std::size_t max_entries = 512;
    mutable std::mutex m_mutex;
    std::map<std::string, std::pair<std::string, std::string>> m_entries;
};

} // namespace gids::web
