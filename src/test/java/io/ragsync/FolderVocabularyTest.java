package io.ragsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** routes/, sql/ and the Java packages name their folders from one vocabulary, so a flow's parts share a name. */
class FolderVocabularyTest {

    static final Set<String> VOCABULARY = Set.of("jobs", "sources", "sources/backend", "sources/drop",
            "sources/push", "sources/rest", "sources/database", "targets", "targets/ragflow", "targets/local", "targets/lightrag", "ops", "platform");

    @Test
    void routesSqlAndJavaUseTheSameFolderNames() throws IOException {
        assertThat(topFolders(Path.of("routes"))).isSubsetOf(VOCABULARY);
        assertThat(topFolders(Path.of("sql"))).isSubsetOf(VOCABULARY);
        Set<String> java = topFolders(Path.of("src/main/java/io/ragsync"));
        assertThat(java).isSubsetOf(VOCABULARY);
        // every flow folder of routes/ that has beans has them in the package of the same name
        assertThat(topFolders(Path.of("routes"))).containsAll(java);
    }

    /** Folders holding files, cut to the vocabulary's depth (a Java sub-package such as platform/security counts as platform). */
    static Set<String> topFolders(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).getParent())
                    .filter(p -> p != null)
                    .map(p -> {
                        String first = p.getName(0).toString();
                        boolean split = first.equals("sources") || first.equals("targets");
                        return split && p.getNameCount() > 1 ? first + "/" + p.getName(1) : first;
                    })
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
