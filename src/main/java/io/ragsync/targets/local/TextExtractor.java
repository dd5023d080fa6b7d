package io.ragsync.targets.local;

import io.ragsync.jobs.DownloadFailedException;
import io.ragsync.jobs.PermanentSyncException;
import io.ragsync.platform.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.apache.commons.io.FileUtils;
import org.apache.commons.io.output.NullOutputStream;
import org.apache.commons.io.output.ThresholdingOutputStream;
import org.apache.commons.io.output.UnsynchronizedByteArrayOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
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
    private static final int MAX_REASON = 300;
    /** The PDF filters that expand; the image ones (DCT, JPX, JBIG2, CCITT) are not decoded to extract text. */
    private static final Set<COSName> EXPANDING = Set.of(COSName.FLATE_DECODE, COSName.FLATE_DECODE_ABBREVIATION,
            COSName.LZW_DECODE, COSName.LZW_DECODE_ABBREVIATION, COSName.RUN_LENGTH_DECODE,
            COSName.RUN_LENGTH_DECODE_ABBREVIATION);

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
        checkExpansion(file, type);
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
     * A ZIP container's parts (OOXML, ODF, EPUB) and a PDF's streams are expanded by the parsers, which hold a run's
     * text or a whole stream in memory: one beyond app.index.extraction.max-part-size that also expands far beyond
     * the file is refused before parsing (inflated here in a small buffer, since the sizes a file declares can lie).
     */
    private void checkExpansion(StoredFile file, MediaType type) {
        long bombSize = Math.max(maxPartBytes, BOMB_RATIO * file.size());
        MediaTypeRegistry types = parser.getMediaTypeRegistry();
        String part = types.isInstanceOf(type, MediaType.application("pdf")) ? pdfStreamBeyond(file, bombSize)
                : types.isInstanceOf(type, MediaType.APPLICATION_ZIP) ? zipPartBeyond(file, bombSize) : null;
        if (part != null) {
            throw new PermanentSyncException("cannot extract text from " + file.fileName() + ": its " + part
                    + " expands beyond " + FileUtils.byteCountToDisplaySize(maxPartBytes)
                    + " (app.index.extraction.max-part-size), " + BOMB_RATIO + " times the file: a zip bomb, or a"
                    + " document too big to extract in this hub's memory");
        }
    }

    /** The first part of a ZIP container expanding beyond the size, or null (also when it is no ZIP). */
    private static String zipPartBeyond(StoredFile file, long size) {
        try (ZipFile zip = new ZipFile(file.path().toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && expandsBeyond(zip.getInputStream(entry), size)) {
                    return "part " + entry.getName();
                }
            }
            return null;
        } catch (ZipException notAZip) {
            return null;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * The first stream of a PDF expanding beyond the size, or null: PDFBox decodes a stream whole into memory. A PDF
     * PDFBox cannot open (encrypted, broken) is left to the parser, which says why.
     */
    private static String pdfStreamBeyond(StoredFile file, long size) {
        try (PDDocument pdf = Loader.loadPDF(file.path().toFile())) {
            COSDocument document = pdf.getDocument();
            for (COSObjectKey key : document.getXrefTable().keySet()) {
                if (document.getObjectFromPool(key).getObject() instanceof COSStream stream
                        && decodesBeyond(stream, size)) {
                    return "stream " + key.getNumber() + " " + key.getGeneration() + " R";
                }
            }
            return null;
        } catch (IOException unopened) {
            return null;
        }
    }

    /**
     * Runs the stream's filters up to its last expanding one, as PDFBox would, each stage's output bounded by the
     * limit; true when one goes past it. A stream that does not decode is left to the parser.
     */
    private static boolean decodesBeyond(COSStream stream, long limit) {
        COSBase named = stream.getFilters();
        List<COSBase> filters = new ArrayList<>();
        if (named instanceof COSArray list) {
            list.forEach(entry -> filters.add(entry instanceof COSObject ref ? ref.getObject() : entry));
        } else if (named != null) {
            filters.add(named);
        }
        int last = -1;
        for (int i = 0; i < filters.size(); i++) {
            last = EXPANDING.contains(filters.get(i)) ? i : last;
        }
        if (last < 0) {
            return false;
        }
        int threshold = (int) Math.min(limit, Integer.MAX_VALUE - 8);
        try (InputStream raw = stream.createRawInputStream()) {
            InputStream in = raw;
            for (int i = 0; i <= last; i++) {
                UnsynchronizedByteArrayOutputStream stage = i < last
                        ? UnsynchronizedByteArrayOutputStream.builder().get() : null;
                OutputStream bounded = new ThresholdingOutputStream(threshold, reached -> {
                    throw new Beyond();
                }, out -> stage == null ? NullOutputStream.INSTANCE : stage);
                FilterFactory.INSTANCE.getFilter((COSName) filters.get(i)).decode(in, bounded, stream, i);
                in = stage == null ? in : stage.toInputStream();
            }
            return false;
        } catch (Beyond beyond) {
            return true;
        } catch (IOException | RuntimeException undecodable) {
            return false;
        }
    }

    /** Unchecked, so that no filter's own catch of an IOException hides it; no stack trace, it is an answer. */
    private static final class Beyond extends RuntimeException {
        Beyond() {
            super(null, null, false, false);
        }
    }

    /** Reads the stream in a small buffer up to the limit; true when there is more. */
    private static boolean expandsBeyond(InputStream stream, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long expanded = 0;
        try (InputStream in = stream) {
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

    /** Tika wraps a parser's failure ("TIKA-198: Illegal IOException from ...Parser@6d1f"): its cause says why. */
    private static PermanentSyncException broken(StoredFile file, MediaType type, Exception e) {
        Throwable why = e;
        while (why.getCause() != null && why.getCause().getMessage() != null) {
            why = why.getCause();
        }
        String reason = why.getMessage() == null ? why.getClass().getSimpleName() : why.getMessage();
        if (reason.length() > MAX_REASON) {
            // a parser may quote the text it choked on, megabytes of it
            reason = reason.substring(0, MAX_REASON) + "... (" + reason.length() + " characters)";
        }
        return new PermanentSyncException("cannot extract text from " + file.fileName() + " ("
                + type.getBaseType().toString().toLowerCase(Locale.ROOT) + "), the file looks broken: " + reason);
    }
}
