package dev.agentdeck.icons;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Makes the icon set from {@code agentdeck.svg}: a PNG per size (the window icon, Linux packages), an .ico
 * (Windows) and an .icns (macOS). The argument is the icons folder, {@code icons} by default; run it with
 * {@value #COMMAND}. Same SVG, same bytes.
 */
public final class IconSetMaker {
    static final String COMMAND = "mvn -q -o -Picons -DskipTests verify";
    static final String SOURCE = "agentdeck.svg";
    static final List<Integer> PNG_SIZES = List.of(16, 24, 32, 48, 64, 128, 256, 512);
    static final List<Integer> ICO_SIZES = List.of(16, 24, 32, 48, 64, 128, 256);

    private IconSetMaker() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "icons");
        SvgIcon icon = SvgIcon.read(dir.resolve(SOURCE));
        SortedMap<Integer, byte[]> pngs = new TreeMap<>();
        PNG_SIZES.forEach(size -> pngs.put(size, IconFiles.png(icon.render(size))));
        IconFiles.ICNS_TYPES.values().forEach(size -> pngs.computeIfAbsent(size, s -> IconFiles.png(icon.render(s))));

        for (int size : PNG_SIZES) {
            Files.write(dir.resolve(pngName(size)), pngs.get(size));
        }
        SortedMap<Integer, byte[]> ico = new TreeMap<>();
        ICO_SIZES.forEach(size -> ico.put(size, pngs.get(size)));
        Files.write(dir.resolve("agentdeck.ico"), IconFiles.ico(ico));
        Files.write(dir.resolve("agentdeck.icns"), IconFiles.icns(pngs));
        System.out.println("Wrote " + PNG_SIZES.size() + " PNGs, agentdeck.ico and agentdeck.icns to " + dir);
    }

    static String pngName(int size) {
        return "agentdeck-" + size + ".png";
    }
}
