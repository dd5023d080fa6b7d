package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.ragsync.platform.EmbeddedDatabaseConfiguration;
import io.ragsync.platform.EmbeddedPostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The embedded default connects as a role that cannot act as superuser: no COPY ... PROGRAM, no server files; it
 * owns RAGSync's objects (Flyway runs as it), on a new data folder and on one of an older version, whose objects
 * belonged to postgres and whose rows stay.
 */
class DatabasePrivilegeTest {

    private final EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();

    @Test
    void theHubsRoleIsNoSuperuserAndOwnsItsObjectsAcrossARestart(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgresServer server = configuration.embeddedPostgres(dataDir.toString(), 0);
             HikariDataSource pool = pool(server)) {
            migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertLeastPrivilege(jdbc);
            jdbc.update("INSERT INTO knowledge_base (name) VALUES ('kept')");
        }
        try (EmbeddedPostgresServer server = configuration.embeddedPostgres(dataDir.toString(), 0);
             HikariDataSource pool = pool(server)) {
            migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertLeastPrivilege(jdbc);
            assertThat(jdbc.queryForList("SELECT name FROM knowledge_base", String.class)).containsExactly("kept");
        }
    }

    @Test
    void anOlderDataFolderIsHandedToTheRoleWithItsRows(@TempDir Path dataDir) throws Exception {
        // what an older version left: everything created by postgres in the database postgres
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir)
                .setCleanDataDirectory(false).start()) {
            DataSource superuser = old.getPostgresDatabase();
            migrate(superuser);
            new JdbcTemplate(superuser).update("INSERT INTO knowledge_base (name) VALUES ('from before')");
        }
        try (EmbeddedPostgresServer server = configuration.embeddedPostgres(dataDir.toString(), 0);
             HikariDataSource pool = pool(server)) {
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            assertThat(jdbc.queryForList("SELECT name FROM knowledge_base", String.class))
                    .containsExactly("from before");
            migrate(pool);
            assertLeastPrivilege(jdbc);
            jdbc.update("INSERT INTO knowledge_base (name) VALUES ('after')");
            jdbc.execute("ALTER TABLE knowledge_base ADD COLUMN IF NOT EXISTS owner_can_alter TEXT");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM knowledge_base", Integer.class)).isEqualTo(2);
        }
    }

    private static void assertLeastPrivilege(JdbcTemplate jdbc) {
        assertThat(jdbc.queryForObject("SELECT current_user", String.class)).isEqualTo(EmbeddedPostgresServer.APP_ROLE);
        assertThat(jdbc.queryForMap("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles"
                + " WHERE rolname = current_user")).containsOnlyKeys("rolsuper", "rolcreaterole", "rolcreatedb")
                .allSatisfy((attribute, value) -> assertThat(value).as(attribute).isEqualTo(false));
        for (String role : new String[] {"pg_execute_server_program", "pg_read_server_files", "pg_write_server_files"}) {
            assertThat(jdbc.queryForObject("SELECT pg_has_role(current_user, ?, 'MEMBER')", Boolean.class, role))
                    .as(role).isFalse();
        }
        assertRefused(() -> jdbc.execute("COPY (SELECT 1) TO PROGRAM 'true'"));
        assertRefused(() -> jdbc.queryForObject("SELECT pg_read_file('postgresql.conf')", String.class));
        assertThat(jdbc.queryForObject("SELECT tableowner FROM pg_tables WHERE tablename = 'flyway_schema_history'",
                String.class)).isEqualTo(EmbeddedPostgresServer.APP_ROLE);
        assertThat(jdbc.queryForList("SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace"
                + " AND c.relkind IN ('r', 'v', 'S') AND c.relowner <> current_user::regrole", String.class))
                .as("objects in public not owned by the role").isEmpty();
        assertThat(jdbc.queryForList("SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"
                + " AND p.proowner <> current_user::regrole", String.class))
                .as("routines in public not owned by the role").isEmpty();
    }

    /** Refused for lack of privilege (SQLSTATE 42501 insufficient_privilege). */
    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable statement) {
        assertThatThrownBy(statement).isInstanceOf(DataAccessException.class)
                .extracting(e -> ((DataAccessException) e).getMostSpecificCause())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
    }

    private HikariDataSource pool(EmbeddedPostgresServer server) {
        return (HikariDataSource) configuration.dataSource(server, 2, 5000);
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .placeholders(Map.of("embedding_dimension", "8")).load().migrate();
    }
}
