package dev.agentdeck.ui.editor;

import dev.agentdeck.ui.util.Messages;
import javafx.beans.property.StringProperty;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the editor's text fields as the spec's values: numbers, argument lines and lists; a field that does not
 * parse throws {@link FieldError} with the message to show at it.
 */
final class FormFields {
    private final Messages msg;

    FormFields(Messages msg) {
        this.msg = msg;
    }

    /** Thrown while building a spec from the form: a field that does not parse, with the message to show there. */
    static final class FieldError extends RuntimeException {
        final String field;

        FieldError(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    Integer optionalInt(String field, StringProperty p) {
        String s = p.get().trim();
        if (s.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new FieldError(field, msg.get("editor.notANumber", field, s));
        }
    }

    long requiredLong(String field, StringProperty p) {
        String s = p.get().trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FieldError(field, msg.get("editor.notANumber", field, s));
        }
    }

    int requiredInt(String field, StringProperty p) {
        long v = requiredLong(field, p);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new FieldError(field, msg.get("editor.notANumber", field, p.get()));
        }
        return (int) v;
    }

    List<String> argsOf(String field, StringProperty p) {
        try {
            return ArgsLine.split(p.get());
        } catch (IllegalArgumentException e) {
            throw new FieldError(field, field + ": " + e.getMessage());
        }
    }

    /** A list typed comma-separated or one item a line ("a, b" or "a\nb"). */
    static List<String> list(String text) {
        return Arrays.stream(text.split("[,\n]")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
