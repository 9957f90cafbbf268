namespace Publisher.Cdk;

/// <summary>Finds the repository root (the folder with cdk.json and src/) the functions are built from.</summary>
public static class RepoLocator
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding cdk.json and src/, or null.</summary>
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "cdk.json")) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
