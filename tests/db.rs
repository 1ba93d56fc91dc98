//! The shared quote index on a real PostgreSQL server: a throwaway cluster per test
//! (`pg_support`), started with the machine's PostgreSQL binaries. Skipped with a message when
//! there are none, unless `VERBATIM_REQUIRE_POSTGRES` is set (`.ci/run` sets it after
//! `.ci/postgres` installed them).

mod pg_support;

use pg_support::Cluster;

#[test]
fn a_throwaway_cluster_starts_and_answers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.database("answers");
    assert_eq!(cluster.psql("answers", "SELECT 40 + 2"), "42");
}
