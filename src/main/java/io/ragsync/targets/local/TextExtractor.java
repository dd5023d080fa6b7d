package io.ragsync.targets.local;

import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.txt.TXTParser;
import org.apache.tika.sax.BodyContentHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.xml.sax.SAXException;

/** Text by Tika: unsupported, broken, encrypted or empty fails for good; unreadable is download_failed. */
@Component("textExtractor")
public class TextExtractor {

    /** The text and the detected type of a file. {@code truncated} when the character limit cut it. */
    public record Extracted(String text, String mediaType, boolean truncated) {
    }

    /** Markup compresses about tenfold; a part expanding far beyond its whole file is a zip bomb's. */
    private static final long BOMB_RATIO = 20;

    private final AutoDetectParser parser = new AutoDetectParser();
    private final TXTParser textParser = new TXTParser();
    private final int maxCharacters;
    private final long maxPartBytes;

    public TextExtractor(@Value("${app.index.extraction.max-characters:10000000}") int maxCharacters,
                         @Value("${app.index.extraction.max-part-size:32MB}") DataSize maxPartSize) {
        this.maxCharacters = maxCharacters;
        this.maxPartBytes = maxPartSize.toBytes();
    }

    /** Refuses, without parsing, an empty file or one that is neither text nor of a parsed type (drop folder). */
    public void checkAcceptable(StoredFile file) {
        if (file.size() == 0) {
            throw new PermanentSyncException("the file is empty: " + file.relativePath());
        }
        MediaType type = detect(file, new Metadata());
        if (!hasParser(type) && !"text".equals(type.getType())) {
            throw new PermanentSyncException("unsupported file type " + type.getBaseType() + ": the local index"
                    + " cannot extract text from " + file.fileName());
        }
    }

    public Extracted extract(StoredFile file) {
        Metadata metadata = new Metadata();
        MediaType type = detect(file, metadata);
        Parser chosen = parser;
        if (!hasParser(type)) {
            if ("text".equals(type.getType())) {
                chosen = textParser; // markdown, csv, source code...: read as plain text
                metadata.set(Metadata.CONTENT_TYPE, "text/plain");
            } else {
                throw new PermanentSyncException("unsupported file type " + type.getBaseType() + " ("
                        + file.fileName() + "): no text can be extracted for the local index");
            }
        }
        checkExpansion(file);
        BodyContentHandler handler = new BodyContentHandler(maxCharacters);
        boolean truncated = false;
        try (InputStream in = Files.newInputStream(file.path())) {
            chosen.parse(in, handler, metadata, new ParseContext());
        } catch (IOException e) {
            throw unreadable(file, e);
        } catch (SAXException e) {
            if (WriteLimitReachedException.isWriteLimitReached(e)) {
                truncated = true;
            } else {
                throw broken(file, type, e);
            }
        } catch (EncryptedDocumentException e) {
            throw new PermanentSyncException("cannot extract text from " + file.fileName() + ": the "
                    + type.getSubtype() + " file is encrypted");
        } catch (TikaException | RuntimeException e) {
            throw broken(file, type, e);
        }
        String text = handler.toString().strip();
        if (text.isEmpty()) {
            throw new PermanentSyncException("no text found in " + file.fileName() + " (" + type.getBaseType()
                    + "): nothing to index (a scanned PDF needs OCR first)");
        }
        return new Extracted(text, type.getBaseType().toString(), truncated);
    }

    /**
     * A ZIP container's parts (OOXML, ODF, EPUB) are expanded by the parser, which holds a run's text in memory: a
     * part beyond app.index.extraction.max-part-size that also expands far beyond the file is refused before
     * parsing (inflated here in a small buffer, since the sizes a ZIP declares can lie).
     */
    private void checkExpansion(StoredFile file) {
        try (ZipFile zip = new ZipFile(file.path().toFile())) {
            long bombSize = Math.max(maxPartBytes, BOMB_RATIO * file.size());
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && expandsBeyond(zip, entry, bombSize)) {
                    throw new PermanentSyncException("cannot extract text from " + file.fileName() + ": its part "
                            + entry.getName() + " expands beyond " + DataSize.ofBytes(maxPartBytes).toMegabytes()
                            + " MB (app.index.extraction.max-part-size), " + BOMB_RATIO + " times the file: a zip"
                            + " bomb, or a document too big to extract in this hub's memory");
                }
            }
        } catch (ZipException notAZip) {
            // not a ZIP container: nothing expands
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static boolean expandsBeyond(ZipFile zip, ZipEntry entry, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long expanded = 0;
        try (InputStream in = zip.getInputStream(entry)) {
            for (int n = in.read(buffer); n > 0 && expanded <= limit; n = in.read(buffer)) {
                expanded += n;
            }
        }
        return expanded > limit;
    }

    private boolean hasParser(MediaType type) {
        return parser.getSupportedTypes(new ParseContext()).contains(type.getBaseType());
    }

    /** The file's type, by its name and content; the name stays in {@code metadata} for the parser. */
    private MediaType detect(StoredFile file, Metadata metadata) {
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.fileName());
        try (InputStream in = TikaInputStream.get(file.path())) {
            return parser.getDetector().detect(in, metadata);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static DownloadFailedException unreadable(StoredFile file, IOException e) {
        return new DownloadFailedException(e instanceof NoSuchFileException
                ? "file not found under the storage root: " + file.relativePath()
                : "cannot read " + file.relativePath() + ": " + e.getMessage());
    }

    private static PermanentSyncException broken(StoredFile file, MediaType type, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() != null && e.getCause().getMessage() != null && !reason.contains(e.getCause().getMessage())) {
            reason = reason + ": " + e.getCause().getMessage();
        }
        return new PermanentSyncException("cannot extract text from " + file.fileName() + " ("
                + type.getBaseType().toString().toLowerCase(Locale.ROOT) + "), the file looks broken: " + reason);
    }
}
