namespace Documentation.Tests;

/// <summary>docs/configuration.md's tables are what the code reads; <c>UPDATE_DOCS=1</c> rewrites them.</summary>
public sealed class ConfigurationTableTests
{
    [Fact]
    public void ConfigurationTables_MatchTheCode()
    {
        var page = Repository.Read(ConfigurationTables.Page);
        var expected = ConfigurationTables.Regenerate(page, ConfigurationTables.Generate());
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && expected != page)
        {
            File.WriteAllText(Path.Combine(Repository.Root, ConfigurationTables.Page), expected);
            page = expected;
        }

        Assert.True(expected == page, $"{ConfigurationTables.Page}'s generated tables differ from the code that reads the settings. Rewrite them: UPDATE_DOCS=1 dotnet test tests/Documentation.Tests --filter ConfigurationTables");
    }

    [Fact]
    public void Tables_NameEveryConstantOnce()
    {
        var environment = ConfigurationTables.EnvironmentTable();
        var context = ConfigurationTables.ContextTable();

        Assert.Contains("| `MOMENTO_CACHE_NAME` | both functions |", environment, StringComparison.Ordinal);
        Assert.Contains("| `PUBLISHER_LOCAL_API_KEY` | local runner |", environment, StringComparison.Ordinal);
        Assert.Contains("| `AWS_LAMBDA_MAX_CONCURRENCY` | Lambda runtime client |", environment, StringComparison.Ordinal);
        Assert.Contains("| `frontDoor` |", context, StringComparison.Ordinal);
        Assert.DoesNotContain("Sets `", context, StringComparison.Ordinal);
        Assert.Contains("| `repoRoot` |", context, StringComparison.Ordinal);
    }

    [Fact]
    public void Regenerate_ReplacesOnlyTheSection()
    {
        var page = "# C\n\ntext\n<!-- generated: cdk-context -->\n| old |\n<!-- end generated -->\nafter\n";

        var result = ConfigurationTables.Regenerate(page, new Dictionary<string, string> { ["cdk-context"] = "| new |\n" });

        Assert.Equal("# C\n\ntext\n<!-- generated: cdk-context -->\n| new |\n<!-- end generated -->\nafter\n", result);
    }

    [Fact]
    public void ToMarkdown_RendersCodeAndReferences()
    {
        var markdown = ConfigurationTables.ToMarkdown("/// <summary>Default <see cref=\"HttpContract.MaxBodyBytes\"/>, or <c>a|b</c> &amp;\n/// more.</summary>");

        Assert.Equal("Default `MaxBodyBytes`, or `a\\|b` & more.", markdown);
    }
}
