package dev.agentdeck.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> numbered(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add("line " + i + " " + "x".repeat(i % 97));
        }
        return lines;
    }

    @Test
    void pagesBackwardsAcrossBlockBoundariesWithoutLosingOrRepeatingALine() throws IOException {
        List<String> all = numbered(0, 20_000); // ~1 MB: many 64 KiB blocks
        Path f = write("a.log", String.join("\n", all) + "\n");
        long end = Files.size(f);
        List<String> seen = new ArrayList<>();
        int pages = 0;
        while (true) {
            LogFileReader.Chunk c = LogFileReader.linesBefore(f, end, 777);
            assertEquals(end, c.endOffset());
            if (c.lines().isEmpty()) {
                assertEquals(c.startOffset(), c.endOffset());
                break;
            }
            seen.addAll(0, c.lines());
            end = c.startOffset();
            pages++;
        }
        assertEquals(all, seen);
        assertEquals((20_000 + 776) / 777, pages);
        assertEquals(0, end);
    }

    @Test
    void aChunksOffsetsSpanExactlyItsLines() throws IOException {
        Path f = write("b.log", "one\ntwo\nthree\nfour\n");
        LogFileReader.Chunk c = LogFileReader.linesBefore(f, Files.size(f), 2);
        assertEquals(List.of("three", "four"), c.lines());
        assertEquals(8, c.startOffset());
        assertEquals(19, c.endOffset());
        LogFileReader.Chunk before = LogFileReader.linesBefore(f, c.startOffset(), 10);
        assertEquals(List.of("one", "two"), before.lines());
        assertEquals(0, before.startOffset());
    }

    @Test
    void aTrailingPartialLineIsLeftOut() throws IOException {
        Path f = write("c.log", "done 1\ndone 2\nhalf a li");
        LogFileReader.Chunk c = LogFileReader.linesBefore(f, Files.size(f), 10);
        assertEquals(List.of("done 1", "done 2"), c.lines());
        assertEquals(14, c.endOffset());
        assertEquals(14, LogFileReader.lastLineEnd(f));
        Path noNewline = write("d.log", "only a partial line");
        LogFileReader.Chunk none = LogFileReader.linesBefore(noNewline, Files.size(noNewline), 10);
        assertEquals(List.of(), none.lines());
        assertEquals(0, none.startOffset());
        assertEquals(0, none.endOffset());
        assertEquals(0, LogFileReader.lastLineEnd(noNewline));
    }

    @Test
    void emptyAndMissingFilesGiveEmptyChunksAtZero() throws IOException {
        Path empty = write("e.log", "");
        for (Path f : List.of(empty, dir.resolve("missing.log"))) {
            LogFileReader.Chunk c = LogFileReader.linesBefore(f, 1000, 10);
            assertEquals(new LogFileReader.Chunk(List.of(), 0, 0), c);
            assertEquals(0, LogFileReader.lastLineEnd(f));
        }
    }

    @Test
    void emptyLinesAndCarriageReturnsAreKeptAsEmptyLinesAndStripped() throws IOException {
        Path f = write("f.log", "a\r\n\n\nb\n");
        assertEquals(List.of("a", "", "", "b"), LogFileReader.linesBefore(f, Files.size(f), 10).lines());
        assertEquals(List.of(""), LogFileReader.linesBefore(write("g.log", "\n"), 1, 5).lines());
    }

    @Test
    void aLineLongerThan64KiBIsCutAndMarked() throws IOException {
        String huge = "h".repeat(200_000);
        String exact = "e".repeat(LogFileReader.MAX_LINE);
        Path f = write("h.log", "before\n" + huge + "\n" + exact + "\nafter\n");
        LogFileReader.Chunk c = LogFileReader.linesBefore(f, Files.size(f), 10);
        assertEquals(4, c.lines().size());
        assertEquals("before", c.lines().get(0));
        assertEquals("h".repeat(LogFileReader.MAX_LINE) + "\u2026", c.lines().get(1));
        assertEquals(exact, c.lines().get(2));
        assertEquals("after", c.lines().get(3));
        assertEquals(0, c.startOffset());
    }

    @Test
    void aCutNeverSplitsACharacter() throws IOException {
        String line = "a" + "\u20ac".repeat(30_000); // 1 + 90,000 bytes: the cut at 65,536 falls inside a euro sign
        Path f = write("i.log", line + "\n");
        String got = LogFileReader.linesBefore(f, Files.size(f), 1).lines().get(0);
        assertTrue(got.endsWith("\u20ac\u2026"), "ends cleanly");
        assertEquals(1 + 21_845, got.length() - 1);
        assertTrue(got.indexOf('\uFFFD') < 0);
    }

    @Test
    void utf8SplitAtABlockBoundaryDecodesWhole() throws IOException {
        // over 3 blocks of multi-byte text: a block edge (counted from the end) falls inside a character
        StringBuilder sb = new StringBuilder();
        List<String> lines = new ArrayList<>();
        int size = 0;
        for (int i = 0; size < 3 * LogFileReader.BLOCK; i++) {
            String l = i + " gr\u00fc\u00dfe \u65e5\u672c \uD83D\uDE00 " + "\u00e9".repeat(i % 50);
            lines.add(l);
            sb.append(l).append('\n');
            size += l.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path f = Files.write(dir.resolve("j.log"), bytes);
        int splits = 0;
        for (int k = 1; k <= 2; k++) {
            int edge = bytes.length - k * LogFileReader.BLOCK;
            splits += (bytes[edge] & 0xC0) == 0x80 ? 1 : 0;
        }
        assertTrue(splits >= 1, "the data puts a block edge inside a character");
        LogFileReader.Chunk c = LogFileReader.linesBefore(f, bytes.length, lines.size());
        assertEquals(lines, c.lines());
    }

    @Test
    void malformedBytesAreReplacedNotThrown() throws IOException {
        Path f = dir.resolve("k.log");
        Files.write(f, new byte[]{'o', 'k', '\n', (byte) 0xC3, '(', (byte) 0xFF, '\n'});
        assertEquals(List.of("ok", "\uFFFD(\uFFFD"), LogFileReader.linesBefore(f, 7, 5).lines());
    }

    @Test
    void anEndOffsetBeyondTheFileMeansItsEnd() throws IOException {
        Path f = write("l.log", "x\ny\n");
        assertEquals(new LogFileReader.Chunk(List.of("x", "y"), 0, 4), LogFileReader.linesBefore(f, 99, 5));
        assertEquals(new LogFileReader.Chunk(List.of(), 4, 4), LogFileReader.linesBefore(f, 4, 0));
    }
}
