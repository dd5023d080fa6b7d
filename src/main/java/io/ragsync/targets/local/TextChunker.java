package io.ragsync.targets.local;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Overlapping chunks cut at a paragraph end in the chunk's second half, else at a sentence's, else between words.
 * Hand-written: DocumentSplitters (greedy paragraphs, OpenNLP sentences) would move the boundaries stored hashes hold.
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

    /** The chunks kept, and how many chunks the whole text made (more than kept when maxChunks cut it). */
    public record Result(List<Chunk> chunks, int totalChunks) {
        public boolean truncated() {
            return totalChunks > chunks.size();
        }

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
        List<String> pieces = merge(segments(text, settings), settings);
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
        int tokens = 0;
        Matcher m = TOKEN_PIECE.matcher(text);
        while (m.find()) {
            int length = m.end() - m.start();
            tokens += Character.isLetterOrDigit(text.codePointAt(m.start()))
                    ? (length + LETTERS_PER_TOKEN - 1) / LETTERS_PER_TOKEN : 1;
        }
        return tokens;
    }

    public static String sha256(String content) {
        return DigestUtils.sha256Hex(content);
    }

    private static List<Segment> segments(String text, Settings settings) {
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
        List<Segment> segments = new ArrayList<>();
        Matcher breaks = PARAGRAPH_BREAK.matcher(normalized);
        int start = 0;
        while (breaks.find()) {
            addParagraph(normalized.substring(start, breaks.end()), settings, segments);
            start = breaks.end();
        }
        if (start < normalized.length()) {
            addParagraph(normalized.substring(start), settings, segments);
        }
        return segments;
    }

    private static void addParagraph(String paragraph, Settings settings, List<Segment> out) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(paragraph);
        int from = sentences.first();
        List<Segment> own = new ArrayList<>();
        for (int to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            addSentence(paragraph.substring(from, to), settings, own);
        }
        if (!own.isEmpty()) {
            Segment last = own.remove(own.size() - 1);
            own.add(new Segment(last.text(), last.size(), true));
        }
        out.addAll(own);
    }

    private static void addSentence(String sentence, Settings settings, List<Segment> out) {
        int size = measure(sentence, settings.mode());
        if (size <= settings.size()) {
            out.add(new Segment(sentence, size, false));
            return;
        }
        Matcher words = WORD_WITH_SPACE.matcher(sentence);
        while (words.find()) {
            String word = words.group();
            int wordSize = measure(word, settings.mode());
            if (wordSize <= settings.size()) {
                out.add(new Segment(word, wordSize, false));
            } else {
                cutWord(word, settings, out);
            }
        }
    }

    private static void cutWord(String word, Settings settings, List<Segment> out) {
        int step = settings.mode() == Mode.CHARACTERS ? settings.size() : settings.size() * LETTERS_PER_TOKEN;
        for (int i = 0; i < word.length(); ) {
            int end = Math.min(word.length(), i + step);
            if (end < word.length() && Character.isHighSurrogate(word.charAt(end - 1))) {
                end--;
            }
            String piece = word.substring(i, end);
            out.add(new Segment(piece, measure(piece, settings.mode()), false));
            i = end;
        }
    }

    private static List<String> merge(List<Segment> segments, Settings settings) {
        List<String> chunks = new ArrayList<>();
        List<Segment> window = new ArrayList<>();
        int fresh = 0; // segments at the end of the window not yet emitted in a chunk
        for (Segment segment : segments) {
            while (!window.isEmpty() && total(window) + segment.size() > settings.size()) {
                if (fresh == 0) {
                    window.clear();
                    break;
                }
                int cut = cut(window, fresh, settings);
                List<Segment> emitted = new ArrayList<>(window.subList(0, cut));
                List<Segment> rest = new ArrayList<>(window.subList(cut, window.size()));
                emit(emitted, chunks);
                window = overlap(emitted, settings.overlap());
                window.addAll(rest);
                fresh = rest.size();
            }
            window.add(segment);
            fresh++;
        }
        if (fresh > 0) {
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
