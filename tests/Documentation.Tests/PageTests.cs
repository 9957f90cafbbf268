using System.Text.RegularExpressions;

namespace Documentation.Tests;

/// <summary>The README stays a front page, and each docs/ page is one readable subject that says who it is for.</summary>
public sealed partial class PageTests
{
    /// <summary>Most characters the README may have.</summary>
    public const int ReadmeLimit = 12_000;

    /// <summary>A docs page has fewer characters than this.</summary>
    public const int PageLimit = 15_000;

    /// <summary>The pages issue 21 names; each must exist.</summary>
    public static readonly TheoryData<string> RequiredPages =
    [
        "docs/http-api.md", "docs/configuration.md", "docs/local.md", "docs/deploy.md", "docs/operations.md",
        "docs/benchmarks.md", "docs/architecture.md",
    ];

    public static TheoryData<string> DocsPages() => [.. Repository.DocsPages];

    [Fact]
    public void Readme_IsAtMostItsLimit()
    {
        var length = Repository.Read("README.md").Length;

        Assert.True(length <= ReadmeLimit, $"README.md has {length} characters; at most {ReadmeLimit}. Move detail into docs/.");
    }

    [Fact]
    public void Readme_HasAMermaidDiagram() => Assert.Contains(Markdown.Load("README.md").Blocks, b => b.Language == "mermaid");

    [Theory]
    [MemberData(nameof(RequiredPages))]
    public void RequiredPage_Exists(string page) => Assert.True(File.Exists(Path.Combine(Repository.Root, page)), $"{page} is missing.");

    [Fact]
    public void Decisions_HoldNumberedRecords()
    {
        var records = Repository.Pages.Where(p => p.StartsWith("docs/decisions/", StringComparison.Ordinal) && !p.EndsWith("/README.md", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Matches(RecordName(), r));
        Assert.All(records, r => Assert.All((string[])["## Context", "## Decision", "## Consequences"], h => Assert.Contains("\n" + h + "\n", Repository.Read(r), StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(DocsPages))]
    public void DocsPage_IsUnderItsLimit_AndStartsBySayingWhoItIsFor(string page)
    {
        var text = Repository.Read(page);

        Assert.True(text.Length < PageLimit, $"{page} has {text.Length} characters; a page stays under {PageLimit}. Split the subject.");
        Assert.True(WhoFor(text), $"{page} must start with a title, then one sentence saying who it is for (\"For ...\").");
    }

    [Theory]
    [InlineData("# T\n\nFor operators of a deployed stack.\n", true)]
    [InlineData("# T\n\nThe stack has alarms.\n", false)]
    [InlineData("For operators.\n", false)]
    public void WhoFor_NeedsTitleThenForSentence(string text, bool expected) => Assert.Equal(expected, WhoFor(text));

    private static bool WhoFor(string text) => WhoForOpening().IsMatch(text);

    [GeneratedRegex(@"\A# [^\n]+\n\n(?:<!--[^\n]*-->\n\n)?For [^\n]+?\.(?:\n|\z)")]
    private static partial Regex WhoForOpening();

    [GeneratedRegex(@"^docs/decisions/\d{4}-[a-z0-9-]+\.md$")]
    private static partial Regex RecordName();
}
