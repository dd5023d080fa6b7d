package io.ragsync.sources.database;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The MySQL/MariaDB source databases ({@code app.source-databases}) and their relay ({@code app.source-database.*}). */
@Validated
@ConfigurationProperties("app")
public record SourceDatabaseSettings(List<@Valid Source> sourceDatabases, @Valid Relay sourceDatabase) {

    public SourceDatabaseSettings {
        sourceDatabases = sourceDatabases == null ? List.of() : List.copyOf(sourceDatabases);
        sourceDatabase = sourceDatabase == null ? new Relay(1000, 100, 2) : sourceDatabase;
    }

    /** One source database; {@code name} names its routes, its bean and the origin of its rows in the hub. */
    public record Source(@NotBlank @Pattern(regexp = "[a-z][a-z0-9]*(-[a-z0-9]+)*") String name,
                         @NotBlank @Pattern(regexp = "mysql|mariadb") String vendor,
                         @NotBlank @Pattern(regexp = "jdbc:(mysql|mariadb):.*") String url,
                         String username, String password) {

        /** The URL the MariaDB driver accepts for either vendor (it takes jdbc:mysql: only when told to). */
        public String driverUrl() {
            if (!url.startsWith("jdbc:mysql:") || url.contains("permitMysqlScheme")) {
                return url;
            }
            return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
        }

        /** Never the password: this is what logs and errors may show. */
        @Override
        public String toString() {
            return "Source[name=" + name + ", vendor=" + vendor + ", url=" + url + ", username=" + username + "]";
        }
    }

    /** Timer period of each source's relay and write-back, rows per batch, connections per source. */
    public record Relay(@Min(10) long intervalMs, @Min(1) @Max(10000) int batchSize, @Min(1) @Max(20) int poolSize) {
    }
}
