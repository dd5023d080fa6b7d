package io.ragsync.targets.local;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.io.FileUtils;
import org.apache.commons.io.function.IOSupplier;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.apache.commons.lang3.StringUtils;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ParseRecord;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.txt.TXTParser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/** Text by Tika: unsupported, broken, encrypted or empty fails for good; unreadable is download_failed. */
@Component("textExtractor")
public class TextExtractor implements MeterBinder {

    /**
     * The text and the detected type of a file. {@code truncated} when the character limit cut it; {@code unread}:
     * the embedded documents (an attachment, a file inside a docx) whose text is missing, each named with why.
     */
    public record Extracted(String text, String mediaType, boolean truncated, List<String> unread) {
    }

    private record Parsed(boolean truncated, List<String> unread) {
    }

    /** Markup compresses about tenfold; a part expanding far beyond its whole file is a zip bomb's. */
    private static final long BOMB_RATIO = 20;
    private static final int MAX_REASON = 300;
    /** An embedded file's name comes from the document: a bounded part of it goes into the job's reason. */
    private static final int MAX_NAME = 100;
    /** A dense page of text has some thousands; 200,000 hold about 50 MB while the parser reads the page. */
    static final int DEFAULT_MAX_PAGE_CHARACTERS = 200_000;
    private static final MediaType PDF = MediaType.application("pdf");

    /** Tika lets POI open containers of at most 10,000 entries; reading a directory holds some hundred bytes each. */
    static final int MAX_ZIP_ENTRIES = 10_000;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    static final int DEFAULT_MAX_OVERDUE = 2;

    private final AutoDetectParser parser;
    private final TXTParser textParser = new TXTParser();
    private final int maxCharacters;
    private final long maxPartBytes;
    private final int maxPageCharacters;
    private final ExtractionTimeLimit timeLimit;
    /** The most one extraction may expand a part or stream to: the heap over four times the job workers. */
    private final long heapShare;

    @Autowired
    public TextExtractor(@Value("${app.index.extraction.max-characters:10000000}") int maxCharacters,
                         @Value("${app.index.extraction.max-part-size:32MB}") DataSize maxPartSize,
                         @Value("${app.index.extraction.max-page-characters:" + DEFAULT_MAX_PAGE_CHARACTERS + "}")
                         int maxPageCharacters,
                         @Value("${app.index.extraction.timeout:5m}") Duration timeout,
                         @Value("${app.index.extraction.max-overdue:" + DEFAULT_MAX_OVERDUE + "}") int maxOverdue,
                         @Value("${app.jobs.parallelism:4}") int workers) {
        this(new AutoDetectParser(), maxCharacters, maxPartSize, maxPageCharacters, timeout, maxOverdue,
                heapShare(workers));
    }

    TextExtractor(AutoDetectParser parser, int maxCharacters, DataSize maxPartSize, int maxPageCharacters,
                  Duration timeout, int maxOverdue, long heapShare) {
        this.parser = parser;
        this.heapShare = heapShare;
        this.maxCharacters = maxCharacters;
        this.maxPartBytes = maxPartSize.toBytes();
        this.maxPageCharacters = maxPageCharacters;
        this.timeLimit = new ExtractionTimeLimit(timeout, maxOverdue);
        PdfLimits.install();
    }

    public TextExtractor(int maxCharacters, DataSize maxPartSize, int maxPageCharacters) {
        this(new AutoDetectParser(), maxCharacters, maxPartSize, maxPageCharacters, DEFAULT_TIMEOUT,
                DEFAULT_MAX_OVERDUE, heapShare(4));
    }

    /** Each worker may hold an expanded stream and a copy or two of it while the parser reads it. */
    static long heapShare(int workers) {
        return Runtime.getRuntime().maxMemory() / (4L * Math.max(1, workers));
    }

    public TextExtractor(int maxCharacters, DataSize maxPartSize) {
        this(maxCharacters, maxPartSize, DEFAULT_MAX_PAGE_CHARACTERS);
    }

    /** Spring Boot binds it to the hub's registry: given-up parsers burn CPU until they end, and stop extraction. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("ragsync.text.extractions.overdue", timeLimit, ExtractionTimeLimit::overdue)
                .description("Text extractions given up after app.index.extraction.timeout whose parsers still run")
                .register(registry);
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
        long bombSize = Math.max(maxPartBytes, Math.min(BOMB_RATIO * file.size(), heapShare));
        BodyContentHandler handler = new BodyContentHandler(maxCharacters);
        Parser parsing = chosen;
        Parsed parsed = timeLimit.run(file.fileName(), givenUp -> parse(file, type, parsing, handler, metadata,
                bombSize, givenUp));
        String text = handler.toString().strip();
        if (text.isEmpty()) {
            throw new PermanentSyncException("no text found in " + file.fileName() + " (" + type.getBaseType()
                    + "): nothing to index (a scanned PDF needs OCR first)");
        }
        return new Extracted(text, type.getBaseType().toString(), parsed.truncated(), parsed.unread());
    }

    /**
     * Checks a ZIP container's parts and parses into {@code handler} on the time limit's thread (the PDF stream watch
     * is the thread's), both stopping at their next step once given up.
     */
    private Parsed parse(StoredFile file, MediaType type, Parser chosen, BodyContentHandler handler,
                          Metadata metadata, long bombSize, BooleanSupplier givenUp) {
        CheckedEmbedded checked = new CheckedEmbedded(file, bombSize, givenUp);
        boolean truncated = false;
        PdfLimits.Watch pdfStreams = PdfLimits.watch(bombSize, givenUp);
        try (pdfStreams; InputStream in = Files.newInputStream(file.path())) {
            checked.check(type, file::path, "");
            if (checked.refusal == null && !pdfStreams.tripped() && !givenUp.getAsBoolean()) {
                chosen.parse(in, stoppable(handler, givenUp), metadata, checked.context());
            }
        } catch (IOException | SAXException | TikaException | RuntimeException e) {
            truncated = !pdfStreams.tripped() && checked.refusal == null && stoppedAtTheLimit(file, type, e);
        } catch (StackOverflowError deep) {
            // the parsers recurse into nested tables, groups and elements: the same file overflows on every try
            throw new PermanentSyncException("cannot extract text from " + file.fileName() + " ("
                    + type.getBaseType() + "): its content is nested too deeply for the parser (StackOverflowError)");
        }
        if (pdfStreams.tripped()) {
            throw expandsBeyond(file, "PDF stream expands", bombSize);
        }
        if (checked.refusal != null) {
            throw checked.refusal;
        }
        return new Parsed(truncated, List.copyOf(checked.unread));
    }

    /** Fails the parser's next output once the extraction is given up. */
    private static ContentHandler stoppable(ContentHandler handler, BooleanSupplier givenUp) {
        return new ContentHandlerDecorator(handler) {
            @Override
            public void startElement(String uri, String localName, String name, Attributes atts) throws SAXException {
                stopIfGivenUp();
                super.startElement(uri, localName, name, atts);
            }

            @Override
            public void characters(char[] ch, int start, int length) throws SAXException {
                stopIfGivenUp();
                super.characters(ch, start, length);
            }

            @Override
            public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
                stopIfGivenUp();
                super.ignorableWhitespace(ch, start, length);
            }

            private void stopIfGivenUp() throws SAXException {
                if (givenUp.getAsBoolean()) {
                    throw new SAXException("the extraction was given up after app.index.extraction.timeout");
                }
            }
        };
    }

    /**
     * Tika parses embedded documents (an e-mail's attachments, a file inside a docx) as it does files; a PDF or a
     * ZIP container among them passes the checks the file itself passes, which Tika's own extractor knows nothing
     * of. Not parsed when refused, and then the whole file is refused. Holds the file's own checks' answer too.
     * Tika leaves out, without a word, an embedded document it fails to parse (encrypted, broken, a zip bomb by
     * its ratio check): those are named in {@code unread}.
     */
    private final class CheckedEmbedded extends ParsingEmbeddedDocumentExtractor {
        private final StoredFile file;
        private final long bombSize;
        private final BooleanSupplier givenUp;
        /** Where Tika's extractor records what it failed to parse. */
        private final Failures failures = new Failures();
        private final List<String> unread = new ArrayList<>();
        private PermanentSyncException refusal;

        CheckedEmbedded(StoredFile file, long bombSize, BooleanSupplier givenUp) {
            super(new ParseContext());
            this.file = file;
            this.bombSize = bombSize;
            this.givenUp = givenUp;
            context.set(Parser.class, parser);
            context.set(EmbeddedDocumentExtractor.class, this);
            context.set(ParseRecord.class, failures);
        }

        ParseContext context() {
            return context;
        }

        /** Runs the check of a PDF or a ZIP container, reading it at {@code path}, with {@code where} it sits. */
        void check(MediaType type, IOSupplier<Path> path, String where) throws IOException {
            if (isA(type, PDF)) {
                checkPages(path.get(), where);
            } else if (isA(type, MediaType.APPLICATION_ZIP)) {
                checkParts(path.get(), where);
            }
        }

        /** Records the PDF's first page beyond the limit, with {@code where} it sits for the reason. */
        private void checkPages(Path pdf, String where) {
            String page = PdfLimits.pageBeyond(pdf, maxPageCharacters);
            if (page != null) {
                refusal = new PermanentSyncException("cannot extract text from " + file.fileName() + ": its " + page
                        + where + " shows more than " + maxPageCharacters + " characters (app.index.extraction."
                        + "max-page-characters): the PDF parser holds a page's characters in memory, some hundred"
                        + " bytes each");
            }
        }

        /** Records the ZIP container's first part (or parts) beyond the bound, with {@code where} it sits. */
        private void checkParts(Path zip, String where) throws IOException {
            String part = zipPartBeyond(zip, bombSize, givenUp, where);
            if (part != null) {
                refusal = expandsBeyond(file, part, bombSize);
            }
        }

        @Override
        public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
                throws SAXException, IOException {
            try (TemporaryResources tmp = new TemporaryResources()) {
                TikaInputStream in = TikaInputStream.get(CloseShieldInputStream.wrap(stream), tmp, metadata);
                String name = StringUtils.abbreviate(Objects.requireNonNullElse(
                        metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY), "document"), MAX_NAME);
                String where = " of the embedded " + name;
                if (refusal == null) {
                    refusal = crowdedZip(file, in, where);
                }
                if (refusal == null) {
                    check(parser.getDetector().detect(in, metadata), in::getPath, where);
                }
                if (refusal == null) {
                    int failed = failures.count;
                    super.parseEmbedded(in, handler, metadata, outputHtml);
                    if (failures.count > failed) {
                        unread.add(name + " (" + StringUtils.abbreviate(why(failures.latest), MAX_NAME) + ")");
                    }
                }
            }
        }
    }

    /** Tika's record keeps its first 100 failures only: counted here, each failed embedded document is named. */
    private static final class Failures extends ParseRecord {
        private int count;
        private Exception latest;

        @Override
        public void addException(Exception e) {
            count++;
            latest = e;
            super.addException(e);
        }
    }

    /** True when the parse stopped at the character limit; any other failure is thrown as the job's reason. */
    private static boolean stoppedAtTheLimit(StoredFile file, MediaType type, Exception e) {
        if (e instanceof SAXException && WriteLimitReachedException.isWriteLimitReached(e)) {
            return true;
        }
        if (e instanceof IOException io) {
            throw unreadable(file, io);
        }
        if (e instanceof EncryptedDocumentException) {
            throw new PermanentSyncException("cannot extract text from " + file.fileName() + ": the "
                    + type.getSubtype() + " file is encrypted");
        }
        throw broken(file, type, e);
    }

    /**
     * A ZIP container's parts (OOXML, ODF, EPUB) and a PDF's streams are expanded by the parsers, which hold a run's
     * text or a whole stream in memory: one beyond app.index.extraction.max-part-size that also expands far beyond
     * the file, or beyond the extraction's share of the heap, is refused (a ZIP's parts inflated here first in a
     * small buffer, since the sizes a file declares can lie; a PDF's streams bounded as they are decoded, by
     * {@link PdfLimits}).
     */
    private PermanentSyncException expandsBeyond(StoredFile file, String expanding, long bound) {
        return new PermanentSyncException("cannot extract text from " + file.fileName() + ": its " + expanding
                + " beyond " + FileUtils.byteCountToDisplaySize(bound) + " (app.index.extraction.max-part-size "
                + FileUtils.byteCountToDisplaySize(maxPartBytes) + ", or " + BOMB_RATIO + " times the file within "
                + FileUtils.byteCountToDisplaySize(heapShare) + ", the heap over 4 x app.jobs.parallelism): a zip"
                + " bomb, or a document too big to extract in this hub's memory");
    }

    /**
     * What of a ZIP container expands beyond the size, or null (also when it is no ZIP). Read with the
     * library POI reads it with, as POI reads it: by the central directory, which lists the parts it then inflates
     * one at a time; when that cannot be read, part after part, which POI holds in memory all at once, so there the
     * parts together are bounded.
     */
    private static String zipPartBeyond(Path file, long size, BooleanSupplier givenUp, String where)
            throws FileSystemException {
        ZipFile opened;
        try {
            opened = ZipFile.builder().setFile(file.toFile()).get();
        } catch (FileSystemException e) {
            throw e; // a file the hub cannot read is not a broken ZIP
        } catch (IOException noDirectory) {
            return partsTogetherBeyond(file, size, givenUp, where);
        }
        try (ZipFile zip = opened) {
            for (Enumeration<ZipArchiveEntry> entries = zip.getEntries(); entries.hasMoreElements(); ) {
                ZipArchiveEntry entry = entries.nextElement();
                try (InputStream part = zip.getInputStream(entry)) {
                    if (!entry.isDirectory() && expanded(part, size, givenUp) > size) {
                        return "part " + entry.getName() + where + " expands";
                    }
                }
            }
            return null;
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException brokenPart) {
            return null; // POI meets it too, and the parser reports it as broken
        }
    }

    private static String partsTogetherBeyond(Path file, long size, BooleanSupplier givenUp, String where)
            throws FileSystemException {
        long together = 0;
        try (ZipArchiveInputStream zip = new ZipArchiveInputStream(Files.newInputStream(file))) {
            for (ZipArchiveEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                together += expanded(zip, size - together, givenUp);
                if (together > size) {
                    return "parts up to " + entry.getName() + where + ", held in memory together since its ZIP"
                            + " directory is unreadable, expand";
                }
            }
            return null;
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException notAZip) {
            return null; // the parser fails on it as broken
        }
    }

    /** Reads the stream in a small buffer up to just beyond the limit: how far it expanded. */
    private static long expanded(InputStream in, long limit, BooleanSupplier givenUp) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long expanded = 0;
        for (int n = in.read(buffer); n > 0 && expanded <= limit; n = in.read(buffer)) {
            if (givenUp.getAsBoolean()) {
                throw new CancellationException("given up after app.index.extraction.timeout");
            }
            expanded += n;
        }
        return expanded;
    }

    private boolean isA(MediaType type, MediaType kind) {
        return parser.getMediaTypeRegistry().isInstanceOf(type, kind);
    }

    private boolean hasParser(MediaType type) {
        return parser.getSupportedTypes(new ParseContext()).contains(type.getBaseType());
    }

    /** The file's type, by its name and content; the name stays in {@code metadata} for the parser. */
    private MediaType detect(StoredFile file, Metadata metadata) {
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.fileName());
        try (TikaInputStream in = TikaInputStream.get(file.path())) {
            PermanentSyncException crowded = crowdedZip(file, in, "");
            if (crowded != null) {
                throw crowded;
            }
            return parser.getDetector().detect(in, metadata);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Refuses a ZIP container listing more entries than POI opens before anything reads its directory: Tika's
     * detector would hold them all first (a directory of a million empty entries, a 90 MB file, held 450 MB).
     */
    private static PermanentSyncException crowdedZip(StoredFile file, TikaInputStream in, String where)
            throws IOException {
        byte[] head = new byte[4];
        if (!ZipDirectory.looksLikeZip(head, in.peek(head)) || ZipDirectory.entries(in.getPath(), MAX_ZIP_ENTRIES)
                <= MAX_ZIP_ENTRIES) {
            return null;
        }
        return new PermanentSyncException("cannot extract text from " + file.fileName() + ": its ZIP directory"
                + where + " lists more than " + MAX_ZIP_ENTRIES + " entries, more than the Office parsers open");
    }

    private static DownloadFailedException unreadable(StoredFile file, IOException e) {
        return new DownloadFailedException(e instanceof NoSuchFileException
                ? "file not found under the storage root: " + file.relativePath()
                : "cannot read " + file.relativePath() + ": " + e.getMessage());
    }

    /** Tika wraps a parser's failure ("TIKA-198: Illegal IOException from ...Parser@6d1f"): its cause says why. */
    private static PermanentSyncException broken(StoredFile file, MediaType type, Exception e) {
        String reason = why(e);
        if (reason.length() > MAX_REASON) {
            // a parser may quote the text it choked on, megabytes of it
            reason = reason.substring(0, MAX_REASON) + "... (" + reason.length() + " characters)";
        }
        return new PermanentSyncException("cannot extract text from " + file.fileName() + " ("
                + type.getBaseType().toString().toLowerCase(Locale.ROOT) + "), the file looks broken: " + reason);
    }

    /** The innermost message of a failure: Tika's wrappers name parser instances, the cause says why. */
    private static String why(Throwable failure) {
        Throwable why = failure;
        while (why.getCause() != null && why.getCause().getMessage() != null) {
            why = why.getCause();
        }
        return why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage();
    }
}
