package io.ragsync.sources.drop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The drop consumer's filter (file-drop.camel.yaml): a file the consumer could not open by the path it builds
 * (it takes a backslash for a folder separator; bytes that are not UTF-8 become U+FFFD) would be skipped by its read
 * lock at every poll without a trace, and a symbolic link (to a file or a folder) would be followed, so both are
 * refused with their reason instead (direct:file-drop-filtered), once per version in this process; a refused
 * folder is not walked.
 */
@Component("dropNames")
public class DropNames implements GenericFileFilter<File> {

    private static final Logger LOG = LoggerFactory.getLogger(DropNames.class);

    private final DropFiles dropFiles;
    private final ProducerTemplate producer;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    public DropNames(DropFiles dropFiles, ProducerTemplate producer) {
        this.dropFiles = dropFiles;
        this.producer = producer;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        Path path = file.getFile().toPath().toAbsolutePath();
        boolean link = Files.isSymbolicLink(path);
        String relative = dropFiles.getDropDir().relativize(path).toString();
        // a linked folder is not walked (a link back up would list its files again at every level)
        String reason = link ? DropFiles.linkReason(relative, file.isDirectory())
                : file.isDirectory() ? null : reason(file.getFile().getName());
        if (reason == null) {
            return true;
        }
        // once per version: a file dropped again under the same name (a link made again) is recorded again
        String version = relative + "|" + (link ? linkModified(path) : file.getLastModified());
        if (refused.add(version)) {
            DropFiles.DropFile drop = dropFiles.named(relative);
            Exchange done = producer.send("direct:file-drop-filtered", exchange -> {
                exchange.setProperty("drop", drop);
                exchange.setProperty("dropReason", reason);
            });
            if (done.getException() != null) {
                refused.remove(version);
                LOG.warn("drop: recording the refused {} failed, tried again at the next poll: {}", relative,
                        done.getException().getMessage());
            }
        }
        return false;
    }

    /** When the link itself was made or changed, not its target. */
    private static long linkModified(Path link) {
        try {
            return Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Why the consumer cannot open a file by this name, or null when it can. */
    static String reason(String name) {
        if (name.indexOf('\\') >= 0) {
            return "the file cannot be read by its name: it holds a backslash, which the drop takes for a folder"
                    + " separator; rename the file";
        }
        if (name.indexOf('\uFFFD') >= 0) {
            return "the file cannot be read by its name: it holds bytes that are not UTF-8; rename the file";
        }
        return null;
    }
}
