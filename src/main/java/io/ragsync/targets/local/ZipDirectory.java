package io.ragsync.targets.local;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts the entries of a ZIP container's central directory without holding them. Hand-written: commons-compress
 * (which Tika's detector and POI open a container with) and the JDK read every entry into memory, some hundred bytes
 * each, before one can count them. Found as commons-compress finds it: the end record searched from the file's end,
 * its ZIP64 locator followed, then entry after entry while their signature holds.
 */
final class ZipDirectory {

    private static final int END = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int ENTRY = 0x02014b50;
    private static final int END_SIZE = 22;
    private static final int LOCATOR_SIZE = 20;
    private static final int ENTRY_SIZE = 46;

    private ZipDirectory() {
    }

    /** True when the bytes begin as a ZIP file does ("PK" and a record type), the only files Tika takes for one. */
    static boolean looksLikeZip(byte[] head, int length) {
        return length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] < 9 && head[3] < 9;
    }

    /** The directory's entries, counted up to {@code max + 1}; -1 when the file has no end record to find it by. */
    static long entries(Path file, long max) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            int tailSize = (int) Math.min(size, END_SIZE + 0xFFFF);
            ByteBuffer tail = read(channel, size - tailSize, tailSize);
            int end = tailSize - END_SIZE;
            while (end >= 0 && tail.getInt(end) != END) {
                end--;
            }
            if (end < 0) {
                return -1;
            }
            long endAt = size - tailSize + end;
            long directory = Integer.toUnsignedLong(tail.getInt(end + 16));
            if (endAt >= LOCATOR_SIZE) {
                ByteBuffer locator = read(channel, endAt - LOCATOR_SIZE, LOCATOR_SIZE);
                if (locator.getInt(0) == ZIP64_LOCATOR) {
                    ByteBuffer end64 = read(channel, locator.getLong(8), 56);
                    if (end64.limit() == 56 && end64.getInt(0) == ZIP64_END) {
                        directory = end64.getLong(48);
                    }
                }
            }
            return countFrom(channel, directory, max);
        }
    }

    private static long countFrom(FileChannel channel, long directory, long max) throws IOException {
        if (directory < 0 || directory >= channel.size()) {
            return 0;
        }
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel.position(directory)), 64 * 1024);
        byte[] header = new byte[ENTRY_SIZE];
        ByteBuffer fields = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        try {
            while (count <= max && in.readNBytes(header, 0, ENTRY_SIZE) == ENTRY_SIZE && fields.getInt(0) == ENTRY) {
                count++;
                // the name, extra field and comment follow the fixed part
                in.skipNBytes((long) Short.toUnsignedInt(fields.getShort(28)) + Short.toUnsignedInt(fields.getShort(30))
                        + Short.toUnsignedInt(fields.getShort(32)));
            }
        } catch (EOFException cut) {
            // a directory cut short: what was counted stands
        }
        return count;
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        if (position < 0) {
            return buffer.limit(0); // a lying record
        }
        int read;
        do {
            read = channel.read(buffer, position + buffer.position());
        } while (read > 0 && buffer.hasRemaining());
        return buffer.flip();
    }
}
