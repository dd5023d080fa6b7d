package io.ragsync.platform;

import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Warns when DB_USER is a superuser: any SQL the hub is made to run could then reach COPY ... PROGRAM and files. */
@Component
class DatabaseRoleCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseRoleCheck.class);

    private final JdbcTemplate jdbc;

    DatabaseRoleCheck(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @EventListener(ApplicationStartedEvent.class)
    void warnIfSuperuser() {
        try {
            String superuser = jdbc.queryForObject(
                    "SELECT current_user FROM pg_roles WHERE rolname = current_user AND rolsuper", String.class);
            LOG.warn("The hub connects to its database as superuser '{}': use a role without SUPERUSER (see the"
                    + " README, DB_USER) so no statement it runs can reach COPY ... PROGRAM or server files", superuser);
        } catch (EmptyResultDataAccessException notSuperuser) {
            LOG.debug("Database role is not a superuser");
        } catch (DataAccessException e) {
            LOG.debug("Cannot tell whether the database role is a superuser: {}", e.toString());
        }
    }
}
