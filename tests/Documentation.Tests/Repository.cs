namespace Documentation.Tests;

/// <summary>The repository these tests run from, and its documentation files.</summary>
internal static class Repository
{
    public static string Root { get; } = RepositoryRoot.FullName;

    /// <summary>Every documentation page the tests check, relative to the root with '/' separators.</summary>
    public static IReadOnlyList<string> Pages { get; } =
    [
        "README.md",
        "cdk/README.md",
        .. Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>The pages of docs/ that are written by hand (the generated problems.md excluded).</summary>
    public static IEnumerable<string> DocsPages => Pages.Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && p != "docs/problems.md");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath)).ReplaceLineEndings("\n");
}
