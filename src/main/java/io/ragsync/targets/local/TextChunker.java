package io.ragsync.targets.local;

import java.text.BreakIterator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Overlapping chunks cut at a paragraph end in the chunk's second half, else at a sentence's, else between words.
 * Hand-written: DocumentSplitters (greedy paragraphs, OpenNLP sentences) would move the boundaries stored hashes hold.
 * The text is split only as far as the chunks kept need, and one chunk beyond to know it was cut.
 */
@Component("textChunker")
public class TextChunker {

    public enum Mode { CHARACTERS, TOKENS }

    /** size and overlap in characters or tokens; overlap below size; at most maxChunks chunks per text. */
    public record Settings(Mode mode, int size, int overlap, int maxChunks) {
        public Settings {
            Assert.isTrue(mode != null, "chunking mode is required (characters or tokens)");
            Assert.isTrue(size > 0, "chunk size must be positive, got " + size);
            Assert.isTrue(overlap >= 0 && overlap < size, "chunk overlap must be between 0 and the chunk size (" + size
                    + "), got " + overlap);
            Assert.isTrue(maxChunks > 0, "max chunks must be positive, got " + maxChunks);
        }

        public static Settings characters(int size, int overlap, int maxChunks) {
            return new Settings(Mode.CHARACTERS, size, overlap, maxChunks);
        }

        public static Settings tokens(int size, int overlap, int maxChunks) {
            return new Settings(Mode.TOKENS, size, overlap, maxChunks);
        }

        /** "characters" / "tokens" (case-insensitive), as operators write it in application.yaml. */
        public static Settings of(String mode, int size, int overlap, int maxChunks) {
            Assert.isTrue(mode != null && !mode.isBlank(), "chunking mode is required (characters or tokens)");
            return switch (mode.trim().toLowerCase(Locale.ROOT)) {
                case "characters", "chars", "character" -> characters(size, overlap, maxChunks);
                case "tokens", "token" -> tokens(size, overlap, maxChunks);
                default -> throw new IllegalArgumentException("unknown chunking mode '" + mode
                        + "': use characters or tokens");
            };
        }
    }

    /** One chunk: its position, trimmed text, SHA-256 of the text (hex) and its size in the settings' unit. */
    public record Chunk(int index, String content, String contentHash, int size) {
    }

    /**
     * The chunks kept, and how many chunks were made: the kept ones, plus one when the text goes on beyond maxChunks
     * (splitting stops at that chunk, so how many more the whole text would make is not known).
     */
    public record Result(List<Chunk> chunks, int totalChunks) {
        public boolean truncated() {
            return totalChunks > chunks.size();
        }

        /** Chunks made but not kept: 1 when maxChunks cut the text, else 0. */
        public int droppedChunks() {
            return totalChunks - chunks.size();
        }
    }

    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n[ \\t\\x0B\\f]*\\n\\s*");
    private static final Pattern WORD_WITH_SPACE = Pattern.compile("\\S+\\s*|\\s+");
    private static final Pattern TOKEN_PIECE = Pattern.compile("[\\p{L}\\p{N}]+|[^\\s\\p{L}\\p{N}]");
    /** Letters per token assumed for long words (word-piece tokenizers split them). */
    private static final int LETTERS_PER_TOKEN = 6;

    /** A piece of text that is never split further, with its size and whether a paragraph ends with it. */
    private record Segment(String text, int size, boolean paragraphEnd) {
    }

    public Result chunk(String text, Settings settings) {
        if (text == null || text.isBlank()) {
            return new Result(List.of(), 0);
        }
        List<String> pieces = merge(new Segments(text, settings), settings);
        List<Chunk> chunks = new ArrayList<>();
        for (String piece : pieces.subList(0, Math.min(pieces.size(), settings.maxChunks()))) {
            chunks.add(new Chunk(chunks.size(), piece, sha256(piece), measure(piece, settings.mode())));
        }
        return new Result(List.copyOf(chunks), pieces.size());
    }

    /** Size of a text in the unit of the mode. */
    public static int measure(String text, Mode mode) {
        return mode == Mode.CHARACTERS ? text.length() : countTokens(text);
    }

    /** One token per punctuation mark and per started 6 letters or digits: near word-piece and BPE counts. */
    public static int countTokens(String text) {
        return countTokens(text, Integer.MAX_VALUE);
    }

    /** The size in the mode's unit, counted no further than past limit (a longer text is split, not measured). */
    private static int measure(String text, Mode mode, int limit) {
        return mode == Mode.CHARACTERS ? text.length() : countTokens(text, limit);
    }

    private static int countTokens(String text, int limit) {
        int tokens = 0;
        Matcher m = TOKEN_PIECE.matcher(text);
        while (tokens <= limit && m.find()) {
            int length = m.end() - m.start();
            tokens += Character.isLetterOrDigit(text.codePointAt(m.start()))
                    ? (length + LETTERS_PER_TOKEN - 1) / LETTERS_PER_TOKEN : 1;
        }
        return tokens;
    }

    public static String sha256(String content) {
        return DigestUtils.sha256Hex(content);
    }

    /**
     * The text's segments in order, made as the merge asks for them: paragraphs, their sentences, a sentence over the
     * chunk size in words, a word over it in pieces. The last segment of a paragraph is held until the paragraph is
     * known to end there, so it carries paragraphEnd.
     */
    private static final class Segments implements Iterator<Segment> {
        private final String text;
        private final Settings settings;
        private final Matcher paragraphs;
        private final ArrayDeque<Segment> ready = new ArrayDeque<>();
        private boolean lastSettled = true;
        private boolean paragraphsDone;
        private int paragraphStart;
        private String paragraph;
        private BreakIterator sentences;
        private int sentenceFrom;
        private Matcher words;
        private String cutting;
        private int cutAt;

        Segments(String text, Settings settings) {
            this.text = text.replace("\r\n", "\n").replace('\r', '\n');
            this.settings = settings;
            this.paragraphs = PARAGRAPH_BREAK.matcher(this.text);
        }

        @Override
        public boolean hasNext() {
            while ((ready.isEmpty() || ready.size() == 1 && !lastSettled) && produce()) {
                // each step adds a segment, starts a paragraph, or ends one
            }
            return !ready.isEmpty();
        }

        @Override
        public Segment next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /** One step further into the text; false once it is all read. */
        private boolean produce() {
            if (cutting != null) {
                cutPiece();
                return true;
            }
            if (words != null) {
                if (words.find()) {
                    word(words.group());
                    return true;
                }
                words = null;
            }
            if (sentences != null) {
                int to = sentences.next();
                if (to != BreakIterator.DONE) {
                    sentence(paragraph.substring(sentenceFrom, to));
                    sentenceFrom = to;
                    return true;
                }
                sentences = null;
                if (!lastSettled) {
                    Segment last = ready.pollLast();
                    ready.add(new Segment(last.text(), last.size(), true));
                    lastSettled = true;
                }
                return true;
            }
            return nextParagraph();
        }

        private boolean nextParagraph() {
            // a failed find would start over at the text's beginning: never called again once it failed
            if (!paragraphsDone && paragraphs.find()) {
                startParagraph(text.substring(paragraphStart, paragraphs.end()));
                paragraphStart = paragraphs.end();
                return true;
            }
            paragraphsDone = true;
            if (paragraphStart < text.length()) {
                startParagraph(text.substring(paragraphStart));
                paragraphStart = text.length();
                return true;
            }
            return false;
        }

        private void startParagraph(String paragraphText) {
            paragraph = paragraphText;
            sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
            sentences.setText(paragraph);
            sentenceFrom = sentences.first();
        }

        private void sentence(String sentence) {
            int size = measure(sentence, settings.mode(), settings.size());
            if (size <= settings.size()) {
                add(new Segment(sentence, size, false));
            } else {
                words = WORD_WITH_SPACE.matcher(sentence);
            }
        }

        private void word(String word) {
            int wordSize = measure(word, settings.mode(), settings.size());
            if (wordSize <= settings.size()) {
                add(new Segment(word, wordSize, false));
            } else {
                cutting = word;
                cutAt = 0;
            }
        }

        private void cutPiece() {
            int step = settings.mode() == Mode.CHARACTERS ? settings.size() : settings.size() * LETTERS_PER_TOKEN;
            int end = Math.min(cutting.length(), cutAt + step);
            if (end < cutting.length() && Character.isHighSurrogate(cutting.charAt(end - 1))) {
                end--;
            }
            String piece = cutting.substring(cutAt, end);
            add(new Segment(piece, measure(piece, settings.mode()), false));
            cutAt = end;
            if (cutAt >= cutting.length()) {
                cutting = null;
            }
        }

        private void add(Segment segment) {
            ready.add(segment);
            lastSettled = false;
        }
    }

    /** The chunks, up to one beyond maxChunks: enough to know the text was cut, and no segment read past it. */
    private static List<String> merge(Iterator<Segment> segments, Settings settings) {
        int enough = settings.maxChunks() + 1;
        List<String> chunks = new ArrayList<>();
        List<Segment> window = new ArrayList<>();
        int windowSize = 0; // the window's size, kept as it changes instead of summed per segment
        int fresh = 0; // segments at the end of the window not yet emitted in a chunk
        while (chunks.size() < enough && segments.hasNext()) {
            Segment segment = segments.next();
            while (!window.isEmpty() && windowSize + segment.size() > settings.size() && chunks.size() < enough) {
                if (fresh == 0) {
                    window.clear();
                    windowSize = 0;
                    break;
                }
                int cut = cut(window, fresh, settings);
                List<Segment> emitted = new ArrayList<>(window.subList(0, cut));
                List<Segment> rest = new ArrayList<>(window.subList(cut, window.size()));
                emit(emitted, chunks);
                window = overlap(emitted, settings.overlap());
                window.addAll(rest);
                windowSize = total(window);
                fresh = rest.size();
            }
            window.add(segment);
            windowSize += segment.size();
            fresh++;
        }
        if (fresh > 0 && chunks.size() < enough) {
            emit(window, chunks);
        }
        return chunks;
    }

    /** Where to end the chunk: after the latest paragraph end in its second half, else after the whole window. */
    private static int cut(List<Segment> window, int fresh, Settings settings) {
        int firstFresh = window.size() - fresh;
        int before = 0;
        int best = window.size();
        for (int k = 0; k < window.size(); k++) {
            before += window.get(k).size();
            if (k >= firstFresh && k < window.size() - 1 && window.get(k).paragraphEnd()
                    && before * 2 >= settings.size()) {
                best = k + 1;
            }
        }
        return best;
    }

    /** Whole segments from the end of the emitted chunk, at most overlap in size, never the chunk's first. */
    private static List<Segment> overlap(List<Segment> emitted, int overlap) {
        int taken = 0;
        int from = emitted.size();
        while (from > 1 && taken + emitted.get(from - 1).size() <= overlap) {
            taken += emitted.get(from - 1).size();
            from--;
        }
        return new ArrayList<>(emitted.subList(from, emitted.size()));
    }

    private static void emit(List<Segment> segments, List<String> chunks) {
        String chunk = segments.stream().map(Segment::text).collect(Collectors.joining()).strip();
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
    }

    private static int total(List<Segment> segments) {
        return segments.stream().mapToInt(Segment::size).sum();
    }
}
