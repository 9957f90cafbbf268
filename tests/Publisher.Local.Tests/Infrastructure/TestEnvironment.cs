namespace Publisher.Local.Tests.Infrastructure;

/// <summary>Paths into the repository and an empty environment, so the host's variables cannot leak into a test.</summary>
internal static class TestEnvironment
{
    private static readonly DirectoryInfo TestBin = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public static string RepoRoot { get; } = RepositoryRoot.FullName;

    public static string EventsDirectory { get; } = Path.Combine(RepoRoot, "src", "Publisher.Local", "events");

    /// <summary>The local runner's own build output (its deps and runtimeconfig, not the test's).</summary>
    public static string PublisherLocalDll { get; } =
        Path.Combine(RepoRoot, "src", "Publisher.Local", "bin", TestBin.Parent!.Name, TestBin.Name, "Publisher.Local.dll");

    /// <summary>An environment with no variables set.</summary>
    public static Func<string, string?> None { get; } = _ => null;

    public static string Event(string fileName) => Path.Combine(EventsDirectory, fileName);
}
