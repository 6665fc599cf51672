package org.rollbook.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed command line: the command, its positional arguments and its options ({@code --name value},
 * {@code --name=value}, or a bare flag). Options may come before or after the command; each command
 * accepts only its own options, so a typo is an error rather than silently ignored.
 */
record CommandLine(String command, List<String> arguments, Map<String, String> options) {

    /** Options every command that talks to the server accepts. */
    static final Set<String> CONNECTION = Set.of("url", "token-file");
    /** Options that take a value; every other option is a flag. */
    static final Set<String> VALUED = Set.of("url", "token-file", "limit", "offset", "situation", "outcome", "type", "site",
            "format", "types");

    /** The options of each command, besides {@link #CONNECTION}; and how many positional arguments it takes. */
    enum Command {
        STATUS(0, "json"),
        SYNC(0, "full", "incremental", "types", "wait", "json"),
        PREVIEW(0, "full", "incremental", "types", "wait", "json"),
        OPERATIONS(0, "limit", "offset", "json"),
        LOG(1, "situation", "outcome", "type", "site", "format"),
        APPROVE(1, "wait", "json"),
        REJECT(1, "json"),
        CANCEL(1, "json"),
        UNDO(1, "wait", "json"),
        HELP(-1);

        final int positional;
        final Set<String> options;

        Command(int positional, String... options) {
            this.positional = positional;
            this.options = Set.of(options);
        }

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static CommandLine parse(String... args) throws Failure {
        String command = null;
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                return new CommandLine("help", List.of(), Map.of());
            }
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (VALUED.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw Failure.usage("--" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                } else if (value != null) {
                    throw Failure.usage("--" + name + " takes no value");
                } else {
                    value = "true";
                }
                if (options.put(name, value) != null) {
                    throw Failure.usage("--" + name + " is given twice");
                }
            } else if (command == null) {
                command = a;
            } else {
                positional.add(a);
            }
        }
        if (command == null) {
            return new CommandLine("help", List.of(), Map.of());
        }
        Command c = command(command);
        for (String o : options.keySet()) {
            if (!c.options.contains(o) && !(c != Command.HELP && CONNECTION.contains(o))) {
                throw Failure.usage(c.word() + " has no option --" + o);
            }
        }
        if (c.positional >= 0 && positional.size() != c.positional) {
            throw Failure.usage(c.positional == 0 ? c.word() + " takes no arguments, not '" + String.join(" ", positional) + "'"
                    : positional.isEmpty() ? c.word() + " needs an operation id, e.g. rollbook " + c.word() + " 4"
                    : c.word() + " takes one operation id, not '" + String.join(" ", positional) + "'");
        }
        if (options.containsKey("full") && options.containsKey("incremental")) {
            throw Failure.usage("--full or --incremental, not both");
        }
        return new CommandLine(c.word(), List.copyOf(positional), options);
    }

    static Command command(String word) throws Failure {
        for (Command c : Command.values()) {
            if (c.word().equals(word)) {
                return c;
            }
        }
        throw Failure.usage("unknown command '" + word + "'");
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String option(String name) {
        return options.get(name);
    }

    /** The operation id argument: a positive whole number. */
    long id() throws Failure {
        return positive("operation id", arguments.get(0));
    }

    /** A whole-number option, or {@code dflt} when absent. */
    int number(String name, int dflt) throws Failure {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw Failure.usage("--" + name + " must be a whole number, not '" + v + "'");
        }
    }

    static long positive(String what, String text) throws Failure {
        try {
            long v = Long.parseLong(text.strip());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw Failure.usage("'" + text + "' is not an " + what);
    }
}
