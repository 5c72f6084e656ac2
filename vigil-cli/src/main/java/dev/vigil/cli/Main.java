package dev.vigil.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code vigil <command>}. */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runtime security sensor for serverless containers.")
public final class Main {
    /** The subcommands' names, in the order usage lists them. */
    private static final List<String> SUBCOMMANDS = List.of("run", "rules", "hunt", "help");

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The command line with every subcommand (tests call it in-process). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The command line for these arguments: only the subcommand they name, or all of them (usage, help). */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        // Picocli models a command by reading its annotations reflectively, in classes too old for the JVM's
        // AOT cache: modelling every command cost ~0.08 s of start-up and ~8 MiB that a `vigil run` need not pay.
        String first = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.contains(first) && !first.equals("help")) {
            cl.addSubcommand(first, subcommand(first));
        } else {
            for (String name : SUBCOMMANDS) {
                cl.addSubcommand(name, subcommand(name));
            }
        }
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("vigil: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 70;
        });
        return cl;
    }

    private static Object subcommand(String name) {
        return switch (name) {
            case "run" -> new RunCommand();
            case "rules" -> new RulesCommand();
            case "hunt" -> new HuntCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"vigil " + (v == null ? "dev" : v)};
        }
    }
}
