package dev.agentdeck.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the text between the lines {@code <!-- peers:begin -->} and {@code <!-- peers:end -->} of a
 * README with the benchmark's Markdown, atomically; a file without both markers (in that order) is left as
 * it is.
 */
final class ReadmeSection {
    static final String BEGIN = "<!-- peers:begin -->";
    static final String END = "<!-- peers:end -->";

    private ReadmeSection() {
    }

    /** True when the section was replaced. */
    static boolean replace(Path readme, String markdown) throws IOException {
        if (!Files.exists(readme)) {
            System.out.println(readme + " does not exist: not updated");
            return false;
        }
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        int begin = indexOf(lines, BEGIN, 0);
        int end = begin < 0 ? -1 : indexOf(lines, END, begin + 1);
        if (begin < 0 || end < 0) {
            System.out.println(readme + " has no " + BEGIN + " ... " + END + " lines: not updated");
            return false;
        }
        List<String> out = new ArrayList<>(lines.subList(0, begin + 1));
        out.addAll(markdown.strip().lines().toList());
        out.addAll(lines.subList(end, lines.size()));
        Path tmp = readme.resolveSibling(readme.getFileName() + ".tmp");
        Files.write(tmp, out, StandardCharsets.UTF_8);
        Files.move(tmp, readme, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(readme + ": the peers section was replaced");
        return true;
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
