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
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    @Test
    void readsTheLastLinesAcrossBlockBoundariesAndThenTheOnesBefore() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String line = "line " + i + " " + "x".repeat(i % 50);
            all.add(line);
            sb.append(line).append('\n');
        }
        Path f = write("big.log", sb.toString());
        long size = Files.size(f);
        LogFileReader.Chunk last = LogFileReader.linesBefore(f, size, 1000);
        assertEquals(all.subList(19_000, 20_000), last.lines());
        assertEquals(size, last.endOffset());
        LogFileReader.Chunk before = LogFileReader.linesBefore(f, last.startOffset(), 5000);
        assertEquals(all.subList(14_000, 19_000), before.lines());
        assertEquals(last.startOffset(), before.endOffset());
        LogFileReader.Chunk rest = LogFileReader.linesBefore(f, before.startOffset(), 100_000);
        assertEquals(all.subList(0, 14_000), rest.lines());
        assertEquals(0, rest.startOffset());
        assertEquals(0, LogFileReader.linesBefore(f, 0, 10).lines().size());
    }

    @Test
    void aLastLineWithoutItsNewlineIsLeftForTheFollower() throws IOException {
        Path f = write("partial.log", "one\ntwo\nthr");
        assertEquals(List.of("one", "two"), LogFileReader.linesBefore(f, Files.size(f), 10).lines());
        assertEquals(8, LogFileReader.lastLineEnd(f));
        Path none = write("none.log", "no newline at all");
        assertEquals(List.of(), LogFileReader.linesBefore(none, Files.size(none), 10).lines());
        assertEquals(0, LogFileReader.lastLineEnd(none));
    }

    @Test
    void emptyAndMissingFilesGiveNothing() throws IOException {
        Path empty = write("empty.log", "");
        assertEquals(new LogFileReader.Chunk(List.of(), 0, 0), LogFileReader.linesBefore(empty, 0, 10));
        Path missing = tmp.resolve("missing.log");
        assertEquals(new LogFileReader.Chunk(List.of(), 0, 0), LogFileReader.linesBefore(missing, 100, 10));
        assertEquals(0, LogFileReader.lastLineEnd(missing));
    }

    @Test
    void aHugeLineIsCutToItsLastPartAndMarked() throws IOException {
        String huge = "y".repeat(200_000);
        Path f = write("huge.log", "before\n" + huge + "\nafter\n");
        LogFileReader.Chunk c = LogFileReader.linesBefore(f, Files.size(f), 10);
        assertEquals("after", c.lines().get(c.lines().size() - 1));
        String cut = c.lines().get(c.lines().size() - 2);
        assertTrue(cut.startsWith("\u2026") && cut.length() <= LogFileReader.MAX_LINE + 1, "length " + cut.length());
    }

    @Test
    void multiByteCharactersAcrossBlockBoundariesDecodeWhole() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            String line = i + " " + "\u20ac\u00e9".repeat(1 + i % 40); // 5 bytes a pair: lines cross 64 KiB blocks anywhere
            all.add(line);
            sb.append(line).append('\n');
        }
        Path f = write("utf8.log", sb.toString());
        List<String> lines = LogFileReader.linesBefore(f, Files.size(f), 10_000).lines();
        assertTrue(lines.equals(all), "every line decodes whole");
    }

    @Test
    void crlfLineEndsAreTrimmed() throws IOException {
        Path f = write("crlf.log", "a\r\nb\r\n");
        assertEquals(List.of("a", "b"), LogFileReader.linesBefore(f, Files.size(f), 10).lines());
    }
}
