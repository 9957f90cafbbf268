namespace Publisher.OpenApi.Tests;

/// <summary>Files of the repository these tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = RepositoryRoot.FullName;

    public static string Docs => Path.Combine(Root, "docs");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
