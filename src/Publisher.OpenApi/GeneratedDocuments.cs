using Publisher.Contracts.ApiDocs;

namespace Publisher.OpenApi;

/// <summary>The documents generated from the contract and checked into docs/: their names, texts, and where they go.</summary>
public static class GeneratedDocuments
{
    /// <summary>The OpenAPI document's file name.</summary>
    public const string OpenApiFile = "openapi.json";

    /// <summary>The problem types' Markdown documentation's file name.</summary>
    public const string ProblemsFile = "problems.md";

    /// <summary>What to run after changing the contract.</summary>
    public const string RegenerateCommand = "Regenerate with: dotnet run --project src/Publisher.OpenApi";

    /// <summary>Each document's file name and the text the contract produces for it.</summary>
    public static IReadOnlyList<(string Name, string Text)> Produce() =>
    [
        (OpenApiFile, ApiDocument.ToJson()),
        (ProblemsFile, ProblemPages.Markdown()),
    ];

    /// <summary>docs/ of the repository (the folder holding Publisher.sln) at or above <paramref name="start"/>, or null.</summary>
    public static string? DefaultFolder(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Publisher.sln")))
            {
                return Path.Combine(dir.FullName, "docs");
            }
        }

        return null;
    }

    /// <summary>Writes every document into <paramref name="folder"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        foreach (var (name, text) in Produce())
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, text);
            written.Add(path);
        }

        return written;
    }

    /// <summary>The names of the documents in <paramref name="folder"/> that are missing or differ from what the contract produces.</summary>
    public static IReadOnlyList<string> Stale(string folder) =>
        [.. Produce().Where(d => !File.Exists(Path.Combine(folder, d.Name)) || File.ReadAllText(Path.Combine(folder, d.Name)) != d.Text).Select(d => d.Name)];
}
