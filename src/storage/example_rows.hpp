#pragma once
// What the store of practice examples (examples_store.cpp) and their search
// (examples_search.cpp) share: reading rows, and keeping the search index.

#include "storage/database.hpp"

#include <soci/soci.h>
#include <string>
#include <string_view>
#include <vector>

namespace gids::storage::example_rows {

extern const std::string columns; // the columns to_example reads, in its order

std::string joined(const std::vector<std::string>& lines, std::string_view separator = "\n");
std::vector<std::string> split_lines(const std::string& text);
StoredExample to_example(const soci::row& r);

// The search index holds the published examples: FTS5 table examples_fts on SQLite, table
// example_search (a weighted tsvector with the "dutch" configuration) on PostgreSQL.
void index_example(Lease& sql, long long id, const Example& e);
void unindex_example(Lease& sql, long long id);

// Rebuilds the index when it does not hold as many examples as are published; true if it
// did. Cheap when nothing is missing: two counts.
bool sync_search_index(Lease& sql);

} // namespace gids::storage::example_rows
