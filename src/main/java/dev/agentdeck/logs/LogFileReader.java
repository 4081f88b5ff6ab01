package dev.agentdeck.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads lines of a log file backwards from a byte offset without reading the whole file (works on a 1 GB file
 * in milliseconds): it scans back in {@value #BLOCK}-byte blocks for line ends, then reads just those lines.
 * Lines are split on bytes ({@code '\n'} never occurs inside a UTF-8 sequence) and decoded one by one, so a
 * character split across two blocks decodes whole; malformed input becomes U+FFFD. A trailing {@code '\r'} is
 * dropped.
 */
public final class LogFileReader {
    static final int BLOCK = 64 * 1024;
    /** Lines longer than this many bytes are cut and end with {@link #CUT}. */
    static final int MAX_LINE = 64 * 1024;
    static final String CUT = "\u2026";
    /** Consecutive short lines are read together in one read of at most this many bytes. */
    private static final int BATCH = 1 << 20;

    private LogFileReader() {
    }

    /** A block of whole lines [startOffset, endOffset) of a file, oldest first. */
    public record Chunk(List<String> lines, long startOffset, long endOffset) {
        public Chunk {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Up to {@code maxLines} whole lines ending at {@code endOffset} (which must be at a line start or the file
     * end; a trailing partial line after the last {@code '\n'} is not included, and the chunk then ends after that
     * {@code '\n'}). Empty chunk with startOffset == endOffset when there are none; a missing file gives an empty
     * chunk at 0. Lines longer than 64 KiB are cut to 64 KiB and end with {@code '…'}.
     */
    public static Chunk linesBefore(Path file, long endOffset, int maxLines) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), 0, 0);
        }
        try (ch) {
            long end = Math.max(0, Math.min(endOffset, ch.size()));
            Backwards scan = new Backwards(ch, end);
            long nl = scan.previousNewline();
            if (nl < 0) {
                return new Chunk(List.of(), 0, 0);
            }
            long wholeEnd = nl + 1;
            int cap = Math.max(0, maxLines);
            long[] starts = new long[Math.min(cap, 1024)];
            long[] ends = new long[starts.length];
            int count = 0;
            long lineEnd = nl;
            while (count < cap) {
                long prev = scan.previousNewline();
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, Math.min(cap, count * 2));
                    ends = Arrays.copyOf(ends, starts.length);
                }
                starts[count] = prev + 1;
                ends[count] = lineEnd;
                count++;
                if (prev < 0) {
                    break;
                }
                lineEnd = prev;
            }
            if (count == 0) {
                return new Chunk(List.of(), wholeEnd, wholeEnd);
            }
            return new Chunk(decode(ch, starts, ends, count), starts[count - 1], wholeEnd);
        }
    }

    /** The offset just after the last {@code '\n'} in the file (0 if none or missing): where a follower starts. */
    public static long lastLineEnd(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Backwards(ch, ch.size()).previousNewline() + 1;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Decodes the lines [starts[k], ends[k]) for k = count-1 .. 0 (oldest first), reading runs of short lines at once. */
    private static List<String> decode(FileChannel ch, long[] starts, long[] ends, int count) throws IOException {
        List<String> lines = new ArrayList<>(count);
        int k = count - 1;
        while (k >= 0) {
            long s = starts[k];
            if (ends[k] - s > MAX_LINE) {
                byte[] b = read(ch, s, MAX_LINE + 4);
                lines.add(cut(b, 0, b.length));
                k--;
                continue;
            }
            int last = k;
            while (last > 0 && ends[last - 1] - s <= BATCH && ends[last - 1] - starts[last - 1] <= MAX_LINE) {
                last--;
            }
            byte[] b = read(ch, s, (int) (ends[last] - s));
            for (int j = k; j >= last; j--) {
                int from = (int) (starts[j] - s);
                int to = (int) Math.min(b.length, ends[j] - s);
                lines.add(text(b, from, Math.max(from, to)));
            }
            k = last - 1;
        }
        return lines;
    }

    /** Bytes [from, to) of a line as text, without a trailing '\r'. */
    static String text(byte[] b, int from, int to) {
        if (to > from && b[to - 1] == '\r') {
            to--;
        }
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /** The first {@link #MAX_LINE} bytes of a longer line, ending on a whole character, plus {@link #CUT}. */
    static String cut(byte[] b, int from, int available) {
        int len = Math.min(MAX_LINE, available);
        for (int back = 0; back < 3 && len > 0 && len < available && (b[from + len] & 0xC0) == 0x80; back++) {
            len--; // the byte after the cut continues a character: cut before that character starts
        }
        return new String(b, from, len, StandardCharsets.UTF_8) + CUT;
    }

    private static byte[] read(FileChannel ch, long at, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                break; // the file shrank under us: decode what there is
            }
        }
        return buf.position() == len ? buf.array() : Arrays.copyOf(buf.array(), buf.position());
    }

    /** Finds the newlines of a file one by one, from an offset backwards, one block read at a time. */
    private static final class Backwards {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        private long blockStart;
        private int index; // bytes [blockStart, blockStart + index) are still to be scanned

        Backwards(FileChannel ch, long end) {
            this.ch = ch;
            this.blockStart = end;
        }

        /** The offset of the previous '\n', or -1 when the file's start was reached. */
        long previousNewline() throws IOException {
            byte[] a = buf.array();
            while (true) {
                while (index > 0) {
                    if (a[--index] == '\n') {
                        return blockStart + index;
                    }
                }
                if (blockStart == 0) {
                    return -1;
                }
                long start = Math.max(0, blockStart - BLOCK);
                int len = (int) (blockStart - start);
                buf.clear().limit(len);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, start + buf.position()) < 0) {
                        Arrays.fill(a, buf.position(), len, (byte) 0); // shrank under us
                        break;
                    }
                }
                blockStart = start;
                index = len;
            }
        }
    }
}
