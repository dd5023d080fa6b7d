package io.ragsync.targets.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.commons.io.output.ThresholdingOutputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.DecodeOptions;
import org.apache.pdfbox.filter.DecodeResult;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * What keeps a PDF within this hub's memory while Tika reads it. Every stream PDFBox decodes whole on a watched
 * thread is bounded, whoever asks: the parser while it opens a file (object and cross-reference streams, also when
 * it rebuilds a broken file), Tika for pages, fonts and embedded files. PDFBox has neither a size limit nor a way to
 * register filters (its factory is final, its table private), so the expanding filters in that table are wrapped in
 * place. Before the parse, the page streams PDFBox streams past that table, and the glyphs of each page, are
 * checked ({@link #pageBeyond}).
 */
final class PdfLimits {

    /** The filters that expand; the image ones (DCT, JPX, JBIG2, CCITT) are not decoded to extract text. */
    private static final Set<COSName> EXPANDING = Set.of(COSName.FLATE_DECODE, COSName.FLATE_DECODE_ABBREVIATION,
            COSName.LZW_DECODE, COSName.LZW_DECODE_ABBREVIATION, COSName.RUN_LENGTH_DECODE,
            COSName.RUN_LENGTH_DECODE_ABBREVIATION);
    private static final ThreadLocal<Watch> WATCHED = new ThreadLocal<>();

    private PdfLimits() {
    }

    /** Wraps PDFBox's expanding filters, once; fails when PDFBox no longer has the table this relies on. */
    static synchronized void install() {
        try {
            Field table = FilterFactory.class.getDeclaredField("filters");
            table.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<COSName, Filter> filters = (Map<COSName, Filter>) table.get(FilterFactory.INSTANCE);
            filters.replaceAll((name, filter) -> EXPANDING.contains(name) && !(filter instanceof Bounded)
                    ? new Bounded(filter) : filter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot bound the streams PDFBox decodes (its filter table has changed):"
                    + " a small PDF could exhaust the memory", e);
        }
    }

    /**
     * Bounds each stream decoded on this thread to {@code maxBytes} until the watch is closed; the page check stops
     * once {@code givenUp} says so.
     */
    static Watch watch(long maxBytes, BooleanSupplier givenUp) {
        Watch watch = new Watch((int) Math.min(maxBytes, Integer.MAX_VALUE - 8), givenUp);
        WATCHED.set(watch);
        return watch;
    }

    /**
     * The first page showing more than {@code maxGlyphs} glyphs, as "page N", or null. Tika's PDF text holds an
     * object of some hundred bytes per glyph of a page until the page ends, so a string of a few megabytes on one
     * page, from a file of kilobytes, exhausts the heap; the glyphs are counted here without being held. Before
     * that, each page stream PDFBox would stream past its filter table (a page's one Flate stream,
     * {@code PDPage.getContentsForStreamParsing}) is decoded once through the bounded filters: unbounded, one
     * string in it would be held whole as a token. Call it watched; a file PDFBox cannot open is left to the parse.
     * Nested forms can keep PDFBox drawing for minutes without a glyph: given up, it stops at the next operator.
     */
    static String pageBeyond(Path file, int maxGlyphs) {
        try (PDDocument pdf = Loader.loadPDF(file.toFile())) {
            Set<COSStream> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (PDPage page : pdf.getPages()) {
                COSStream contents = page.getCOSObject().getCOSStream(COSName.CONTENTS);
                if (contents != null && COSName.FLATE_DECODE.equals(contents.getFilters()) && seen.add(contents)) {
                    contents.createInputStream().close();
                }
            }
            Watch watch = WATCHED.get();
            if (watch == null || !watch.tripped) {
                new GlyphCount(maxGlyphs, watch == null ? () -> false : watch.givenUp).writeText(pdf,
                        Writer.nullWriter());
            }
            return null;
        } catch (GlyphsBeyond beyond) {
            return "page " + beyond.page;
        } catch (IOException | RuntimeException unread) {
            // a stream past the limit has tripped the watch; anything else the parse meets again and reports
            return null;
        }
    }

    /** Counts the glyphs of each page as PDFBox's text stripper finds them, and keeps none. */
    private static final class GlyphCount extends PDFTextStripper {
        private final int maxGlyphs;
        private final BooleanSupplier givenUp;
        private int onPage;

        GlyphCount(int maxGlyphs, BooleanSupplier givenUp) {
            this.maxGlyphs = maxGlyphs;
            this.givenUp = givenUp;
        }

        @Override
        protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
            if (givenUp.getAsBoolean()) {
                throw new GivenUp();
            }
            super.processOperator(operator, operands);
        }

        @Override
        protected void startPage(PDPage page) {
            onPage = 0;
        }

        @Override
        protected void processTextPosition(TextPosition text) {
            if (++onPage > maxGlyphs) {
                throw new GlyphsBeyond(getCurrentPageNo());
            }
        }
    }

    /** Unchecked, to leave PDFBox's processing at once; no stack trace, it is an answer. */
    private static final class GlyphsBeyond extends RuntimeException {
        private final int page;

        GlyphsBeyond(int page) {
            super(null, null, false, false);
            this.page = page;
        }
    }

    /** Unchecked, to leave PDFBox's processing at once; no stack trace, the extraction's result is dropped. */
    private static final class GivenUp extends RuntimeException {
        GivenUp() {
            super(null, null, false, false);
        }
    }

    /** Whether a stream went past the limit; PDFBox may swallow the failure and go on, so this is the answer. */
    static final class Watch implements AutoCloseable {
        private final int maxBytes;
        private final BooleanSupplier givenUp;
        private boolean tripped;

        private Watch(int maxBytes, BooleanSupplier givenUp) {
            this.maxBytes = maxBytes;
            this.givenUp = givenUp;
        }

        boolean tripped() {
            return tripped;
        }

        @Override
        public void close() {
            WATCHED.remove();
        }

        private OutputStream bound(OutputStream decoded) throws IOException {
            if (tripped) {
                throw new TooLarge("a PDF stream already expanded beyond " + maxBytes + " bytes");
            }
            return new ThresholdingOutputStream(maxBytes, reached -> {
                tripped = true;
                throw new TooLarge("a PDF stream expands beyond " + maxBytes + " bytes");
            }, out -> decoded);
        }
    }

    /**
     * Unchecked: PDFBox opening a file catches an IOException, logs it as an ERROR naming no file and goes on, while
     * the hub reports this refusal as the document's outcome. Without a stack trace: an answer, not a fault.
     */
    private static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static OutputStream bounded(OutputStream decoded) throws IOException {
        Watch watch = WATCHED.get();
        return watch == null ? decoded : watch.bound(decoded);
    }

    private static final class Bounded extends Filter {
        private final Filter filter;

        Bounded(Filter filter) {
            this.filter = filter;
        }

        @Override
        public DecodeResult decode(InputStream encoded, OutputStream decoded, COSDictionary parameters, int index)
                throws IOException {
            return filter.decode(encoded, bounded(decoded), parameters, index);
        }

        @Override
        public DecodeResult decode(InputStream encoded, OutputStream decoded, COSDictionary parameters, int index,
                                   DecodeOptions options) throws IOException {
            return filter.decode(encoded, bounded(decoded), parameters, index, options);
        }

        @Override
        protected void encode(InputStream input, OutputStream encoded, COSDictionary parameters) throws IOException {
            filter.encode(input, encoded, parameters, 0);
        }
    }
}
