package dev.agentdeck.app;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentdeck cds-archive}: writes the installed app's class-data archive ({@code agentdeck.jsa}, AppCDS) from
 * the class list its build recorded ({@code agentdeck.classlist}), beside {@code agentdeck.jar}, and the command
 * line's launcher's ({@code agentdeck-cli.jsa}) from its list where the build made one. JDK 17 only maps an
 * archive whose jars have the paths and times they had when it was written, so it is written where the app is
 * installed (the .deb's postinst runs this), not where it was built. The launcher names the archive; while there
 * is none, the JVM starts without it, silently.
 */
public final class ClassDataArchive {
    static final String ARCHIVE = "agentdeck.jsa";
    static final String CLASS_LIST = "agentdeck.classlist";
    /** The command line's launcher's archive (Linux), from the class list of its own training run. */
    static final String CLI_ARCHIVE = "agentdeck-cli.jsa";
    static final String CLI_CLASS_LIST = "agentdeck-cli.classlist";
    private static final long TIMEOUT_S = 300;

    private ClassDataArchive() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("agentdeck cds-archive: takes no arguments; it writes " + ARCHIVE + " beside agentdeck.jar");
            return 2;
        }
        String classPath = System.getProperty("java.class.path", "");
        Optional<Path> appDir = appDir(classPath);
        if (appDir.isEmpty()) {
            err.println("agentdeck cds-archive: agentdeck.jar is not on the class path (" + classPath + ")");
            return 2;
        }
        Path list = appDir.get().resolve(CLASS_LIST);
        if (!Files.isRegularFile(list)) {
            err.println("agentdeck cds-archive: " + list + " is missing: only the packaged app has a class list");
            return 2;
        }
        if (!Files.isWritable(appDir.get())) {
            err.println("agentdeck cds-archive: cannot write to " + appDir.get() + " (it belongs to whoever installed the app:"
                    + " run it as them, e.g. sudo " + System.getProperty("jpackage.app-path", "agentdeck") + " cds-archive)");
            return 1;
        }
        int code = write(list, appDir.get().resolve(ARCHIVE), classPath, out, err);
        Path cliList = appDir.get().resolve(CLI_CLASS_LIST);
        if (code == 0 && Files.isRegularFile(cliList)) {
            code = write(cliList, appDir.get().resolve(CLI_ARCHIVE), classPath, out, err);
        }
        return code;
    }

    private static int write(Path list, Path archive, String classPath, PrintStream out, PrintStream err) {
        Path temp = archive.resolveSibling(archive.getFileName() + ".tmp");
        long began = System.nanoTime();
        try {
            if (!dump(command(list, temp, classPath), temp, err)) {
                return 1;
            }
            Files.move(temp, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            out.printf("wrote %s (%d MiB) in %.1f s%n", archive, Files.size(archive) >> 20,
                    (System.nanoTime() - began) / 1e9);
            return 0;
        } catch (IOException e) {
            err.println("agentdeck cds-archive: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Runs the dump into {@code temp}; says why on {@code err} and returns false when it wrote nothing. */
    private static boolean dump(List<String> cmd, Path temp, PrintStream err) throws IOException, InterruptedException {
        Files.deleteIfExists(temp);
        Path log = Files.createTempFile("agentdeck-cds", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                err.println("agentdeck cds-archive: the JVM did not finish the archive within " + TIMEOUT_S + " s");
                return false;
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(temp)) {
                err.println("agentdeck cds-archive: the JVM could not write the archive (exit " + p.exitValue() + "):");
                Files.readAllLines(log).stream().filter(l -> !l.contains("Preload Warning") && !l.contains("Skipping"))
                        .limit(20).forEach(err::println);
                Files.deleteIfExists(temp);
                return false;
            }
            return true;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The folder of agentdeck.jar on the class path: the app image's {@code lib/app}. */
    static Optional<Path> appDir(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName() != null && p.getFileName().toString().equals("agentdeck.jar"))
                .map(p -> p.toAbsolutePath().getParent())
                .findFirst();
    }

    /**
     * A static dump with this JVM's class path, written as the launcher starts it, and its heap and GC options
     * (an archive only maps into a JVM with the same compressed-pointer layout).
     */
    static List<String> command(Path list, Path archive, String classPath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:dump");
        cmd.add("-XX:SharedClassListFile=" + list);
        cmd.add("-XX:SharedArchiveFile=" + archive);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.matches("-XX:[+-]Use\\w*GC")
                    || a.startsWith("-XX:+UseCompressed") || a.startsWith("-XX:-UseCompressed")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(classPath);
        return cmd;
    }
}
