package dev.agentdeck.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads whole lines of a log file backwards from a byte offset, 64 KiB at a time, so the last lines of a
 * 1 GB file cost what they weigh and not the file. Malformed UTF-8 is replaced, never thrown.
 */
public final class LogFileReader {
    static final int BLOCK = 64 * 1024;
    /** Longer lines are cut to their last this many bytes, marked with a leading ellipsis. */
    static final int MAX_LINE = 64 * 1024;

    /** Whole lines [startOffset, endOffset) of a file, oldest first. */
    public record Chunk(List<String> lines, long startOffset, long endOffset) {
        public Chunk {
            lines = List.copyOf(lines);
        }
    }

    private LogFileReader() {
    }

    /**
     * Up to {@code maxLines} whole lines ending at {@code endOffset} (a line start, or the file's size: then a
     * last line without its newline yet is left out). A missing file gives an empty chunk at 0.
     */
    public static Chunk linesBefore(Path file, long endOffset, int maxLines) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long end = Math.max(0, Math.min(endOffset, size));
            Backwards in = new Backwards(ch);
            if (end == size) {
                end = lastNewline(in, end) + 1;
            }
            List<String> lines = new ArrayList<>();
            long lineEnd = end; // exclusive; the byte at lineEnd - 1 is the line's '\n'
            long start = end;
            while (lines.size() < maxLines && lineEnd > 0) {
                long nl = -1;
                long limit = Math.max(0, lineEnd - 1 - MAX_LINE);
                for (long p = lineEnd - 2; p >= limit; p--) {
                    if (in.at(p) == '\n') {
                        nl = p;
                        break;
                    }
                }
                boolean cut = nl < 0 && limit > 0;
                long lineStart = cut ? limit : nl + 1;
                String text = decode(ch, lineStart, lineEnd - 1);
                lines.add(cut ? "\u2026" + text : text);
                start = lineStart;
                lineEnd = lineStart;
                if (cut) {
                    break;
                }
            }
            Collections.reverse(lines);
            return new Chunk(lines, start, end);
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), 0, 0);
        }
    }

    /** The offset just after the file's last newline (0 when it has none or does not exist). */
    public static long lastLineEnd(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            return lastNewline(new Backwards(ch), size) + 1;
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** The position of the last '\n' before {@code end}, or -1. */
    private static long lastNewline(Backwards in, long end) throws IOException {
        for (long p = end - 1; p >= 0; p--) {
            if (in.at(p) == '\n') {
                return p;
            }
        }
        return -1;
    }

    private static String decode(FileChannel ch, long from, long to) throws IOException {
        int len = (int) Math.max(0, to - from);
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, from + buf.position()) < 0) {
                break;
            }
        }
        int n = buf.position();
        if (n > 0 && buf.get(n - 1) == '\r') {
            n--;
        }
        return new String(buf.array(), 0, n, StandardCharsets.UTF_8);
    }

    /** Byte access to a file walking backwards, one 64 KiB block in memory at a time. */
    private static final class Backwards {
        private final FileChannel ch;
        private final byte[] block = new byte[BLOCK];
        private long blockStart = -1;
        private int blockLen;

        Backwards(FileChannel ch) {
            this.ch = ch;
        }

        byte at(long p) throws IOException {
            if (blockStart < 0 || p < blockStart || p >= blockStart + blockLen) {
                blockStart = Math.max(0, p - BLOCK + 1);
                ByteBuffer buf = ByteBuffer.wrap(block, 0, (int) (p + 1 - blockStart));
                while (buf.hasRemaining()) {
                    if (ch.read(buf, blockStart + buf.position()) < 0) {
                        break;
                    }
                }
                blockLen = buf.position();
            }
            return block[(int) (p - blockStart)];
        }
    }
}
