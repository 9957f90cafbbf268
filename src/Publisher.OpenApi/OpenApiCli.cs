using System.CommandLine;
using CommandLineSupport;

namespace Publisher.OpenApi;

/// <summary>The generator's command line: writes the contract's documents, or checks that the checked-in ones are current.</summary>
public static class OpenApiCli
{
    /// <summary>Exit code of <c>--check</c> when a checked-in document differs from what the contract produces.</summary>
    public const int Stale = 1;

    /// <summary>Exit code when the documents cannot be written (or, for <c>--check</c>, read).</summary>
    public const int Failed = 1;

    /// <summary>Parses <paramref name="args"/> and runs; 0 on success, <see cref="Stale"/> for stale documents, 2 for a usage error.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var docs = new Option<DirectoryInfo?>("--docs")
        {
            Description = "The folder to write openapi.json and problems.md into (default: docs/ of the repository holding the working directory).",
            HelpName = "DIR",
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 naming each document that differs from what the contract produces.",
        };
        var root = new RootCommand("Writes the API's OpenAPI 3.1 document and the problem types' documentation from the HTTP contract.")
        {
            docs,
            check,
        };
        root.SetAction(async (result, token) =>
        {
            var folder = result.GetValue(docs)?.FullName ?? GeneratedDocuments.DefaultFolder(Environment.CurrentDirectory);
            if (folder is null)
            {
                await error.WriteLineAsync("No repository (a folder with Publisher.sln) holds the working directory: give --docs.").ConfigureAwait(false);
                return CommandLineRunner.UsageError;
            }

            try
            {
                return await RunAsync(folder, result.GetValue(check), output, error).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A --docs that names a file, or a folder that cannot be written or read: one line, not a stack trace.
                await error.WriteLineAsync($"Cannot {(result.GetValue(check) ? "read" : "write")} the documents in '{folder}': {e.Message}").ConfigureAwait(false);
                return Failed;
            }
        });
        return CommandLineRunner.InvokeAsync(root, args, output, error, cancellationToken);
    }

    // Checks or writes the documents in folder.
    private static async Task<int> RunAsync(string folder, bool check, TextWriter output, TextWriter error)
    {
        if (check)
        {
            var stale = GeneratedDocuments.Stale(folder);
            foreach (var name in stale)
            {
                await error.WriteLineAsync($"{Path.Combine(folder, name)} is not what the contract produces. {GeneratedDocuments.RegenerateCommand}").ConfigureAwait(false);
            }

            return stale.Count == 0 ? 0 : Stale;
        }

        foreach (var path in GeneratedDocuments.Write(folder))
        {
            await output.WriteLineAsync($"wrote {path}").ConfigureAwait(false);
        }

        return 0;
    }
}
