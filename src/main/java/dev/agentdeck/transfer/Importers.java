package dev.agentdeck.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentdeck.transfer.imports.Pm2Reader;
import dev.agentdeck.transfer.imports.ProcessComposeReader;
import dev.agentdeck.transfer.imports.ProcfileReader;
import dev.agentdeck.transfer.imports.SupervisorReader;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the agent definitions of other process managers (Supervisor, PM2, process-compose, Procfile) into
 * agents, with what was not carried over and what could not be read. Never throws for bad input: every
 * problem, a syntax error included, is in the result with its line.
 */
public final class Importers {
    /** Larger files are refused: no manager's definitions come near this. */
    public static final int MAX_CHARS = 5 * 1024 * 1024;
    private static final Pattern PROCESSES = Pattern.compile("(?m)^processes\\s*:");
    private static final Pattern APPS = Pattern.compile("(?m)^apps\\s*:");
    private static final Pattern SUPERVISOR = Pattern.compile(
            "(?m)^\\s*\\[(program:|group:|supervisord]|include]|unix_http_server]|inet_http_server]|supervisorctl])");
    private static final Pattern PROCFILE_LINE = Pattern.compile("[A-Za-z0-9_-]+:[ \t]*\\S.*");

    private Importers() {
    }

    /** Reads {@code text} as {@code format}; {@code source} (the file's name or path) names it in problems. */
    public static ImportResult read(ImportFormat format, String text, String source) {
        return read(format, text, source, System.getenv());
    }

    /** As {@link #read(ImportFormat, String, String)}, with {@code environment} for supervisord's {@code %(ENV_X)s}. */
    public static ImportResult read(ImportFormat format, String text, String source, Map<String, String> environment) {
        String src = source == null || source.isBlank() ? "(import)" : source;
        ImportFormat f = format == null ? ImportFormat.PROCFILE : format;
        if (format == null || text == null) {
            return refused(f, src, format == null ? "the format is not known" : "there is no text to read");
        }
        if (text.isBlank()) {
            return refused(f, src, "the file is empty");
        }
        if (text.length() > MAX_CHARS) {
            return refused(f, src, "the file has " + text.length() + " characters; at most " + MAX_CHARS
                    + " (5 MB) are read");
        }
        try {
            return switch (format) {
                case SUPERVISOR -> SupervisorReader.read(text, src, environment, folderOf(source));
                case PM2 -> Pm2Reader.read(text, src);
                case PROCESS_COMPOSE -> ProcessComposeReader.read(text, src);
                case PROCFILE -> ProcfileReader.read(text, src);
            };
        } catch (RuntimeException | StackOverflowError e) {
            // A reader bug must not take the panel down; the preview shows it as a problem instead.
            return refused(f, src, "the file could not be read: " + e);
        }
    }

    private static ImportResult refused(ImportFormat format, String source, String message) {
        return new ImportResult(format, List.of(), List.of(), List.of(new ImportProblem(source, 0, null, message)));
    }

    private static String folderOf(String source) {
        if (source == null || source.isBlank()) {
            return null;
        }
        try {
            Path parent = Path.of(source).getParent();
            return parent == null ? null : parent.toString();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * The format of a file, by its name ({@code Procfile*}, {@code *.conf}/{@code *.ini}, {@code ecosystem*},
     * {@code *.json}, {@code *.yaml}/{@code *.yml}) and, where the name does not tell, by its content; null when
     * it is none of them.
     */
    public static ImportFormat detect(String fileName, String text) {
        String name = baseName(fileName);
        String content = text == null || text.length() > MAX_CHARS ? "" : text;
        if (name.startsWith("procfile")) {
            return ImportFormat.PROCFILE;
        }
        if (name.endsWith(".conf") || name.endsWith(".ini")) {
            return ImportFormat.SUPERVISOR;
        }
        if (name.startsWith("ecosystem") && name.matches(".*\\.(json|ya?ml|c?js|mjs)")) {
            return ImportFormat.PM2;
        }
        if (name.endsWith(".json")) {
            return pm2Json(content) ? ImportFormat.PM2 : null;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return PROCESSES.matcher(content).find() ? ImportFormat.PROCESS_COMPOSE
                    : APPS.matcher(content).find() ? ImportFormat.PM2 : null;
        }
        return byContent(content);
    }

    private static String baseName(String fileName) {
        if (fileName == null) {
            return "";
        }
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        return fileName.substring(slash + 1).strip().toLowerCase(Locale.ROOT);
    }

    private static ImportFormat byContent(String text) {
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[") && !SUPERVISOR.matcher(t).find()) {
            return pm2Json(t) ? ImportFormat.PM2 : null;
        }
        if (PROCESSES.matcher(text).find()) {
            return ImportFormat.PROCESS_COMPOSE;
        }
        if (SUPERVISOR.matcher(text).find()) {
            return ImportFormat.SUPERVISOR;
        }
        if (APPS.matcher(text).find()) {
            return ImportFormat.PM2;
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        boolean procfile = !lines.isEmpty() && lines.stream().allMatch(l -> PROCFILE_LINE.matcher(l).matches());
        return procfile ? ImportFormat.PROCFILE : null;
    }

    /** Whether {@code text} is JSON with {@code apps}, or an array of pm2 apps or of {@code pm2 jlist} processes. */
    private static boolean pm2Json(String text) {
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            if (root == null) {
                return false;
            }
            if (root.isObject()) {
                return root.has("apps") || root.has("script") && root.has("name");
            }
            JsonNode first = root.isArray() && !root.isEmpty() ? root.get(0) : null;
            return first != null && (first.has("pm2_env") || first.has("script"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }
}
