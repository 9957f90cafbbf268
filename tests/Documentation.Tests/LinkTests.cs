namespace Documentation.Tests;

/// <summary>Every relative link and anchor in the README, cdk/README.md and docs/ resolves, as GitHub resolves it.</summary>
public sealed class LinkTests
{
    public static TheoryData<string> Pages() => [.. Repository.Pages];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryRelativeLinkAndAnchor_Resolves(string page)
    {
        var broken = Broken(Markdown.Load(page));

        Assert.True(broken.Count == 0, $"Broken links in {page}:\n{string.Join('\n', broken)}");
    }

    [Fact]
    public void Broken_NamesAMissingFileAndAMissingAnchor()
    {
        // The check is real: a page with a missing file, a missing anchor here and one on another page is refused.
        var page = Markdown.Parse("docs/x.md", "# Title\n\n## Two words `code`\n\n[a](#two-words-code) [b](#nope) [c](missing.md) [d](http-api.md#nope) [e](http-api.md#routes)\n");

        var broken = Broken(page).Select(l => l.Target).ToArray();

        Assert.Equal(["#nope", "missing.md", "http-api.md#nope"], broken);
    }

    [Theory]
    [InlineData("Configuration", "configuration")]
    [InlineData("The AWS Lambda libraries", "the-aws-lambda-libraries")]
    [InlineData("Many invocations per environment (`concurrency`)", "many-invocations-per-environment-concurrency")]
    [InlineData("Settings (CDK context)", "settings-cdk-context")]
    [InlineData("0001. Route on what the gateway matched", "0001-route-on-what-the-gateway-matched")]
    [InlineData("sam local invoke", "sam-local-invoke")]
    public void Slug_FollowsGitHub(string heading, string anchor) => Assert.Equal(anchor, Markdown.Slug(heading));

    private static List<Link> Broken(Markdown page)
    {
        var broken = new List<Link>();
        var directory = Path.GetDirectoryName(page.Path) ?? "";
        foreach (var link in page.Links)
        {
            if (link.Target.Contains("://", StringComparison.Ordinal) || link.Target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            var hash = link.Target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? link.Target : link.Target[..hash];
            var anchor = hash < 0 ? null : link.Target[(hash + 1)..];
            var target = file.Length == 0 ? page.Path : Path.GetFullPath(Path.Combine(Repository.Root, directory, Uri.UnescapeDataString(file)));
            var relative = file.Length == 0 ? page.Path : Path.GetRelativePath(Repository.Root, target).Replace('\\', '/');
            if (file.Length > 0 && !File.Exists(target) && !Directory.Exists(target))
            {
                broken.Add(link);
                continue;
            }

            if (anchor is not null && relative.EndsWith(".md", StringComparison.Ordinal)
                && !(relative == page.Path ? page : Markdown.Load(relative)).Anchors.Contains(anchor))
            {
                broken.Add(link);
            }
        }

        return broken;
    }
}
