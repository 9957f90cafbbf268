namespace Tests.Shared;

/// <summary>The clone the tests run from: the nearest folder holding Publisher.sln.</summary>
internal static class RepositoryRoot
{
    /// <summary>The root above the test's output folder; a test run outside a clone fails here, naming where it looked.</summary>
    public static string FullName =>
        Above(AppContext.BaseDirectory) ?? throw new InvalidOperationException($"No Publisher.sln above {AppContext.BaseDirectory}.");

    /// <summary>The nearest folder at or above <paramref name="start"/> holding Publisher.sln, or null.</summary>
    public static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Publisher.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
