using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace CommandLineSupport;

/// <summary>
/// What every program here adds to System.CommandLine: parse errors on stderr with a pointer to <c>--help</c>
/// and exit code 2, the caller's writers and cancellation, and range-checked numeric options.
/// </summary>
public static class CommandLineRunner
{
    /// <summary>Exit code of a command line that could not be understood.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code of a command stopped by Ctrl+C or SIGTERM before it finished (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>
    /// Parses and runs; returns the action's exit code, <see cref="UsageError"/> after printing the parse errors, or
    /// <see cref="Interrupted"/> when <paramref name="cancellationToken"/> stopped an action that did not finish on its own.
    /// </summary>
    public static async Task<int> InvokeAsync(
        RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var result = root.Parse(args);
        var parseError = result.Action as ParseErrorAction;
        if (parseError is not null)
        {
            // The errors alone, on stderr: a full help text on stdout would bury them (and stdout may be piped).
            parseError.ShowHelp = false;
            parseError.ShowTypoCorrections = false;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Exceptions reach the program's own handlers; signals are the program's to handle.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        int exitCode;
        try
        {
            exitCode = await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped as asked while a command was waiting on something: quietly, not with a stack trace.
            return Interrupted;
        }

        if (parseError is null)
        {
            return exitCode;
        }

        await error.WriteLineAsync($"Run '{UsageOf(root, result.CommandResult)} --help' for usage.").ConfigureAwait(false);
        return UsageError;
    }

    /// <summary>An <c>int</c> option with a default that must lie in [min, max]; anything else is a parse error naming it.</summary>
    public static Option<int> IntOption(string name, string description, int defaultValue, int min, int max) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseInt(result, name, min, max),
        };

    /// <summary>An optional <c>int</c> option (null when absent) that must lie in [min, max].</summary>
    public static Option<int?> OptionalIntOption(string name, string description, int min, int max) =>
        new(name)
        {
            Description = description,
            HelpName = "N",
            CustomParser = result => ParseInt(result, name, min, max),
        };

    /// <summary>
    /// A text option (a name, a key) whose value must hold something: a blank or control-character value is a parse
    /// error naming the option, not an empty name that fails later, far from the command line.
    /// </summary>
    public static Option<string> TextOption(string name, string description, string helpName)
    {
        var option = new Option<string>(name) { Description = description, HelpName = helpName };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value) || value.Any(char.IsControl))
            {
                result.AddError($"{name} needs a value that is not blank and has no control characters.");
            }
        });
        return option;
    }

    /// <summary>Prints <paramref name="text"/> after the library's help for <paramref name="command"/> (and its subcommands).</summary>
    public static void AppendToHelp(RootCommand command, string text)
    {
        var help = command.Options.OfType<HelpOption>().Single();
        help.Action = new AppendedHelpAction((HelpAction)help.Action!, text);
    }

    private static int ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not '{token}'.");
        return default;
    }

    private static string UsageOf(RootCommand root, CommandResult command)
    {
        var names = new List<string>();
        for (var current = command; current.Command != root && current.Parent is CommandResult parent; current = parent)
        {
            names.Insert(0, current.Command.Name);
        }

        names.Insert(0, root.HelpName ?? root.Name);
        return string.Join(' ', names);
    }

    private sealed class AppendedHelpAction(HelpAction inner, string text) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var exitCode = inner.Invoke(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(text);
            return exitCode;
        }
    }
}
