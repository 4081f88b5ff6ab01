package dev.agentdeck.ui.util;

import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;

/**
 * How the panel asks the user for a file or a folder: the platform's choosers in the app; tests put fixed
 * paths in their place, since a native dialog cannot be driven.
 */
public interface FileChoosers {
    /** A file to open, or null when the user cancelled. */
    Path openFile(Window owner, String title);

    /** A folder to write into, or null when the user cancelled. */
    Path chooseFolder(Window owner, String title);

    /** The platform's file and folder choosers. */
    FileChoosers PLATFORM = new FileChoosers() {
        @Override
        public Path openFile(Window owner, String title) {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(title);
            File f = chooser.showOpenDialog(owner);
            return f == null ? null : f.toPath();
        }

        @Override
        public Path chooseFolder(Window owner, String title) {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle(title);
            File f = chooser.showDialog(owner);
            return f == null ? null : f.toPath();
        }
    };
}
